"""When and how a call is handed to a human.

Triggers: an explicit request (words, DTMF 0, the escalate tool, an `<ESCALATE>` marker in a
reply), frustration, a party too large to book by phone, and required data still missing after
N turns. One transfer per call; when no human can take it, the caller is offered a callback.
The transfer itself is a pluggable `TransferAction` (recorded here; Twilio `<Dial>` later).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from resvoice.agent.events import EscalationState
from resvoice.language.frustration import frustration_points
from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord, TranscriptLine

EscalationReason = Literal[
    "user_requested", "agent_requested", "frustrated", "missing_data", "party_size"
]
ESCALATE_MARKER = "<ESCALATE>"
STALLED_TURNS = 3
"""Booking turns in a row that add nothing before missing data hands the call to a human."""

_ANGER = re.compile(
    r"\b(ridiculous|stupid|useless|terrible|awful|frustrat\w*|annoy\w*|idiot\w*|damn|hell"
    r"|wtf|pathetic|hopeless|waste\s+of\s+(my\s+)?time|(is|does)\s*n[o']t\s+work\w*)\b",
    re.IGNORECASE,
)
_NOT_HEARD = re.compile(
    r"\b(are\s+you\s+(even\s+)?listening|not\s+listening|already\s+told\s+you|i\s+just"
    r"\s+(said|told)|for\s+the\s+last\s+time|how\s+many\s+times)\b",
    re.IGNORECASE,
)
_PLAIN_NO = re.compile(r"^\s*(no|nope|nah|no\s+no|no,?\s*no\W*)+\W*$", re.IGNORECASE)


class TransferAction(Protocol):
    """Moves the live call to a human. Returns whether someone will take it."""

    async def transfer(self, escalation: EscalationRecord) -> bool: ...


@dataclass(frozen=True)
class RecordedTransfer:
    """The transfer of the text front ends: recorded and announced, taken if humans are on."""

    humans_available: bool = True

    async def transfer(self, escalation: EscalationRecord) -> bool:
        return self.humans_available


@dataclass(frozen=True)
class EscalationOutcome:
    reason: str
    state: EscalationState
    escalation_id: int | None

    def handoff_line(self) -> str:
        """What the agent says to the caller about the hand-off."""
        if self.state == "transferred":
            return "I'm transferring you to a member of our team now. Please hold for a moment."
        if self.state == "callback":
            return (
                "Everyone on our team is busy right now, so I've asked them to call you back "
                "shortly at this number."
            )
        return "I've already asked a member of our team to help you; they'll be with you shortly."


class FrustrationMeter:
    """Scores the caller's turns: three points in the last few turns, or five over the whole
    call (a complaint early on and a misunderstanding late), mean frustrated."""

    def __init__(self, window: int = 3, threshold: int = 3, call_threshold: int = 5) -> None:
        self._scores: deque[int] = deque(maxlen=window)
        self._threshold = threshold
        self._call_threshold = call_threshold
        self._call_score = 0
        self._no_streak = 0

    def observe(self, text: str) -> bool:
        """Score one caller turn (anger words, giving up, complaints of earlier calls, repeated
        flat "no"); True when frustrated."""
        anger = 2 if _ANGER.search(text) else 0
        score = max(anger, frustration_points(text)) + (2 if _NOT_HEARD.search(text) else 0)
        if _PLAIN_NO.match(text):
            self._no_streak += 1
            score += 1 if self._no_streak >= 2 else 0
        else:
            self._no_streak = 0
        self._scores.append(score)
        self._call_score += score
        return self.frustrated

    def misunderstood(self) -> bool:
        """The agent could not make sense of the turn just observed; True when frustrated."""
        if self._scores:
            self._scores[-1] += 1
            self._call_score += 1
        return self.frustrated

    @property
    def frustrated(self) -> bool:
        return sum(self._scores) >= self._threshold or self._call_score >= self._call_threshold


class EscalationManager:
    """Decides on and records escalations for one call; at most one transfer."""

    def __init__(
        self,
        storage: Storage,
        conversation_id: str,
        transfer: TransferAction,
        *,
        max_turns_missing_data: int = 5,
    ) -> None:
        self._storage = storage
        self._conversation_id = conversation_id
        self._transfer = transfer
        self._max_turns = max_turns_missing_data
        self.frustration = FrustrationMeter()
        self.outcome: EscalationOutcome | None = None
        self._stalled = 0  # booking turns in a row that added nothing

    @property
    def escalated(self) -> bool:
        return self.outcome is not None

    def missing_data_due(
        self, booking_turns: int, progressed: bool, missing: Sequence[str]
    ) -> bool:
        """Required data still missing after N booking turns, and the booking stuck: the last
        turns (`STALLED_TURNS`, or N when smaller) added nothing. Call once per booking turn.

        One turn that adds nothing is no stuck caller on the phone: a recogniser mishears a
        name or a number, the agent asks again, and the next answer moves the booking on."""
        self._stalled = 0 if progressed else self._stalled + 1
        return (
            bool(missing)
            and booking_turns >= self._max_turns
            and self._stalled >= min(STALLED_TURNS, self._max_turns)
        )

    async def escalate(
        self,
        reason: str,
        *,
        detail: str,
        notepad: dict[str, object],
        missing: Sequence[str],
        transcript: Sequence[TranscriptLine],
    ) -> EscalationOutcome:
        if self.outcome is not None:
            return EscalationOutcome(
                self.outcome.reason, "already_escalated", self.outcome.escalation_id
            )
        record = await self._storage.create_escalation(
            EscalationRecord(
                conversation_id=self._conversation_id,
                reason=reason,
                detail=detail,
                notepad=notepad,
                missing_fields=tuple(missing),
                transcript=tuple(transcript),
            )
        )
        taken = await self._transfer.transfer(record)
        state: Literal["transferred", "callback"] = "transferred" if taken else "callback"
        if record.id is not None:
            await self._storage.update_escalation(record.id, state)
        self.outcome = EscalationOutcome(reason, state, record.id)
        return self.outcome


def strip_marker(text: str) -> tuple[str, bool]:
    """Remove an `<ESCALATE>` marker a brain put in its reply; say whether there was one."""
    if ESCALATE_MARKER not in text:
        return text, False
    return " ".join(text.replace(ESCALATE_MARKER, " ").split()), True
