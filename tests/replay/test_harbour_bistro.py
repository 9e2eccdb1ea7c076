"""The second shipped restaurant: lunch and dinner, 15-minute slots, closures, special hours,
Saturday past midnight and counter seats. Its transcripts pass on both backends, and what they
book lands where a restaurant owner expects it (a 12:30 am Saturday sitting on Sunday's date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from resvoice.agent.availability import AvailabilityService
from resvoice.config import Settings
from resvoice.replay.runner import replay_file
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from resvoice.storage.records import ReservationRequest
from tests.conftest import ROOT

BISTRO = ROOT / "resvoice" / "demo" / "harbour_bistro"
TRANSCRIPTS = sorted((BISTRO / "transcripts").glob("*.yaml"))


@pytest.fixture
async def bistro(settings: Settings, database_url: str) -> AsyncIterator[Runtime]:
    """A runtime over Harbour Bistro, seeded as `resvoice seed --file` does."""
    storage = await open_storage(database_url)
    try:
        await seed_restaurant(storage, load_profile(BISTRO / "restaurant.yaml"), HashingEmbedder())
    finally:
        await storage.close()
    runtime = await Runtime.open(settings, database_url)
    try:
        yield runtime
    finally:
        await runtime.close()


def test_at_least_8_bistro_transcripts_ship() -> None:
    assert len(TRANSCRIPTS) >= 8


async def test_bistro_transcripts_all_pass(bistro: Runtime, backend: str) -> None:
    assert bistro.storage.backend == backend
    failures: list[str] = []
    for path in TRANSCRIPTS:
        result = await replay_file(bistro, path)
        assert not result.unreadable, result.failures
        failures += [f"{Path(path).name}: {f}" for f in result.failures]
    assert failures == []
    # "12:30 am on Saturday" is Saturday's late service, sat on Sunday's calendar date
    sunday = await bistro.storage.reservations_on(dt.date(2026, 12, 6))
    assert [(r.name, r.time, r.status) for r in sunday] == [
        ("Ingrid Dahl", dt.time(0, 15), "cancelled"),  # given as Saturday 00:15
        ("Lars Nilsen", dt.time(0, 30), "booked"),
    ]
    # a given booking and a move into the late seating are stored the same way
    late_moved = await bistro.storage.reservations_on(dt.date(2026, 12, 13))
    assert ("Ola Berg", dt.time(0, 30)) in [(r.name, r.time) for r in late_moved]
    counter = await bistro.storage.reservations_on(dt.date(2026, 12, 2))
    assert {r.name: r.table.seats for r in counter}["Mia Olsen"] == 1


async def test_availability_per_service_and_past_midnight(bistro: Runtime) -> None:
    availability = AvailabilityService(bistro.storage, bistro.profile)
    tuesday, saturday = dt.date(2026, 12, 8), dt.date(2026, 12, 12)
    between = await availability.check(tuesday, dt.time(15, 0), 2)
    assert not between.available
    # the nearest seatings on either side of the afternoon gap: lunch's last, dinner's first
    assert set(between.alternatives[:2]) == {dt.time(13, 45), dt.time(17, 30)}
    late = await availability.check(saturday, dt.time(0, 30), 6)
    assert late.available
    # a late-evening sitting past midnight blocks the one table for six on Sunday's date too
    await bistro.storage.book(_request(saturday, dt.time(23, 45), 6))
    taken = await availability.check(saturday, dt.time(0, 30), 6)
    assert not taken.available
    assert taken.alternatives[0] == dt.time(22, 15)  # nearest first, back across midnight
    assert not (await availability.check(dt.date(2026, 12, 25), dt.time(19, 0), 2)).alternatives


def _request(day: dt.date, time: dt.time, party: int) -> ReservationRequest:
    return ReservationRequest(
        conversation_id=None,
        name="Earlier Guest",
        phone="+12185550100",
        party_size=party,
        date=day,
        time=time,
        sitting_minutes=90,
    )
