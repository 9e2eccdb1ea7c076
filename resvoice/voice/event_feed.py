"""Fan-out of one call's voice events to every subscriber (console, tape, tests)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from resvoice.voice.events import VoiceEvent


class EventFeed:
    """Every subscriber gets each event published after it subscribed, until `close()`."""

    def __init__(self) -> None:
        self._subscribers: list[asyncio.Queue[VoiceEvent | None]] = []
        self._closed = False

    def subscribe(self) -> AsyncIterator[VoiceEvent]:
        """Every event from now on, until the feed closes (at once if it already has)."""
        queue: asyncio.Queue[VoiceEvent | None] = asyncio.Queue()
        if self._closed:
            queue.put_nowait(None)
        else:
            self._subscribers.append(queue)
        return self._subscription(queue)

    def publish(self, event: VoiceEvent) -> None:
        for queue in self._subscribers:
            queue.put_nowait(event)

    def close(self) -> None:
        """End every subscription; later subscribers get an empty stream."""
        self._closed = True
        for queue in self._subscribers:
            queue.put_nowait(None)
        self._subscribers.clear()

    async def _subscription(
        self, queue: asyncio.Queue[VoiceEvent | None]
    ) -> AsyncIterator[VoiceEvent]:
        try:
            while (event := await queue.get()) is not None:
                yield event
        finally:
            if queue in self._subscribers:
                self._subscribers.remove(queue)
