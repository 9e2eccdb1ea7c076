"""The escalation queue across processes: claims never collide, new escalations reach watchers.

"Two processes" are two `Storage` objects (two pools on Postgres, two connections on SQLite)
opened on one database, which is what two `resvoice serve` processes hold.
"""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from pathlib import Path

import pytest

from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.migrations import load_migrations
from resvoice.storage.records import EscalationRecord, EscalationStatus

WATCH_BOUND_S = 30  # a hang guard only; nothing asserts how fast the watcher is


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


@pytest.mark.parametrize(
    ("status", "claimable"),
    [
        ("queued", True),
        ("callback", True),  # nobody answered the transfer: the guest waits for a call back
        ("failed", True),  # the transfer failed: the guest waits for a call back
        ("transferred", False),  # ringing the agent phone, or a human already answered it
        ("claimed", False),
        ("resolved", False),
    ],
)
async def test_which_statuses_staff_may_claim(
    storage: Storage, status: EscalationStatus, claimable: bool
) -> None:
    made = await storage.create_escalation(_queued("c1"))
    assert made.id is not None
    await storage.update_escalation(made.id, status)

    got = await storage.claim_escalation("alice", escalation_id=made.id)

    assert (got is not None) is claimable
    assert (await storage.claim_escalation("bob") is not None) is False  # nothing else open
    [row] = await storage.escalations()
    if claimable:
        assert (row.status, row.claimed_by) == ("claimed", "alice")
        assert row.claimed_at is not None and row.created_at is not None
        assert row.claimed_at >= row.created_at
    else:
        assert (row.status, row.claimed_by, row.claimed_at) == (status, None, None)


async def test_a_claim_is_never_reopened_by_the_calls_own_updates(storage: Storage) -> None:
    made = await storage.create_escalation(_queued("c1"))
    assert made.id is not None
    await storage.update_escalation(made.id, "callback", "nobody answered")
    claimed = await storage.claim_escalation("alice", escalation_id=made.id)
    assert claimed is not None

    # the voicemail's callback arrives after a human took the call back
    later = await storage.update_escalation(made.id, "callback", "voicemail https://x/rec")

    assert later is not None
    assert (later.status, later.claimed_by, later.detail) == (
        "claimed",
        "alice",
        "voicemail https://x/rec",
    )
    assert later.claimed_at == claimed.claimed_at
    done = await storage.update_escalation(made.id, "resolved", "called back")
    assert done is not None and done.status == "resolved"
    assert done.claimed_at == claimed.claimed_at  # kept for time to pickup


async def test_claimed_at_survives_the_record_round_trip(storage: Storage) -> None:
    """`db import` recreates escalations through `create_escalation`: the claim time stays."""
    made = await storage.create_escalation(_queued("c1"))
    assert made.id is not None
    claimed = await storage.claim_escalation("alice", escalation_id=made.id)
    assert claimed is not None
    copy = await storage.create_escalation(claimed.model_copy(update={"id": None}))
    assert (copy.claimed_by, copy.claimed_at) == ("alice", claimed.claimed_at)


async def test_migration_2_gives_earlier_claims_their_last_update_as_claim_time(
    database_url: str, backend: str
) -> None:
    """A database claimed under schema v1 (no claimed_at) keeps a pickup time after upgrading."""
    first = load_migrations(backend)[0]
    insert = (
        "INSERT INTO escalations (conversation_id, reason, status, claimed_by, created_at, "
        "updated_at) VALUES ('c1', 'x', 'claimed', 'alice', {t0}, {t1}), "
        "('c2', 'x', 'callback', NULL, {t0}, {t1})"
    )
    if backend == "sqlite":
        from resvoice.storage.sqlite import connection as sqlite_connection

        path = database_url.removeprefix("sqlite:///")
        db = await sqlite_connection.connect(sqlite_connection.prepare_file(Path(path)))
        try:
            await sqlite_connection.Migrator(db).apply(first)
            await db.execute(
                insert.format(t0="'2026-01-01T10:00:00+00:00'", t1="'2026-01-01T10:02:00+00:00'")
            )
            await db.commit()
        finally:
            await db.close()
    else:
        from resvoice.storage.postgres import connection as postgres_connection

        conn = await postgres_connection.connect(database_url)
        try:
            await postgres_connection.Migrator(conn).apply(first)
            await conn.execute(
                insert.format(t0="'2026-01-01T10:00:00+00:00'", t1="'2026-01-01T10:02:00+00:00'")
            )
        finally:
            await conn.close()

    store = await open_storage(database_url)  # migrates to the newest schema
    try:
        claimed, waiting = await store.escalations()
    finally:
        await store.close()
    assert claimed.claimed_at == claimed.updated_at
    assert claimed.claimed_at is not None and claimed.created_at is not None
    assert (claimed.claimed_at - claimed.created_at).total_seconds() == 120
    assert waiting.claimed_at is None


async def test_named_claims_from_two_processes_have_one_winner_and_a_definite_loser(
    two: tuple[Storage, Storage],
) -> None:
    one, _ = two
    made = await one.create_escalation(_queued("c1"))
    claims = await asyncio.gather(
        *(
            store.claim_escalation(f"a{n}-{i}", made.id)
            for n in range(8)
            for i, store in enumerate(two)
        )
    )
    won = [claim for claim in claims if claim is not None]
    assert len(won) == 1
    # every loser's answer came after the winner committed: the row reads claimed, not open
    [row] = await one.escalations()
    assert (row.status, row.claimed_by) == ("claimed", won[0].claimed_by)
