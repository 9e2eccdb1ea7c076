"""Reservations that live on: codes, statuses, find, cancel, move, re-size, notes, history.

Every test runs on SQLite and Postgres (the `seeded` fixture is parametrised over both).
"""

from __future__ import annotations

import asyncio
import datetime as dt

from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.codes import ALPHABET, CODE_LENGTH, is_code
from resvoice.storage.export import export_lines, import_lines, parse_lines
from resvoice.storage.records import (
    Reservation,
    ReservationChange,
    ReservationEdit,
    ReservationQuery,
)

from .conftest import DOCS, EMBEDDER, TUESDAY, VECTORS, make_profile, request

SITTING = 90


async def _book(store: Storage, **kwargs: object) -> Reservation:
    result = await store.book(request(**kwargs))  # type: ignore[arg-type]
    assert result.reservation is not None
    return result.reservation


async def test_a_booking_gets_a_unique_code_without_look_alikes(seeded: Storage) -> None:
    codes = {
        (await _book(seeded, at=dt.time(17, 0) if n % 2 else dt.time(20, 0))).code for n in range(8)
    }
    assert len(codes) == 8
    for code in codes:
        assert len(code) == CODE_LENGTH and is_code(code)
        assert not set(code) & set("0O1IL2Z5S8B6G")
        assert set(code) <= set(ALPHABET)


async def test_find_by_phone_code_name_and_date(seeded: Storage) -> None:
    ada = await _book(seeded, name="Ada Lovelace")
    grace = await _book(seeded, name="Grace Hopper", day=TUESDAY + dt.timedelta(days=1))
    by_phone = await seeded.find_reservations(ReservationQuery(phone="+15550101"))
    assert [r.id for r in by_phone] == [ada.id, grace.id]  # by date
    spoken = " ".join(ada.code.lower())  # "k 7 m p a 3"
    assert [r.id for r in await seeded.find_reservations(ReservationQuery(code=spoken))] == [ada.id]
    surname = ReservationQuery(name="LOVELACE", date=TUESDAY)
    assert [r.id for r in await seeded.find_reservations(surname)] == [ada.id]
    assert await seeded.find_reservations(ReservationQuery(name="Lovelace", date=grace.date)) == []
    assert await seeded.find_reservations(ReservationQuery()) == []  # no criterion: nothing
    later = ReservationQuery(phone="+15550101", from_date=grace.date)
    assert [r.id for r in await seeded.find_reservations(later)] == [grace.id]


async def test_cancel_frees_the_table_and_is_recorded_once(seeded: Storage) -> None:
    booked = await _book(seeded, party=8)
    assert [t.name for t in await seeded.free_tables(TUESDAY, dt.time(19), SITTING, 7)] == []
    result = await seeded.cancel_reservation(booked.id, conversation_id="call-9")
    assert result.changed and result.reservation is not None
    assert result.reservation.status == "cancelled" and result.reservation.code == booked.code
    assert [t.name for t in await seeded.free_tables(TUESDAY, dt.time(19), SITTING, 7)] == ["T11"]
    again = await seeded.cancel_reservation(booked.id)
    assert again.refused == "not_booked"
    assert (await seeded.cancel_reservation(999_999)).refused == "not_found"
    kinds = [(c.kind, c.by, c.conversation_id) for c in await seeded.reservation_changes(booked.id)]
    assert kinds == [("book", "caller", "conv-1"), ("cancel", "caller", "call-9")]


async def test_a_move_keeps_id_and_code_and_records_old_and_new(seeded: Storage) -> None:
    booked = await _book(seeded, party=2)
    result = await seeded.change_reservation(
        booked.id,
        ReservationEdit(date=TUESDAY + dt.timedelta(days=2), time=dt.time(20, 30)),
        sitting_minutes=SITTING,
        conversation_id="call-2",
    )
    moved = result.reservation
    assert result.changed and moved is not None
    assert (moved.id, moved.code, moved.status) == (booked.id, booked.code, "booked")
    assert (moved.date, moved.time, moved.end_time) == (
        TUESDAY + dt.timedelta(days=2),
        dt.time(20, 30),
        dt.time(22, 0),
    )
    change = (await seeded.reservation_changes(booked.id))[-1]
    assert change.kind == "move" and change.conversation_id == "call-2"
    assert change.old["time"] == "19:00" and change.new["time"] == "20:30"
    assert await seeded.free_tables(TUESDAY, dt.time(19), SITTING, 8)  # the old slot is free


async def test_a_move_overlapping_its_own_sitting_keeps_its_table(seeded: Storage) -> None:
    booked = await _book(seeded, party=8)  # the only eight-top
    result = await seeded.change_reservation(
        booked.id, ReservationEdit(time=dt.time(19, 30)), sitting_minutes=SITTING
    )
    assert result.changed and result.reservation is not None
    assert result.reservation.table.name == booked.table.name


async def test_a_move_into_a_taken_slot_changes_nothing(seeded: Storage) -> None:
    await _book(seeded, party=8, at=dt.time(21, 0), name="Blocker")
    mine = await _book(seeded, party=8, at=dt.time(17, 0))
    result = await seeded.change_reservation(
        mine.id, ReservationEdit(time=dt.time(20, 30)), sitting_minutes=SITTING
    )
    assert result.refused == "taken"
    assert await seeded.reservation(mine.id) == mine
    assert [c.kind for c in await seeded.reservation_changes(mine.id)] == ["book"]


