"""What only Postgres has: its migrations, the pool, the exclusion constraint under 50 writers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from resvoice.errors import StorageError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import open_storage
from resvoice.storage.migrations import load_migrations
from resvoice.storage.postgres import PostgresStorage
from tests.databases import fresh_database

from .conftest import DOCS, EMBEDDER, TUESDAY, VECTORS, request


@pytest.fixture
async def pg_url(postgres_server: str) -> AsyncIterator[str]:
    async with fresh_database(postgres_server) as url:
        yield url


async def _rows(url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


def test_postgres_migrations_ship_as_package_data() -> None:
    migrations = load_migrations("postgres")
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert "EXCLUDE USING gist" in migrations[0].sql


async def test_migrations_apply_once_even_when_two_processes_open_at_once(pg_url: str) -> None:
    stores = await asyncio.gather(open_storage(pg_url), open_storage(pg_url))
    for store in stores:
        await store.close()
    first = await _rows(pg_url, "SELECT * FROM schema_migrations ORDER BY version")
    assert [(r["version"], r["name"]) for r in first] == [
        (m.version, m.name) for m in load_migrations("postgres")
    ]
    await (await open_storage(pg_url)).close()
    assert await _rows(pg_url, "SELECT * FROM schema_migrations ORDER BY version") == first


async def test_newer_schema_is_refused_and_left_untouched(pg_url: str) -> None:
    await (await open_storage(pg_url)).close()
    conn = await asyncpg.connect(pg_url)
    try:
        await conn.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', now())")
    finally:
        await conn.close()
    before = await _rows(pg_url, "SELECT * FROM schema_migrations ORDER BY version")
    latest = load_migrations("postgres")[-1].version

    with pytest.raises(StorageError) as caught:
        await open_storage(pg_url)

    assert str(caught.value) == (
        f"database schema v99 is newer than this resvoice (v{latest}); upgrade resvoice"
    )
    assert await _rows(pg_url, "SELECT * FROM schema_migrations ORDER BY version") == before


async def test_fifty_bookings_of_one_slot_from_fifty_connections(
    pg_url: str, profile: RestaurantProfile
) -> None:
    """Fifty processes' worth of pools, one booking each, all for the only eight-top."""
    stores = list(await asyncio.gather(*(PostgresStorage.open(pg_url) for _ in range(50))))
    try:
        await stores[0].seed(profile, DOCS, VECTORS, EMBEDDER)
        results = await asyncio.gather(
            *(store.book(request(party=8, name=f"Caller {n}")) for n, store in enumerate(stores))
        )
        winners = [r.reservation for r in results if r.reservation is not None]
        assert len(winners) == 1 and winners[0].table.name == "T11"
        assert sum(not r.booked for r in results) == 49
        assert [r.id for r in await stores[1].reservations_on(TUESDAY)] == [winners[0].id]
    finally:
        await asyncio.gather(*(store.close() for store in stores))


async def test_racing_parties_of_two_spread_over_the_small_tables(
    pg_url: str, profile: RestaurantProfile
) -> None:
    """Races that lose a table retry and take the next one; only when all are gone is it taken."""
    stores = list(await asyncio.gather(*(PostgresStorage.open(pg_url) for _ in range(12))))
    try:
        await stores[0].seed(profile, DOCS, VECTORS, EMBEDDER)
        results = await asyncio.gather(*(store.book(request(party=2)) for store in stores))
        tables = sorted(r.reservation.table.name for r in results if r.reservation is not None)
        assert tables == sorted(f"T{n}" for n in range(1, 12))  # every table once
        assert sum(not r.booked for r in results) == 1
    finally:
        await asyncio.gather(*(store.close() for store in stores))


async def test_vectors_get_an_hnsw_cosine_index(pg_url: str, profile: RestaurantProfile) -> None:
    store = await open_storage(pg_url)
    try:
        await store.seed(profile, DOCS, VECTORS, EMBEDDER)
    finally:
        await store.close()
    indexes = await _rows(
        pg_url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_vectors'"
    )
    assert any("hnsw" in r["indexdef"] and "vector_cosine_ops" in r["indexdef"] for r in indexes)
    phone = await _rows(
        pg_url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'voice_sessions'"
    )
    assert any("notepad ->> 'phone'" in r["indexdef"] for r in phone)
