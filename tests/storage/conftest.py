"""Shared fixtures of the storage tests: a small restaurant, documents and one-hot vectors.

`storage` and `seeded` are parametrised over both backends (see `tests/conftest.py`), so every
test that takes them runs against SQLite and against Postgres.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.restaurant.profile import WEEKDAYS, RestaurantProfile
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.records import EmbedderInfo, ReservationRequest

DIM = 8
EMBEDDER = EmbedderInfo(name="one-hot", dim=DIM)

DOCS = (
    KnowledgeDoc(
        key="menu:margherita",
        kind="menu",
        title="Margherita pizza",
        body="Tomato, mozzarella and basil on a wood-fired crust.",
        tags=("vegetarian", "pizza"),
        metadata={"price": 14.0},
    ),
    KnowledgeDoc(
        key="menu:tiramisu",
        kind="menu",
        title="Tiramisu",
        body="Espresso-soaked ladyfingers with mascarpone cream.",
        tags=("dessert",),
    ),
    KnowledgeDoc(
        key="policy:dogs",
        kind="policy",
        title="Dogs and pets",
        body="Well-behaved dogs are welcome on the patio; service animals everywhere.",
        tags=("pets",),
    ),
    KnowledgeDoc(
        key="policy:cancellation",
        kind="policy",
        title="Cancellations",
        body="Please cancel at least 24 hours ahead so we can offer the table to others.",
    ),
    KnowledgeDoc(
        key="faq:parking",
        kind="faq",
        title="Is there parking?",
        body="Free parking behind the building after 5 pm.",
        tags=("parking", "car"),
    ),
)


def one_hot(index: int, dim: int = DIM) -> list[float]:
    return [1.0 if i == index else 0.0 for i in range(dim)]


VECTORS = [one_hot(i) for i in range(len(DOCS))]

# A Tuesday a few years out, so "future" never turns into "past" while the suite lives.
TUESDAY = dt.date(2031, 6, 3)
assert TUESDAY.weekday() == 1


def make_profile(
    tables: list[dict[str, int]] | None = None, max_party: int = 8
) -> RestaurantProfile:
    hours: dict[str, object] = {day: {"open": "17:00", "close": "22:00"} for day in WEEKDAYS}
    hours["monday"] = "closed"
    return RestaurantProfile.model_validate(
        {
            "restaurant": {
                "name": "Trattoria Test",
                "phone": "+1 555 0100",
                "address": "1 Main St",
            },
            "hours": hours,
            "booking": {"max_party": max_party},
            "tables": tables
            or [
                {"seats": 2, "count": 4},
                {"seats": 4, "count": 4},
                {"seats": 6, "count": 2},
                {"seats": 8, "count": 1},
            ],
        }
    )


def request(
    party: int = 2,
    day: dt.date = TUESDAY,
    at: dt.time = dt.time(19, 0),
    sitting: int = 90,
    name: str = "Ada Lovelace",
) -> ReservationRequest:
    return ReservationRequest(
        conversation_id="conv-1",
        name=name,
        phone="+15550101",
        party_size=party,
        date=day,
        time=at,
        sitting_minutes=sitting,
    )


@pytest.fixture
def profile() -> RestaurantProfile:
    return make_profile()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "resvoice.db"  # parent folder does not exist yet


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[Storage]:
    store = await open_storage(database_url)
    yield store
    await store.close()


@pytest.fixture
async def seeded(storage: Storage, profile: RestaurantProfile) -> Storage:
    await storage.seed(profile, DOCS, VECTORS, EMBEDDER)
    return storage


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[tuple[Storage, Storage]]:
    """Two `Storage` objects on one database: what two `resvoice serve` processes hold."""
    one = await open_storage(database_url)
    other = await open_storage(database_url)
    try:
        yield one, other
    finally:
        await one.close()
        await other.close()