async def test_a_bigger_party_takes_a_bigger_table_or_nothing(seeded: Storage) -> None:
    booked = await _book(seeded, party=2)
    result = await seeded.change_reservation(
        booked.id, ReservationEdit(party_size=5), sitting_minutes=SITTING
    )
    assert result.reservation is not None and result.reservation.table.seats >= 5
    assert result.reservation.party_size == 5
    change = (await seeded.reservation_changes(booked.id))[-1]
    assert (change.kind, change.old["party_size"], change.new["party_size"]) == ("party", 2, 5)
    refused = await seeded.change_reservation(
        booked.id, ReservationEdit(party_size=9), sitting_minutes=SITTING
    )
    assert refused.refused == "taken"
    assert await seeded.reservation(booked.id) == result.reservation


async def test_notes_and_delays_change_no_time(seeded: Storage) -> None:
    booked = await _book(seeded)
    result = await seeded.change_reservation(
        booked.id,
        ReservationEdit(special_requests="window seat", late_minutes=20),
        sitting_minutes=SITTING,
        by="staff",
    )
    after = result.reservation
    assert after is not None and after.time == booked.time and after.table == booked.table
    assert (after.special_requests, after.late_minutes) == ("window seat", 20)
    kinds = [(c.kind, c.by) for c in await seeded.reservation_changes(booked.id)]
    assert kinds == [("book", "caller"), ("note", "staff"), ("late", "staff")]


async def test_a_cancelled_booking_cannot_be_moved(seeded: Storage) -> None:
    booked = await _book(seeded)
    await seeded.cancel_reservation(booked.id)
    result = await seeded.change_reservation(
        booked.id, ReservationEdit(time=dt.time(20)), sitting_minutes=SITTING
    )
    assert result.refused == "not_booked"


async def test_fifty_concurrent_moves_into_one_free_slot(
    seeded: Storage, database_url: str
) -> None:
    """From 50 connections at once: exactly one move wins; every loser is exactly as it was."""
    for _ in range(10):  # take every table at 19:00 but the eight-top
        await _book(seeded, party=2)
    assert [t.name for t in await seeded.free_tables(TUESDAY, dt.time(19), SITTING, 2)] == ["T11"]
    movers = [
        await _book(seeded, party=2, day=TUESDAY + dt.timedelta(days=7 * week), name=f"M{week}")
        for week in range(1, 51)
    ]
    stores = [await open_storage(database_url) for _ in movers]
    try:
        results = await asyncio.gather(
            *(
                store.change_reservation(
                    mover.id, ReservationEdit(date=TUESDAY), sitting_minutes=SITTING
                )
                for store, mover in zip(stores, movers, strict=True)
            )
        )
    finally:
        for store in stores:
            await store.close()
    winners = [r for r in results if r.changed]
    assert len(winners) == 1
    assert all(r.refused == "taken" for r in results if not r.changed)
    for mover in movers:
        now = await seeded.reservation(mover.id)
        if winners[0].reservation is not None and mover.id == winners[0].reservation.id:
            assert now is not None and (now.date, now.table.name) == (TUESDAY, "T11")
        else:
            assert now == mover
    booked_at_seven = [r for r in await seeded.reservations_on(TUESDAY) if r.status == "booked"]
    assert len(booked_at_seven) == 11


async def test_export_and_import_carry_codes_statuses_and_history(
    seeded: Storage, database_url: str
) -> None:
    kept = await _book(seeded)
    gone = await _book(seeded, at=dt.time(17))
    await seeded.cancel_reservation(gone.id, conversation_id="call-1")
    await seeded.change_reservation(
        kept.id, ReservationEdit(late_minutes=15), sitting_minutes=SITTING
    )
    lines = parse_lines([line async for line in export_lines(seeded)], "export.jsonl")
    target_url = database_url.replace("resvoice.db", "copy.db")
    if target_url == database_url:
        return  # one Postgres database per test; the SQLite run covers the copy
    target = await open_storage(target_url)
    try:
        summary = await import_lines(target, lines)
        assert (summary.reservations, summary.changes) == (2, 4)
        copied = {r.code: r for r in await target.all_reservations()}
        assert copied[gone.code].status == "cancelled"
        assert copied[kept.code].late_minutes == 15
        history = await target.reservation_changes(copied[gone.code].id)
        assert [(c.kind, c.conversation_id) for c in history] == [
            ("book", "conv-1"),
            ("cancel", "call-1"),
        ]
    finally:
        await target.close()


async def test_restored_changes_keep_their_values(seeded: Storage) -> None:
    booked = await _book(seeded)
    at = dt.datetime(2031, 6, 1, 12, 0, tzinfo=dt.UTC)
    made = await seeded.restore_change(
        ReservationChange(
            reservation_id=booked.id,
            kind="move",
            old={"time": "18:00"},
            new={"time": "19:00"},
            by="staff",
            at=at,
        )
    )
    assert made.id is not None and made.at == at and made.old == {"time": "18:00"}


async def test_a_reseed_keeps_codes(seeded: Storage) -> None:
    booked = await _book(seeded)
    await seeded.seed(make_profile(), DOCS, VECTORS, EMBEDDER)
    assert (await seeded.reservation(booked.id)) == booked
