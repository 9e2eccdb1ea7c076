"""The console relay: a lost escalation feed is reopened, and what changed meanwhile is shown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from resvoice.errors import StorageError
from resvoice.server.board import ClaimResult, relay_escalations
from resvoice.server.hub import Hub
from resvoice.storage.records import EscalationRecord

HANG_GUARD_S = 30  # only stops a broken relay from hanging the run; nothing is timed


class DroppingBoard:
    """A board whose first feed is lost (a dropped Postgres connection); a claim made by another
    process while it is down only shows in `recent()`."""

    def __init__(self) -> None:
        self.rows = [EscalationRecord(id=1, conversation_id="CA-1", reason="frustrated")]
        self.watches: list[int | None] = []
        self.reopened = asyncio.Event()

    async def recent(self, limit: int = 50) -> list[EscalationRecord]:
        return self.rows[:limit]

    async def claim(self, escalation_id: int, by: str) -> ClaimResult:
        raise AssertionError("the relay never claims")

    def watch(self, after_id: int | None = None) -> AsyncIterator[EscalationRecord]:
        self.watches.append(after_id)
        return self._lost() if len(self.watches) == 1 else self._quiet()

    async def _lost(self) -> AsyncIterator[EscalationRecord]:
        self.rows = [self.rows[0].model_copy(update={"status": "claimed", "claimed_by": "ben"})]
        raise StorageError("lost the escalation feed")
        yield  # an async generator

    async def _quiet(self) -> AsyncIterator[EscalationRecord]:
        self.reopened.set()
        await asyncio.Event().wait()
        yield  # an async generator


async def test_a_reopened_feed_shows_what_changed_while_it_was_down() -> None:
    board, hub = DroppingBoard(), Hub()
    subscription = hub.subscribe()
    relay = asyncio.create_task(relay_escalations(board, hub))
    try:
        update = await asyncio.wait_for(subscription.get(), HANG_GUARD_S)
        await asyncio.wait_for(board.reopened.wait(), HANG_GUARD_S)
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
    assert update is not None and update.kind == "escalation"
    assert (update.data["id"], update.data["status"], update.data["claimed_by"]) == (
        1,
        "claimed",
        "ben",
    )
    assert board.watches == [1, 1]  # reopened from the same escalation, so no new one is missed
