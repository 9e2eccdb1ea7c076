"""The event side of a fake `STTStream`, shared by every fake recogniser: events put with
`emit()` come out of `events()` in order until `end_input()` or `aclose()`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from resvoice.voice.stt.base import STTEvent


class QueuedSTTStream:
    """A fake recogniser's stream; subclasses override `push()` to hear the audio."""

    def __init__(self) -> None:
        super().__init__()
        self._queue: asyncio.Queue[STTEvent | BaseException | None] = asyncio.Queue()

    def emit(self, event: STTEvent) -> None:
        self._queue.put_nowait(event)

    def fail(self, error: BaseException) -> None:
        """Make the event stream raise (a dropped provider connection)."""
        self._queue.put_nowait(error)

    async def push(self, pcm: bytes) -> None:
        pass

    async def end_input(self) -> None:
        self._queue.put_nowait(None)

    def events(self) -> AsyncIterator[STTEvent]:
        return self._events()

    async def aclose(self) -> None:
        self._queue.put_nowait(None)

    async def _events(self) -> AsyncIterator[STTEvent]:
        while (item := await self._queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
            await self._handled()

    async def _handled(self) -> None:
        """The consumer came back for the next event: it has handled the one before."""
