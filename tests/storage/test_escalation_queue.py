"""The escalation queue across processes: claims never collide, new escalations reach watchers.

"Two processes" are two `Storage` objects (two pools on Postgres, two connections on SQLite)
opened on one database, which is what two `resvoice serve` processes hold.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing

import pytest

from resvoice.storage import open_storage
from resvoice.storage.base import EscalationRecord, Storage

WATCH_BOUND_S = 30  # a hang guard only; nothing asserts how fast the watcher is


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[tuple[Storage, Storage]]:
    one = await open_storage(database_url)
    other = await open_storage(database_url)
    try:
        yield one, other
    finally:
        await one.close()
        await other.close()


def _queued(conversation: str) -> EscalationRecord:
    return EscalationRecord(conversation_id=conversation, reason="caller_request")


async def test_claim_takes_the_oldest_queued_one_once(storage: Storage) -> None:
    first = await storage.create_escalation(_queued("c1"))
    second = await storage.create_escalation(_queued("c2"))

    got = await storage.claim_escalation("alice")
    assert got is not None and got.id == first.id
    assert (got.status, got.claimed_by) == ("claimed", "alice")
    assert await storage.claim_escalation("bob", escalation_id=first.id) is None  # taken
    named = await storage.claim_escalation("bob", escalation_id=second.id)
    assert named is not None and named.claimed_by == "bob"
    assert await storage.claim_escalation("carol") is None  # queue empty
    assert [e.claimed_by for e in await storage.escalations()] == ["alice", "bob"]


async def test_many_agents_in_two_processes_never_share_a_call(
    two: tuple[Storage, Storage],
) -> None:
    one, other = two
    made = [await one.create_escalation(_queued(f"c{n}")) for n in range(10)]

    claims = await asyncio.gather(
        *(
            store.claim_escalation(f"agent-{n}-{i}")
            for n in range(15)
            for i, store in enumerate(two)
        )
    )

    won = [claim for claim in claims if claim is not None]
    assert sorted(claim.id for claim in won if claim.id is not None) == sorted(
        e.id for e in made if e.id is not None
    )  # each escalation claimed exactly once, 20 of the 30 agents got nothing
    stored = {e.id: e.claimed_by for e in await other.escalations()}
    assert {claim.id: claim.claimed_by for claim in won} == stored


async def test_a_new_escalation_reaches_a_watcher_in_another_process(
    two: tuple[Storage, Storage],
) -> None:
    watcher, writer = two
    before = await writer.create_escalation(_queued("old"))  # not news to the watcher
    assert before.id is not None

    async with aclosing(watcher.watch_escalations(after_id=before.id)) as feed:
        pending = asyncio.ensure_future(anext(feed))
        made = await writer.create_escalation(_queued("new"))
        seen = await asyncio.wait_for(pending, WATCH_BOUND_S)
        assert seen == made

        again = [await writer.create_escalation(_queued(f"burst-{n}")) for n in range(3)]
        burst = [await asyncio.wait_for(anext(feed), WATCH_BOUND_S) for _ in again]
        assert burst == again


async def test_a_watcher_catches_up_from_an_id(storage: Storage) -> None:
    made = [await storage.create_escalation(_queued(f"c{n}")) for n in range(3)]
    assert made[0].id is not None
    async with aclosing(storage.watch_escalations(after_id=made[0].id)) as feed:
        caught = [await asyncio.wait_for(anext(feed), WATCH_BOUND_S) for _ in range(2)]
    assert caught == made[1:]


async def test_closing_the_storage_ends_its_watchers(database_url: str) -> None:
    store = await open_storage(database_url)
    feed = store.watch_escalations(after_id=0)
    pending = asyncio.ensure_future(anext(feed))
    made = await store.create_escalation(_queued("c1"))
    assert await asyncio.wait_for(pending, WATCH_BOUND_S) == made
    waiting = asyncio.ensure_future(anext(feed))
    await store.close()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(waiting, WATCH_BOUND_S)
