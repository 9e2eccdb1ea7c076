"""In-process fan-out of console updates: every subscriber (an SSE stream) gets each update."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Update:
    kind: str  # "call" | "call_ended" | "escalation"
    data: dict[str, Any]

    def sse(self) -> str:
        return f"event: {self.kind}\ndata: {json.dumps(self.data, default=str)}\n\n"


class Subscription:
    """Updates published after `Hub.subscribe()` returned, in order; None once closed."""

    def __init__(self, hub: Hub, size: int) -> None:
        self._hub = hub
        self.queue: asyncio.Queue[Update | None] = asyncio.Queue(size)

    async def get(self) -> Update | None:
        return await self.queue.get()

    def offer(self, update: Update | None) -> None:
        if self.queue.full():  # too slow to keep up: lose the oldest, never slow a call down
            self.queue.get_nowait()
        self.queue.put_nowait(update)

    def close(self) -> None:
        self._hub.unsubscribe(self)


class Hub:
    def __init__(self, queue_size: int = 256) -> None:
        self._subscriptions: set[Subscription] = set()
        self._size = queue_size
        self.closed = False

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        update = Update(kind, data)
        for subscription in self._subscriptions:
            subscription.offer(update)

    def subscribe(self) -> Subscription:
        subscription = Subscription(self, self._size)
        if self.closed:
            subscription.offer(None)
        self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    def close(self) -> None:
        """End every subscription (server shutdown)."""
        self.closed = True
        for subscription in self._subscriptions:
            subscription.offer(None)
