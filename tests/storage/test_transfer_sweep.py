"""Transfers whose outcome never came: deadlines, the sweep, late outcomes; and the escalation
watch carrying changes, not only creations, across processes. Both backends.

Time is injected: deadlines are set relative to a fixed instant and the sweep is told what
"now" is, so nothing depends on the wall clock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from contextlib import aclosing

import pytest

from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord, EscalationStatus

T0 = dt.datetime(2031, 6, 3, 19, 0, tzinfo=dt.UTC)
DUE = T0 + dt.timedelta(seconds=80)
BEFORE, AFTER = DUE - dt.timedelta(seconds=1), DUE + dt.timedelta(seconds=1)
LOST = "the transfer's outcome never arrived; call the guest back"
WATCH_BOUND_S = 30  # a hang guard only; nothing asserts how fast the watcher is


async def _transferring(storage: Storage, conversation: str, due: dt.datetime = DUE) -> int:
    """An escalation whose transfer is under way, as `CallTransfer` and the core leave it."""
    made = await storage.create_escalation(
        EscalationRecord(conversation_id=conversation, reason="user_requested")
    )
    assert made.id is not None
    await storage.set_transfer_deadline(made.id, due)
    await storage.update_escalation(made.id, "transferred")
    return made.id


async def _row(storage: Storage, escalation_id: int) -> EscalationRecord:
    [row] = [row for row in await storage.escalations() if row.id == escalation_id]
    return row


async def test_an_overdue_transfer_fails_once_with_the_reason(storage: Storage) -> None:
    escalation_id = await _transferring(storage, "c1")

    assert await storage.fail_overdue_transfers(BEFORE, LOST) == []  # not due yet
    assert (await _row(storage, escalation_id)).status == "transferred"

    [swept] = await storage.fail_overdue_transfers(AFTER, LOST)
    assert (swept.id, swept.status, swept.detail) == (escalation_id, "failed", LOST)
    assert swept == await _row(storage, escalation_id)
    assert await storage.fail_overdue_transfers(AFTER, LOST) == []  # exactly once
    # failed is claimable: staff call the guest back
    claimed = await storage.claim_escalation("alice", escalation_id)
    assert claimed is not None and claimed.status == "claimed"


@pytest.mark.parametrize("status", ["queued", "claimed", "callback", "resolved", "failed"])
async def test_the_sweep_touches_only_transfers_under_way(
    storage: Storage, status: EscalationStatus
) -> None:
    made = await storage.create_escalation(EscalationRecord(conversation_id="c1", reason="x"))
    assert made.id is not None
    await storage.set_transfer_deadline(made.id, DUE)  # a deadline, but not transferring
    await storage.update_escalation(made.id, status)
    # a transferred escalation nobody set a deadline for (`resvoice talk`) stays as it is
    bare = await storage.create_escalation(EscalationRecord(conversation_id="c2", reason="x"))
    assert bare.id is not None
    await storage.update_escalation(bare.id, "transferred")

    assert await storage.fail_overdue_transfers(AFTER, LOST) == []
    assert (await _row(storage, made.id)).status == status
    assert (await _row(storage, bare.id)).status == "transferred"


async def test_an_outcome_on_time_clears_the_deadline(storage: Storage) -> None:
    answered = await _transferring(storage, "c1")
    unanswered = await _transferring(storage, "c2")

    row = await storage.record_transfer_outcome(answered, "transferred", "answered by staff")
    assert row is not None and (row.status, row.detail) == ("transferred", "answered by staff")
    row = await storage.record_transfer_outcome(unanswered, "callback", "nobody answered")
    assert row is not None and row.status == "callback"

    assert await storage.fail_overdue_transfers(AFTER, LOST) == []
    assert (await _row(storage, answered)).status == "transferred"  # a human has the call
    assert await storage.record_transfer_outcome(999_999, "callback", "x") is None


@pytest.mark.parametrize(
    ("staff", "outcome", "expected"),
    [
        (None, "transferred", "transferred"),  # answered after all: nobody need call back
        (None, "callback", "callback"),  # nobody answered: still a call back, with voicemail
        ("claimed", "transferred", "claimed"),  # staff are calling back: the call stays theirs
        ("resolved", "callback", "resolved"),  # closed: a late outcome does not reopen it
    ],
)
async def test_an_outcome_after_the_sweep_records_what_really_happened(
    storage: Storage,
    staff: EscalationStatus | None,
    outcome: EscalationStatus,
    expected: EscalationStatus,
) -> None:
    escalation_id = await _transferring(storage, "c1")
    [swept] = await storage.fail_overdue_transfers(AFTER, LOST)
    if staff == "claimed":
        assert await storage.claim_escalation("alice", escalation_id) is not None
    elif staff == "resolved":
        await storage.update_escalation(escalation_id, "resolved", "called back")

    late = await storage.record_transfer_outcome(escalation_id, outcome, "late outcome")  # type: ignore[arg-type]

    assert late is not None
    assert (late.status, late.detail) == (expected, "late outcome")
    assert late.claimed_by == ("alice" if staff == "claimed" else None)
    assert late.updated_at is not None and swept.updated_at is not None
    assert late.updated_at >= swept.updated_at


async def test_sweeps_racing_in_two_processes_fail_each_transfer_once(
    two: tuple[Storage, Storage],
) -> None:
    one, _ = two
    made = [await _transferring(one, f"c{n}") for n in range(8)]
    fresh = await _transferring(one, "later", due=AFTER + dt.timedelta(minutes=5))

    sweeps = await asyncio.gather(
        *(store.fail_overdue_transfers(AFTER, LOST) for _ in range(6) for store in two)
    )

    swept = [row.id for rows in sweeps for row in rows]
    assert sorted(swept) == sorted(made)  # every overdue one, none twice
    assert {row.status for rows in sweeps for row in rows} == {"failed"}
    assert (await _row(one, fresh)).status == "transferred"


async def test_the_watch_carries_changes_made_by_another_process(
    two: tuple[Storage, Storage],
) -> None:
    watcher, writer = two
    old = await writer.create_escalation(EscalationRecord(conversation_id="old", reason="x"))
    assert old.id is not None

    async with aclosing(watcher.watch_escalations(after_id=old.id - 1)) as feed:
        # the catch-up comes once the watch is live: from here on no change can be missed
        assert await asyncio.wait_for(anext(feed), WATCH_BOUND_S) == old
        claimed = await writer.claim_escalation("alice", old.id)  # an existing row changes
        assert await asyncio.wait_for(anext(feed), WATCH_BOUND_S) == claimed

        made = await _transferring(writer, "new")
        states: list[str] = []
        while not states or states[-1] != "transferred":
            row = await asyncio.wait_for(anext(feed), WATCH_BOUND_S)
            assert row.id == made
            states.append(row.status)
        # created queued, then transferred; a poll may see only the latest state
        assert states in (["queued", "transferred"], ["transferred"])
        [swept] = await writer.fail_overdue_transfers(AFTER, LOST)
        assert await asyncio.wait_for(anext(feed), WATCH_BOUND_S) == swept
        resolved = await writer.update_escalation(old.id, "resolved", "called back")
        assert await asyncio.wait_for(anext(feed), WATCH_BOUND_S) == resolved


async def test_a_deadline_alone_is_not_news(two: tuple[Storage, Storage]) -> None:
    watcher, writer = two
    made = await writer.create_escalation(EscalationRecord(conversation_id="c1", reason="x"))
    assert made.id is not None
    async with aclosing(watcher.watch_escalations(after_id=made.id - 1)) as feed:
        assert await asyncio.wait_for(anext(feed), WATCH_BOUND_S) == made  # the watch is live
        await writer.set_transfer_deadline(made.id, DUE)
        marker = await writer.create_escalation(EscalationRecord(conversation_id="c2", reason="x"))
        assert await asyncio.wait_for(anext(feed), WATCH_BOUND_S) == marker  # nothing before it
