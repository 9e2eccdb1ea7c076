"""The call the app drives: a `VoiceSession`, or `TypedCall` around a bare `AgentSession`.

Both offer the same small surface (`Call`), so the app renders one event stream whichever mode
it runs in. `TypedCall` is the typed mode: caller turns come from the keyboard and the agent's
replies are shown, not spoken; it still reports the agent's state (processing, then listening)
like a voice call does.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Protocol

from resvoice.agent.events import CallEnded, SessionEvent
from resvoice.agent.session import AgentSession
from resvoice.voice.events import CallerSpeech, StateChanged, VoiceEvent


class Call(Protocol):
    """What the app needs of a call; `VoiceSession` has the same shape."""

    @property
    def ended(self) -> bool: ...

    async def run(self) -> None:
        """Greet, then serve the call until `hangup()`."""
        ...

    async def typed(self, text: str) -> None:
        """A caller turn given as text."""
        ...

    async def dtmf(self, digits: str) -> None:
        """Keypad keys (`#` ends an entry, `*` starts it again, a lone `0` asks for a person)."""
        ...

    async def hangup(self, reason: str = "hangup") -> None:
        """Persist the session and end `run()`."""
        ...

    def events(self) -> AsyncIterator[VoiceEvent]:
        """Every event from now on."""
        ...


class TypedCall:
    """A keyboard call: turns in as text, the core's events out, no audio."""

    def __init__(self, agent: AgentSession) -> None:
        self.agent = agent
        self._subscribers: list[asyncio.Queue[VoiceEvent | None]] = []
        self._lock = asyncio.Lock()  # an AgentSession serves one turn at a time
        self._hung_up = asyncio.Event()
        self._ended = False

    @property
    def conversation_id(self) -> str:
        return self.agent.conversation_id

    @property
    def ended(self) -> bool:
        return self._ended

    async def run(self) -> None:
        async with self._lock:
            await self._drive(self.agent.start())
        await self._hung_up.wait()

    async def typed(self, text: str) -> None:
        async with self._lock:
            if not self._ended:
                self._publish(CallerSpeech(text, final=True))
                await self._drive(self.agent.turn(text))

    async def dtmf(self, digits: str) -> None:
        async with self._lock:
            if not self._ended:
                await self._drive(self.agent.dtmf(digits))

    async def hangup(self, reason: str = "hangup") -> None:
        async with self._lock:
            if self._ended:
                return
            self._ended = True
            ended = await self.agent.end(reason)
            self._publish(StateChanged("idle"))
            self._publish(ended)
            for queue in self._subscribers:
                queue.put_nowait(None)
            self._hung_up.set()

    def events(self) -> AsyncIterator[VoiceEvent]:
        """Subscribes at once (not at the first `__anext__`), so nothing published after this
        call is missed; the stream ends with `CallEnded`."""
        queue: asyncio.Queue[VoiceEvent | None] = asyncio.Queue()
        self._subscribers.append(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[VoiceEvent | None]) -> AsyncIterator[VoiceEvent]:
        try:
            while (event := await queue.get()) is not None:
                yield event
                if isinstance(event, CallEnded):
                    return
        finally:
            self._subscribers.remove(queue)

    async def _drive(self, stream: AsyncIterator[SessionEvent]) -> None:
        self._publish(StateChanged("processing"))
        try:
            async for event in stream:
                self._publish(event)
        finally:
            self._publish(StateChanged("listening"))

    def _publish(self, event: VoiceEvent) -> None:
        for queue in self._subscribers:
            queue.put_nowait(event)
