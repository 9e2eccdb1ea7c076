"""Availability is derived from reservations; booking is atomic across tasks and connections."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import open_storage
from resvoice.storage.base import Storage

from .conftest import DOCS, EMBEDDER, TUESDAY, VECTORS, request


async def _names(store: Storage, at: dt.time, party: int, day: dt.date = TUESDAY) -> list[str]:
    return [t.name for t in await store.free_tables(day, at, 90, party)]


async def test_free_tables_fit_the_party_smallest_first(seeded: Storage) -> None:
    assert await _names(seeded, dt.time(19), 5) == ["T9", "T10", "T11"]
    assert await _names(seeded, dt.time(19), 2) == [f"T{n}" for n in range(1, 12)]
    assert await _names(seeded, dt.time(19), 9) == []


async def test_a_booking_blocks_its_sitting_and_frees_after_it(seeded: Storage) -> None:
    result = await seeded.book(request(party=8, at=dt.time(19, 0), sitting=90))
    assert result.booked and result.reservation is not None
    assert result.reservation.table.name == "T11"
    assert result.reservation.end_time == dt.time(20, 30)

    assert await _names(seeded, dt.time(19, 30), 7) == []
    assert await _names(seeded, dt.time(20, 29), 7) == []
    assert await _names(seeded, dt.time(20, 30), 7) == ["T11"]  # touching is not overlapping
    assert await _names(seeded, dt.time(17, 45), 7) == []  # 17:45-19:15 runs into it
    assert await _names(seeded, dt.time(17, 30), 7) == ["T11"]  # 17:30-19:00 ends as it starts
    assert (await seeded.free_tables(TUESDAY, dt.time(17, 45), 75, 7))[0].name == "T11"


async def test_availability_works_a_year_ahead(seeded: Storage) -> None:
    far = dt.date.today() + dt.timedelta(days=366)
    assert await _names(seeded, dt.time(19), 8, far) == ["T11"]
    booked = await seeded.book(request(party=8, day=far))
    assert booked.reservation is not None and booked.reservation.date == far
    assert await _names(seeded, dt.time(19, 30), 8, far) == []
    assert await _names(seeded, dt.time(19, 30), 8) == ["T11"]  # other dates unaffected


async def test_sittings_across_midnight_block_the_next_morning(seeded: Storage) -> None:
    late = await seeded.book(request(party=8, at=dt.time(23, 30), sitting=90))
    assert late.reservation is not None and late.reservation.end_time == dt.time(1, 0)
    next_day = TUESDAY + dt.timedelta(days=1)
    assert await _names(seeded, dt.time(0, 30), 8, next_day) == []
    assert await _names(seeded, dt.time(1, 0), 8, next_day) == ["T11"]


async def test_book_takes_the_smallest_fitting_table_until_none_is_left(
    seeded: Storage,
) -> None:
    names = []
    for _ in range(3):
        result = await seeded.book(request(party=5))
        names.append(result.reservation.table.name if result.reservation else None)
    assert names == ["T9", "T10", "T11"]
    assert not (await seeded.book(request(party=5))).booked
    assert (await seeded.book(request(party=2))).booked  # small tables are still free


async def test_reservations_read_back(seeded: Storage) -> None:
    first = (await seeded.book(request(party=2, at=dt.time(20), name="Bea"))).reservation
    second = (await seeded.book(request(party=4, at=dt.time(18), name="Cy"))).reservation
    assert first is not None and second is not None

    assert await seeded.reservation(first.id) == first
    assert await seeded.reservation(10_000) is None
    assert [r.name for r in await seeded.reservations_on(TUESDAY)] == ["Cy", "Bea"]
    assert await seeded.reservations_on(TUESDAY + dt.timedelta(days=1)) == []
    assert first.status == "booked" and first.created_at.tzinfo is not None


async def test_twenty_concurrent_bookings_of_the_only_eight_top(seeded: Storage) -> None:
    results = await asyncio.gather(
        *(seeded.book(request(party=8, name=f"Caller {n}")) for n in range(20))
    )
    assert sum(result.booked for result in results) == 1
    assert len(await seeded.reservations_on(TUESDAY)) == 1


async def test_concurrent_bookings_from_two_storages_on_one_database(
    database_url: str, profile: RestaurantProfile
) -> None:
    one = await open_storage(database_url)
    two = await open_storage(database_url)
    try:
        await one.seed(profile, DOCS, VECTORS, EMBEDDER)
        results = await asyncio.gather(
            *(
                store.book(request(party=8, name=f"Caller {n}"))
                for n in range(10)
                for store in (one, two)
            )
        )
        assert sum(result.booked for result in results) == 1
        assert len(await two.reservations_on(TUESDAY)) == 1
    finally:
        await one.close()
        await two.close()


async def test_the_database_refuses_overlaps_from_any_client(
    database_url: str, seeded: Storage
) -> None:
    booked = (await seeded.book(request(party=8))).reservation
    assert booked is not None
    if seeded.backend == "postgres":
        await _raw_postgres_overlap(database_url, booked.table.id)
        return
    db_path = Path(database_url.removeprefix("sqlite:///"))
    insert = (
        "INSERT INTO reservations (table_id, name, phone, party_size, date, start_min, end_min, "
        "status, created_at) VALUES (?, 'Raw', '1', 8, ?, ?, ?, 'booked', '2031-01-01')"
    )
    with sqlite3.connect(db_path) as conn:  # another process, bypassing resvoice entirely
        with pytest.raises(sqlite3.IntegrityError, match="overlapping"):
            conn.execute(insert, (booked.table.id, TUESDAY.isoformat(), 19 * 60 + 45, 21 * 60))
        conn.execute(insert, (booked.table.id, TUESDAY.isoformat(), 20 * 60 + 30, 22 * 60))


async def test_invalid_requests_raise(seeded: Storage) -> None:
    with pytest.raises(ValueError, match="party"):
        await seeded.free_tables(TUESDAY, dt.time(19), 90, 0)
    with pytest.raises(ValueError, match="sitting"):
        await seeded.book(request(sitting=0))


async def _raw_postgres_overlap(url: str, table_id: int) -> None:
    insert = (
        "INSERT INTO reservations (table_id, name, phone, party_size, date, start_min, end_min, "
        "status, created_at) VALUES ($1, 'Raw', '1', 8, $2, $3, $4, 'booked', now())"
    )
    conn = await asyncpg.connect(url)  # another client, bypassing resvoice entirely
    try:
        with pytest.raises(asyncpg.ExclusionViolationError, match="reservations_no_overlap"):
            await conn.execute(insert, table_id, TUESDAY, 19 * 60 + 45, 21 * 60)
        await conn.execute(insert, table_id, TUESDAY, 20 * 60 + 30, 22 * 60)
        # a sitting from the evening before that runs past midnight into this one
        with pytest.raises(asyncpg.ExclusionViolationError):
            await conn.execute(
                insert, table_id, TUESDAY - dt.timedelta(days=1), 23 * 60, 1440 + 19 * 60 + 30
            )
    finally:
        await conn.close()
