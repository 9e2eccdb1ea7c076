"""The process's asyncpg pool as a `Database` (see `storage/backend.py`): one statement or one
transaction per borrowed connection, every driver error a `StorageError` naming the server."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from resvoice.errors import StorageError
from resvoice.storage.backend import Dialect, Tx
from resvoice.storage.postgres import sql
from resvoice.storage.postgres.connection import dsn_of, open_pool
from resvoice.storage.url import mask_password

BOOKING_LOCK = 0x52455356  # 'RESV': the advisory lock key of bookings, with the day


class PostgresDB:
    """The pool of one `PostgresStorage`; `masked` is its URL without the password."""

    dialect: Dialect = sql

    def __init__(self, url: str, pool: asyncpg.Pool, vector_schema: str):
        """Private: use `open`, which migrates the schema first."""
        self.masked = mask_password(url)
        self.dsn = dsn_of(url)
        self.pool = pool
        self.vector_schema = vector_schema

    @classmethod
    async def open(cls, url: str, *, pool_size: int) -> PostgresDB:
        pool, schema = await open_pool(url, pool_size=pool_size)
        return cls(url, pool, schema)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        try:
            async with self.pool.acquire() as db:
                yield db
        except sql.ERRORS as exc:
            raise StorageError(f"query on {self.masked} failed: {exc}") from exc

    @asynccontextmanager
    async def seed_transaction(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.connection() as db, db.transaction():
            # one seeder at a time, so two processes seeding at once cannot interleave
            await db.execute("SELECT pg_advisory_xact_lock(hashtext('resvoice.seed'))")
            yield db

    @asynccontextmanager
    async def write_tx(self) -> AsyncIterator[asyncpg.Connection]:
        """One transaction; a lost race (`retry_errors`) propagates as itself for a re-run."""
        try:
            async with self.pool.acquire() as db, db.transaction():
                yield db
        except self.retry_errors:
            raise
        except sql.ERRORS as exc:
            raise StorageError(f"query on {self.masked} failed: {exc}") from exc

    async def lock_day(self, tx: Tx, day: dt.date) -> None:
        """Bookings and moves into one day take turns (the exclusion constraint still backs it)."""
        await tx.execute("SELECT pg_advisory_xact_lock($1, $2)", BOOKING_LOCK, day.toordinal())

    @property
    def retry_errors(self) -> tuple[type[BaseException], ...]:
        return (asyncpg.ExclusionViolationError, asyncpg.DeadlockDetectedError)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A few writes that commit together (a session's row and its new transcript lines)."""
        async with self.connection() as db, db.transaction():
            yield db

    async def fetch(self, statement: str, *args: Any) -> list[asyncpg.Record]:
        """One statement on a pooled connection (its own transaction)."""
        async with self.connection() as db:
            return list(await db.fetch(statement, *args))

    commit = fetch  # every statement commits on its own
    insert_reservation = fetch  # `RESTORE_RESERVATION` returns the joined row
