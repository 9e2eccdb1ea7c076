"""The state of one call, shared by the session and the tools it runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from resvoice.agent.notepad import Notepad
from resvoice.call_metadata import CallMetadata
from resvoice.storage.records import SessionRecord, TranscriptLine


@dataclass
class CallState:
    conversation_id: str
    caller_id: str | None = None
    notepad: Notepad = field(default_factory=Notepad)
    transcript: list[TranscriptLine] = field(default_factory=list)
    reservation_id: int | None = None
    earlier_reservation_ids: list[int] = field(default_factory=list)  # made before, this call
    brain_state: dict[str, object] = field(default_factory=dict)
    metadata: CallMetadata = field(default_factory=CallMetadata)
    booking_started: bool = False
    booking_turns: int = 0
    ended: bool = False

    def say(self, role: Literal["caller", "agent", "system"], text: str, at: dt.datetime) -> None:
        if text:
            self.transcript.append(TranscriptLine(role=role, text=text, at=at))

    def interrupt_last_agent_line(self, heard: str) -> None:
        """Replace the reply that ends the transcript by the part of it that was `heard`
        (marked interrupted); drop it when nothing was heard."""
        if not self.transcript or self.transcript[-1].role != "agent":
            return
        if heard:
            line = self.transcript[-1]
            self.transcript[-1] = line.model_copy(update={"text": heard, "interrupted": True})
        else:
            self.transcript.pop()

    def record(self) -> SessionRecord:
        metadata = self.metadata.model_copy(
            update={
                "caller_id": self.caller_id,
                "reservation_id": self.reservation_id,
                "earlier_reservation_ids": self.earlier_reservation_ids,
                "brain_state": self.brain_state,
                "booking_started": self.booking_started,
                "booking_turns": self.booking_turns,
                "ended": self.ended,
            }
        )
        # built from values already typed: validating every transcript line again on each
        # save would make a long call's saves cost more the longer it runs
        return SessionRecord.model_construct(
            conversation_id=self.conversation_id,
            notepad=self.notepad.filled(),
            metadata=metadata,
            transcript=tuple(self.transcript),
        )
