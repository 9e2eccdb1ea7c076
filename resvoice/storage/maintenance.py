"""`resvoice db status` and `resvoice db migrate`: read and apply schema versions of either backend.

Status never writes: it reads `schema_migrations` without migrating (and without creating a
SQLite file that is not there yet). Both raise `StorageError` for an unreachable database and
`ConfigError` for a malformed URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from resvoice.errors import StorageError
from resvoice.storage.migrations import (
    AppliedMigration,
    Migration,
    MigrationTarget,
    load_migrations,
    migrate,
)
from resvoice.storage.url import DatabaseURL, parse_database_url

__all__ = ["MigrationStatus", "apply_migrations", "migration_status"]

T = TypeVar("T")


@dataclass(frozen=True)
class MigrationStatus:
    backend: str
    database: str  # the URL, password masked
    applied: list[AppliedMigration]
    pending: list[Migration]
    latest: int  # the newest version this resvoice knows

    @property
    def current(self) -> int:
        return self.applied[-1].version if self.applied else 0

    @property
    def newer_than_code(self) -> bool:
        return self.current > self.latest


async def migration_status(url: str) -> MigrationStatus:
    parsed = parse_database_url(url)
    known = load_migrations(parsed.backend)
    async with _target(parsed, create=False) as target:
        applied = await target.applied() if target is not None else []
    current = applied[-1].version if applied else 0
    return MigrationStatus(
        backend=parsed.backend,
        database=parsed.masked,
        applied=applied,
        pending=[m for m in known if m.version > current],
        latest=known[-1].version if known else 0,
    )


async def apply_migrations(url: str) -> list[Migration]:
    """Apply what is pending; returns what this call applied. Refuses a newer database."""
    parsed = parse_database_url(url)
    async with _target(parsed, create=True) as target:
        assert target is not None
        return await migrate(target, parsed.backend)


@asynccontextmanager
async def _target(parsed: DatabaseURL, *, create: bool) -> AsyncIterator[MigrationTarget | None]:
    if parsed.backend == "postgres":
        from resvoice.storage.postgres import connection as postgres_connection

        conn = await postgres_connection.connect(parsed.url.get_secret_value())
        try:
            yield postgres_connection.Migrator(conn)
        finally:
            await conn.close()
        return
    from resvoice.storage.sqlite import connection as sqlite_connection

    assert parsed.path is not None
    path = parsed.path
    if path != ":memory:":
        file = await asyncio.to_thread(Path(path).expanduser)
        if not create and not await asyncio.to_thread(file.exists):
            yield None  # no file yet: nothing applied
            return
        path = await asyncio.to_thread(sqlite_connection.prepare_file, file)
    try:
        db = await sqlite_connection.connect(path)
    except sqlite_connection.DB_ERRORS as exc:
        raise StorageError(f"cannot open database {path}: {exc}") from exc
    try:
        yield _SQLiteErrors(sqlite_connection.Migrator(db), path)
    finally:
        await db.close()


class _SQLiteErrors:
    """A SQLite migrator whose driver errors (a file that is no database) are `StorageError`s."""

    def __init__(self, inner: MigrationTarget, path: str) -> None:
        self._inner = inner
        self._path = path

    async def current_version(self) -> int:
        return await self._guard(self._inner.current_version())

    async def applied(self) -> list[AppliedMigration]:
        return await self._guard(self._inner.applied())

    async def apply(self, migration: Migration) -> bool:
        return await self._guard(self._inner.apply(migration))

    async def _guard(self, work: Awaitable[T]) -> T:
        from resvoice.storage.sqlite import connection as sqlite_connection

        try:
            return await work
        except sqlite_connection.DB_ERRORS as exc:
            raise StorageError(f"cannot read database {self._path}: {exc}") from exc
