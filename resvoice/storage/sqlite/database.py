"""SQLite connections for `SQLiteStorage`, and how they are shared.

Concurrency model:

* One aiosqlite *writer* connection does every write, each inside `BEGIN IMMEDIATE`, and an
  `asyncio.Lock` serialises write transactions: aiosqlite runs all of a connection's statements
  on one thread, so without the lock two tasks' statements could interleave inside one
  transaction (and one task's rollback would undo the other's work).
* File databases get a second, query-only *reader* connection. In WAL mode every read statement
  sees the last committed snapshot, so reads never wait for a write and never see half a seed.
  `:memory:` has one connection, so reads take the write lock there.
* Across processes, `BEGIN IMMEDIATE` takes SQLite's write lock up front (`busy_timeout` waits
  for it) and the `reservations_no_overlap_*` triggers refuse any overlapping booking whatever
  client writes it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from resvoice.errors import StorageError
from resvoice.storage import migrations
from resvoice.storage.backend import Dialect, Tx
from resvoice.storage.sqlite import sql
from resvoice.storage.sqlite.connection import DB_ERRORS, Migrator, connect, prepare_file

T = TypeVar("T")


async def settled(call: Awaitable[T]) -> T:
    """Await one aiosqlite call; if the awaiting task is cancelled, let the statement finish first.

    aiosqlite runs a statement on its connection's thread and posts the result back to the loop
    that asked. A task cancelled mid-statement would otherwise end at once; if its loop then
    closes (a server stopping; a test client's own loop), the thread's post fails, the thread
    dies, and every later call on that connection, `close` included, waits forever. So no
    statement is ever abandoned: the cancellation is raised once the statement is done.
    """
    task = asyncio.ensure_future(call)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        while not task.done():
            with suppress(asyncio.CancelledError):
                await asyncio.wait({task})
        if not task.cancelled():
            task.exception()  # retrieved: the caller was cancelled, the outcome is moot
        raise


class SQLiteDB:
    """The writer (every write, under a lock) and the reader (a committed snapshot).

    A `Database` (see `storage/backend.py`) for the logic both backends share.
    """

    dialect: Dialect = sql

    def __init__(self, path: str, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        """Private: use `open`, which migrates the schema first."""
        self.path = path
        self.writer = writer
        self.reader = reader
        self.closed = False
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteDB:
        """Open (creating parent folders) and migrate a database file; `":memory:"` works too."""
        memory = str(path) == ":memory:"
        target = str(path) if memory else await asyncio.to_thread(prepare_file, Path(path))
        try:
            writer = await connect(target)
        except DB_ERRORS as exc:
            raise StorageError(f"cannot open database {target}: {exc}") from exc
        try:
            await migrations.migrate(Migrator(writer), "sqlite")
            if not memory:
                await writer.execute_fetchall("PRAGMA journal_mode = WAL")
                # WAL + NORMAL: a committed turn survives a crash of resvoice; only a power cut
                # can lose the last commits. Saves an fsync per notepad write on the hot path.
                await writer.execute_fetchall("PRAGMA synchronous = NORMAL")
            reader = writer if memory else await connect(target, query_only=True)
        except BaseException as exc:
            await writer.close()
            if isinstance(exc, DB_ERRORS):
                raise StorageError(f"cannot open database {target}: {exc}") from exc
            raise
        return cls(target, writer, reader)

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.reader is not self.writer:
            await self.reader.close()
        await self.writer.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SQLiteTx]:
        """One write transaction: under the lock, BEGIN IMMEDIATE, COMMIT or ROLLBACK."""
        async with self._lock:
            db = self.writer
            try:
                await settled(db.execute("BEGIN IMMEDIATE"))
            except DB_ERRORS as exc:
                raise StorageError(f"cannot write to {self.path}: {exc}") from exc
            try:
                yield SQLiteTx(db)
            except BaseException as exc:
                # Shielded: a second cancellation must not leave the transaction open.
                with suppress(*DB_ERRORS):
                    await settled(db.execute("ROLLBACK"))
                if isinstance(exc, DB_ERRORS):
                    raise StorageError(f"write to {self.path} failed: {exc}") from exc
                raise
            try:
                await settled(db.execute("COMMIT"))
            except DB_ERRORS as exc:
                with suppress(*DB_ERRORS):
                    await settled(db.execute("ROLLBACK"))
                raise StorageError(f"commit to {self.path} failed: {exc}") from exc

    async def fetch(self, statement: str, *args: Any) -> list[sqlite3.Row]:
        """Run one read statement on the reader (a committed snapshot)."""
        return await self.read(statement, args)

    async def commit(self, statement: str, *args: Any) -> list[sqlite3.Row]:
        async with self.write() as tx:
            return await tx.fetch(statement, *args)

    def write_tx(self) -> AbstractAsyncContextManager[SQLiteTx]:
        """One write transaction (see `write`)."""
        return self.write()

    async def lock_day(self, tx: Tx, day: dt.date) -> None:
        """Nothing to take: `write` already holds SQLite's one write lock."""

    @property
    def retry_errors(self) -> tuple[type[BaseException], ...]:
        return ()  # writes are serialised: no change ever loses a race

    def transaction(self) -> AbstractAsyncContextManager[SQLiteTx]:
        """A few writes that commit together (see `write`)."""
        return self.write()

    def seed_transaction(self) -> AbstractAsyncContextManager[SQLiteTx]:
        """One write transaction (see `write`): SQLite's write lock serialises seeds."""
        return self.write()

    async def insert_reservation(self, statement: str, *args: Any) -> list[sqlite3.Row]:
        async with self.write() as tx:
            rows = await tx.fetch(statement, *args)
            return await tx.fetch(sql.RESERVATION_BY_ID, rows[0]["id"]) if rows else []

    async def read(
        self, statement: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[sqlite3.Row]:
        """Run one read statement on the reader, with positional or named parameters."""
        try:
            if self.reader is self.writer:
                async with self._lock:
                    return list(await settled(self.reader.execute_fetchall(statement, params)))
            return list(await settled(self.reader.execute_fetchall(statement, params)))
        except DB_ERRORS as exc:
            raise StorageError(f"query on {self.path} failed: {exc}") from exc


class SQLiteTx:
    """The writer inside one `SQLiteDB.write` transaction, as a `Tx` (see `storage/backend.py`)."""

    def __init__(self, db: aiosqlite.Connection):
        self.db = db

    async def fetch(self, statement: str, *args: Any) -> list[sqlite3.Row]:
        return list(await settled(self.db.execute_fetchall(statement, args)))

    async def fetch_named(self, statement: str, params: dict[str, Any]) -> list[sqlite3.Row]:
        return list(await settled(self.db.execute_fetchall(statement, params)))

    async def execute(self, statement: str, *args: Any) -> None:
        await settled(self.db.execute(statement, args))

    async def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        await settled(self.db.executemany(statement, rows))
