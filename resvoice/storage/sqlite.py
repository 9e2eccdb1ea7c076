"""`Storage` on SQLite: one file (or `:memory:`), FTS5 for words, sqlite-vec for vectors.

The connections and their concurrency model (one locked writer, a snapshot reader) are
`SQLiteDB` in `_sqlite_db.py`; the knowledge searches are `SQLiteKnowledge` in
`_sqlite_knowledge.py`; what both backends do alike is `SQLStorage` in `_sql_storage.py`, run
with this backend's SQL from `_sqlite_sql.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, ClassVar

from resvoice.errors import StorageError
from resvoice.storage import _sqlite_connect as c
from resvoice.storage import _sqlite_sql as q
from resvoice.storage._dialect import Dialect, Tx
from resvoice.storage._reservation_changes import booked_values, record_change
from resvoice.storage._sql_storage import SQLStorage
from resvoice.storage._sqlite_db import SQLiteDB
from resvoice.storage._sqlite_knowledge import SQLiteKnowledge
from resvoice.storage.base import (
    BookingResult,
    EscalationRecord,
    ReservationRequest,
    TableRecord,
)
from resvoice.storage.codes import new_code

__all__ = ["SQLiteStorage"]

log = logging.getLogger(__name__)

CODE_ATTEMPTS = 20  # draws of a confirmation code before giving up (a clash is ~1 in 10^8)
WATCH_POLL_S = 0.2  # how often `watch_escalations` looks for changes

Row = sqlite3.Row


class SQLiteStorage(SQLiteKnowledge, SQLStorage):
    """`Storage` on SQLite. Create with `await SQLiteStorage.open(path)`."""

    backend = "sqlite"
    _q: ClassVar[Dialect] = q

    def __init__(self, db: SQLiteDB):
        """Private: use `open`, which migrates the schema first."""
        self.path = db.path
        self._db = db

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteStorage:
        """Open (creating parent folders) and migrate a database file; `":memory:"` works too.

        Raises:
            StorageError: the file cannot be opened or is from a newer resvoice.
        """
        return cls(await SQLiteDB.open(path))

    async def close(self) -> None:
        await self._db.close()

    # availability and bookings ---------------------------------------------------------------
    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        """Active tables seating the party with no booking overlapping the sitting, smallest first.

        Derived from the reservations on every call (nothing pre-generated), so any date works.
        """
        params = q.slot_params(day, start, sitting_minutes, party_size)
        rows = await self._db.fetch(
            f"SELECT t.id, t.name, t.seats, t.area FROM dining_tables AS t {q.FREE_TABLE_WHERE} "
            "ORDER BY t.seats, t.id",
            params,
        )
        return [q.ROWS.table(row) for row in rows]

    async def book(self, request: ReservationRequest) -> BookingResult:
        """Take the smallest free table that fits, atomically.

        One `INSERT ... SELECT ... WHERE NOT EXISTS (overlap) ORDER BY seats, id LIMIT 1` picks
        and takes the table in a single statement, inside `BEGIN IMMEDIATE` (SQLite's write lock,
        so no other connection or process can book between the check and the insert) and under
        the in-process write lock. The overlap triggers are the last line of defence: if they
        ever fire, the booking is refused rather than double-booked.
        """
        params = q.slot_params(
            request.date, request.time, request.sitting_minutes, request.party_size
        )
        params.update(
            conversation_id=request.conversation_id,
            name=request.name,
            phone=request.phone,
            email=request.email,
            special_requests=request.special_requests,
            created_at=q.timestamp(),
        )
        async with self._db.write() as db:
            for _ in range(CODE_ATTEMPTS):
                try:
                    rows = await db.fetch_named(q.BOOK_SQL, {**params, "code": new_code()})
                    break
                except c.DRIVER.IntegrityError as exc:
                    if q.CODE_CLASH_MESSAGE in str(exc):
                        continue  # that code is taken: draw another
                    if q.OVERLAP_MESSAGE not in str(exc):
                        raise
                    log.warning("overlap trigger refused a booking: %s", exc)
                    return BookingResult(reservation=None)
            else:
                raise StorageError("could not draw a free confirmation code")
            if not rows:
                return BookingResult(reservation=None)
            booked = q.ROWS.reservation((await db.fetch(q.RESERVATION_BY_ID, rows[0]["id"]))[0])
            await record_change(
                db, q, booked.id, "book", booked_values(booked), request.by, request.conversation_id
            )
        return BookingResult(reservation=booked)

    # escalations -----------------------------------------------------------------------------
    async def watch_escalations(
        self, after_id: int | None = None
    ) -> AsyncIterator[EscalationRecord]:
        """Escalations created or changed by any process, polled every `WATCH_POLL_S` seconds.

        Every insert and visible update raises the row's `change_seq` (triggers of migration 3)
        and writes are serialised by SQLite's write lock, so a poll for `change_seq > last seen`
        never skips a change. Ends when the storage is closed.
        """
        rows = await self._fetch(
            "SELECT coalesce(max(id), 0) AS id, coalesce(max(change_seq), 0) AS seq "
            "FROM escalations"
        )
        last = int(rows[0]["seq"])
        rows = await self._fetch(
            "SELECT * FROM escalations WHERE id > ? AND change_seq <= ? ORDER BY id",
            int(rows[0]["id"]) if after_id is None else after_id,
            last,
        )
        for row in rows:
            yield q.ROWS.escalation(row)
        while not self._db.closed:
            rows = await self._fetch(
                "SELECT * FROM escalations WHERE change_seq > ? ORDER BY change_seq", last
            )
            for row in rows:
                last = row["change_seq"]
                yield q.ROWS.escalation(row)
            if not rows:
                await asyncio.sleep(WATCH_POLL_S)

    # connection plumbing (see `SQLStorage`) --------------------------------------------------
    _RETRY = ()  # the write lock serialises every change: none loses a race

    def _write_tx(self) -> AbstractAsyncContextManager[Tx]:
        return self._db.write()

    def _seed_transaction(self) -> AbstractAsyncContextManager[Tx]:
        """One write transaction (see `SQLiteDB.write`): SQLite's write lock serialises seeds."""
        return self._db.write()

    async def _fetch(self, sql: str, *args: Any) -> list[Row]:
        """Run one read statement on the reader (a committed snapshot)."""
        return await self._db.fetch(sql, args)

    async def _commit(self, sql: str, *args: Any) -> list[Row]:
        async with self._db.write() as db:
            return await db.fetch(sql, *args)

    async def _insert_reservation(self, sql: str, *args: Any) -> list[Row]:
        async with self._db.write() as db:
            rows = await db.fetch(sql, *args)
            return await db.fetch(q.RESERVATION_BY_ID, rows[0]["id"]) if rows else []

    async def _fetch_named(self, sql: str, params: dict[str, Any]) -> Sequence[Row]:
        return await self._db.fetch(sql, params)
