"""Free tables for a meal or from the edge of the day, at a lunch-and-dinner restaurant."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from resvoice.agent.availability import AvailabilityService
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.records import ReservationRequest
from tests.conftest import ROOT

BISTRO = load_profile(ROOT / "resvoice" / "demo" / "harbour_bistro" / "restaurant.yaml")
THURSDAY = dt.date(2026, 12, 3)  # lunch 11:30-14:30 (last 13:45), dinner 17:30-22:00 (last 21:00)
SATURDAY = dt.date(2026, 12, 5)  # dinner only, 17:00 until 2 am


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[Storage]:
    store = await open_storage(database_url)
    await seed_restaurant(store, BISTRO, HashingEmbedder())
    try:
        yield store
    finally:
        await store.close()


async def test_lunch_without_a_time_offers_lunch_times(storage: Storage) -> None:
    answer = await AvailabilityService(storage, BISTRO).check(THURSDAY, None, 2, meal="lunch")
    assert answer.meal_served and answer.alternatives
    assert all(dt.time(11, 30) <= t <= dt.time(13, 45) for t in answer.alternatives)
    assert answer.alternatives[0] == dt.time(12, 30)  # the usual lunch hour first


async def test_the_latest_and_the_earliest_of_a_meal(storage: Storage) -> None:
    service = AvailabilityService(storage, BISTRO)
    latest = await service.check(THURSDAY, None, 2, meal="dinner", edge="latest")
    assert latest.alternatives == (dt.time(21, 0), dt.time(20, 45), dt.time(20, 30))
    earliest = await service.check(THURSDAY, None, 2, meal="lunch", edge="earliest")
    assert earliest.alternatives[0] == dt.time(11, 30)


async def test_the_latest_of_a_night_past_midnight_is_after_midnight(storage: Storage) -> None:
    latest = await AvailabilityService(storage, BISTRO).check(SATURDAY, None, 2, edge="latest")
    assert latest.alternatives[0] == dt.time(0, 45)


async def test_a_meal_the_day_does_not_serve_says_so_and_offers_the_day(storage: Storage) -> None:
    answer = await AvailabilityService(storage, BISTRO).check(SATURDAY, None, 4, meal="lunch")
    assert not answer.meal_served
    assert answer.alternatives and all(t >= dt.time(17, 0) for t in answer.alternatives)


async def test_a_taken_edge_slot_is_skipped(storage: Storage) -> None:
    service = AvailabilityService(storage, BISTRO)
    first = await service.check(THURSDAY, None, 6, meal="lunch", edge="latest")
    # the one window table for six, booked at the last lunch seating
    booked = await storage.book(
        ReservationRequest(
            conversation_id=None,
            name="Ada Lind",
            phone="+12185550100",
            party_size=6,
            date=THURSDAY,
            time=first.alternatives[0],
            sitting_minutes=BISTRO.booking.sitting_minutes,
        )
    )
    assert booked.booked
    again = await service.check(THURSDAY, None, 6, meal="lunch", edge="latest")
    assert first.alternatives[0] not in again.alternatives
