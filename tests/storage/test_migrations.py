"""Schema migrations: applied once on open, recorded, and a newer schema is left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from resvoice.errors import StorageError
from resvoice.storage.migrations import load_migrations
from resvoice.storage.sqlite import SQLiteStorage


def _migration_rows(path: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()


def test_sqlite_migrations_ship_as_package_data() -> None:
    migrations = load_migrations("sqlite")
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "initial"
    assert "CREATE TABLE reservations" in migrations[0].sql


async def test_open_creates_parent_folder_and_applies_migrations_once(db_path: Path) -> None:
    assert not db_path.parent.exists()
    store = await SQLiteStorage.open(db_path)
    await store.close()
    first = _migration_rows(db_path)
    assert [(v, n) for v, n, _ in first] == [(m.version, m.name) for m in load_migrations("sqlite")]

    store = await SQLiteStorage.open(db_path)
    await store.close()
    assert _migration_rows(db_path) == first  # nothing re-applied, applied_at unchanged


async def test_database_is_in_wal_mode(db_path: Path) -> None:
    store = await SQLiteStorage.open(db_path)
    await store.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_newer_schema_is_refused_and_left_untouched(db_path: Path) -> None:
    store = await SQLiteStorage.open(db_path)
    await store.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO schema_migrations VALUES (99, 'from_the_future', '2099-01-01T00:00:00')"
        )
    before = _migration_rows(db_path)
    latest = load_migrations("sqlite")[-1].version

    with pytest.raises(StorageError) as caught:
        await SQLiteStorage.open(db_path)

    assert str(caught.value) == (
        f"database schema v99 is newer than this resvoice (v{latest}); upgrade resvoice"
    )
    assert _migration_rows(db_path) == before


async def test_a_file_that_is_not_a_database_raises_storage_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open database"):
        await SQLiteStorage.open(junk)


async def test_memory_database_opens_migrated() -> None:
    store = await SQLiteStorage.open(":memory:")
    try:
        assert await store.load_profile() is None
        assert await store.tables() == []
        assert await store.knowledge_count() == 0
    finally:
        await store.close()
