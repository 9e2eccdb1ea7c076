"""The event side of a fake `STTStream`, shared by every fake recogniser: events put with
`emit()` come out of `events()` in order until `end_input()` or `aclose()`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from resvoice.voice.stt.base import STTEvent


class QueuedSTTStream:
    """A fake recogniser's stream; subclasses override `push()` to hear the audio."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[STTEvent | None] = asyncio.Queue()

    def emit(self, event: STTEvent) -> None:
        self._queue.put_nowait(event)

    async def push(self, pcm: bytes) -> None:
        pass

    async def end_input(self) -> None:
        self._queue.put_nowait(None)

    def events(self) -> AsyncIterator[STTEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[STTEvent]:
        while (event := await self._queue.get()) is not None:
            yield event

    async def aclose(self) -> None:
        self._queue.put_nowait(None)
