"""The live calls of one server: what the console lists and what shutdown drains."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from resvoice.agent.session import AgentSession
from resvoice.voice.events import VoiceEvent, VoiceState
from resvoice.voice.transport import AudioOutput

log = logging.getLogger(__name__)


class VoiceCall(Protocol):
    """What the server needs of a `resvoice.voice.session.VoiceSession`."""

    state: VoiceState

    async def run(self) -> None: ...

    async def push_audio(self, pcm: bytes) -> None: ...

    async def dtmf(self, digits: str) -> None: ...

    def mark_played(self, name: str) -> None: ...

    async def hangup(self, reason: str = "hangup") -> None: ...

    def events(self) -> AsyncIterator[VoiceEvent]: ...

    @property
    def ended(self) -> bool: ...


VoiceFactory = Callable[[AgentSession, AudioOutput], VoiceCall]


def mask_phone(number: str | None) -> str:
    """For logs: keep the last two digits only."""
    if not number:
        return "-"
    return "*" * max(len(number) - 2, 0) + number[-2:]


@dataclass
class LiveCall:
    call_sid: str
    caller: str | None
    agent: AgentSession
    voice: VoiceCall
    end: Callable[[str], Awaitable[None]]  # hang up, persist, close the stream
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    state: str = "idle"
    between_turns: asyncio.Event = field(default_factory=asyncio.Event)

    def observe_state(self, state: str) -> None:
        self.state = state
        if state in ("idle", "listening"):
            self.between_turns.set()
        else:
            self.between_turns.clear()

    def view(self) -> dict[str, Any]:
        """What the console shows of a live call (JSON-ready)."""
        call = self.agent.state
        outcome = self.agent.escalation.outcome
        return {
            "call": self.call_sid,
            "caller": self.caller,
            "state": self.state,
            "started_at": self.started_at.isoformat(),
            "notepad": call.notepad.filled(),
            "missing": list(call.notepad.missing_fields()),
            "escalation": None
            if outcome is None
            else {"reason": outcome.reason, "state": outcome.state, "id": outcome.escalation_id},
            "transcript": [{"role": line.role, "text": line.text} for line in call.transcript],
        }


class CallRegistry:
    def __init__(self) -> None:
        self.calls: dict[str, LiveCall] = {}
        self.draining = False
        self._empty = asyncio.Event()
        self._empty.set()

    def add(self, call: LiveCall) -> None:
        self.calls[call.call_sid] = call
        self._empty.clear()

    def remove(self, call_sid: str) -> None:
        self.calls.pop(call_sid, None)
        if not self.calls:
            self._empty.set()

    def views(self) -> list[dict[str, Any]]:
        return [call.view() for call in self.calls.values()]

    async def drain(self, turn_timeout_s: float = 10.0) -> None:
        """Shutdown: take no new calls; let each live call finish its turn, then hang it up
        (which persists the session) and wait for every stream to close."""
        self.draining = True

        async def finish(call: LiveCall) -> None:
            try:
                await asyncio.wait_for(call.between_turns.wait(), turn_timeout_s)
            except TimeoutError:
                log.warning("call still mid-turn at shutdown", extra={"call_sid": call.call_sid})
            await call.end("shutdown")

        async with asyncio.TaskGroup() as group:
            for call in list(self.calls.values()):
                group.create_task(finish(call))
        try:
            await asyncio.wait_for(self._empty.wait(), turn_timeout_s)
        except TimeoutError:
            log.error("streams still open after shutdown", extra={"calls": len(self.calls)})
