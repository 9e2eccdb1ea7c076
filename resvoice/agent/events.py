"""The event vocabulary of a call. The core yields these; every front end renders them.

Brains speak a smaller vocabulary (`TextDelta`, `ToolCall`); the session turns tool calls into
the domain events below after running them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from resvoice.agent.notepad import Problem

# --- what a brain yields ---------------------------------------------------------------------


@dataclass
class TextDelta:
    """A piece of the agent's reply, in order; pieces concatenate to the reply."""

    text: str


@dataclass
class ToolResult:
    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class ToolCall:
    """A brain asks the session to act. The session fills `result` before the brain resumes."""

    name: str
    arguments: dict[str, Any]
    call_id: str = ""
    result: ToolResult | None = None


@dataclass
class TextCut:
    """The reply broke off mid-way: only its complete sentences stand.

    A brain whose reply failed after some text went out yields this before another reply
    takes over. The session cuts the reply back to the sentences a caller has heard (speech
    goes sentence by sentence, so unfinished words were never spoken) and writes them to
    `kept` before the brain resumes."""

    kept: str | None = None


BrainEvent = TextDelta | TextCut | ToolCall

# --- what a session yields -------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyDelta:
    text: str


@dataclass(frozen=True)
class ReplyCut:
    """The reply so far is cut back to `kept`, its complete sentences; `dropped`, the unfinished
    words after them, was never spoken and is withdrawn. Another reply goes on after it."""

    kept: str
    dropped: str


@dataclass(frozen=True)
class NotepadUpdated:
    notepad: dict[str, Any]
    changed: tuple[str, ...]
    problems: tuple[Problem, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class RagHit:
    source: str  # menu | policy | faq | availability
    title: str
    score: float
    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RagHits:
    intent: str
    hits: tuple[RagHit, ...]
    latency_ms: float
    timed_out: bool = False


@dataclass(frozen=True)
class AvailabilityChecked:
    date: dt.date
    time: dt.time | None
    party_size: int
    available: bool
    alternatives: tuple[dt.time, ...]
    latency_ms: float


@dataclass(frozen=True)
class ReservationBooked:
    reservation_id: int
    table: str
    date: dt.date
    time: dt.time
    party_size: int
    name: str


@dataclass(frozen=True)
class BookingFailed:
    reason: str


ReservationChangeKind = Literal["cancel", "move", "party", "note", "late"]


@dataclass(frozen=True)
class ReservationChanged:
    """An existing reservation was cancelled or changed in this call (it keeps its id)."""

    reservation_id: int
    kinds: tuple[ReservationChangeKind, ...]
    status: Literal["booked", "cancelled"]
    date: dt.date
    time: dt.time
    party_size: int


@dataclass(frozen=True)
class TextMessageSent:
    """A confirmation text went to the guest (or, with `sent` False, could not)."""

    to: str
    body: str
    sent: bool


EscalationState = Literal["queued", "transferred", "callback", "already_escalated"]


@dataclass(frozen=True)
class Escalated:
    reason: str
    state: EscalationState
    escalation_id: int | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class TurnCompleted:
    user: str
    reply: str
    latency_ms: float
    brain: str
    fallback: bool = False


@dataclass(frozen=True)
class CallEnded:
    reason: str


SessionEvent = (
    ReplyDelta
    | ReplyCut
    | NotepadUpdated
    | RagHits
    | AvailabilityChecked
    | ReservationBooked
    | BookingFailed
    | ReservationChanged
    | TextMessageSent
    | Escalated
    | TurnCompleted
    | CallEnded
)
