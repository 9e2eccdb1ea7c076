"""The `Brain` protocol: a caller turn and its context in, reply text and tool calls out."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from resvoice.agent.events import BrainEvent, RagHit
from resvoice.agent.notepad import FieldName, Notepad
from resvoice.restaurant.profile import RestaurantProfile

TurnKind = Literal["speech", "dtmf", "silence", "start"]


@dataclass(frozen=True)
class Turn:
    """What the caller just did. `start` is the call connecting (the agent greets)."""

    kind: TurnKind
    text: str = ""


@dataclass(frozen=True)
class HistoryLine:
    """A line of the call as the caller heard it; `interrupted` when a barge-in cut it short
    (`text` is then only the part that was heard)."""

    role: Literal["caller", "agent"]
    text: str
    interrupted: bool = False


@dataclass
class TurnContext:
    """Everything a brain may read for one turn. Brains never touch storage directly."""

    profile: RestaurantProfile
    now: dt.datetime  # restaurant-local
    notepad: Notepad
    missing: list[FieldName]
    history: Sequence[HistoryLine]
    rag_hits: Sequence[RagHit] = ()
    rag_intent: str = "none"
    caller_id: str | None = None
    phone_region: str = "US"
    reservation_id: int | None = None
    escalated: bool = False
    state: dict[str, object] = field(default_factory=dict)  # brain-private, persisted per call
    understood: bool = True  # set False by a brain that could not make sense of the turn
    fallback_reason: str | None = None  # set by a wrapper brain whose fallback answered

    @property
    def today(self) -> dt.date:
        return self.now.date()


class Brain(Protocol):
    """Produces the agent's reply. Text streams out as it is produced; tools are run by the
    session, which writes each `ToolCall.result` before the brain's iterator is resumed. A
    brain whose reply broke off yields `TextCut`, and the session writes what stands of it."""

    name: str

    def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]: ...
