"""`Storage` on SQLite: one file (or `:memory:`), FTS5 for words, sqlite-vec for vectors.

The connections and their concurrency model (one locked writer, a snapshot reader) are
`SQLiteDB` in `database.py`; the knowledge searches are in `knowledge.py`; the SQL is `sql.py`;
what both backends do alike is `SQLStorage` (`storage/sql_storage.py`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from resvoice.errors import StorageError
from resvoice.restaurant.documents import KnowledgeKind
from resvoice.storage.codes import new_code
from resvoice.storage.records import (
    BookingResult,
    EscalationRecord,
    KeywordHit,
    ReservationRequest,
    TableRecord,
    VectorHit,
)
from resvoice.storage.reservation_changes import booked_values, record_change
from resvoice.storage.sql_storage import SQLStorage
from resvoice.storage.sqlite import knowledge, sql
from resvoice.storage.sqlite.connection import DRIVER
from resvoice.storage.sqlite.database import SQLiteDB

__all__ = ["SQLiteStorage"]

log = logging.getLogger(__name__)

CODE_ATTEMPTS = 20  # draws of a confirmation code before giving up (a clash is ~1 in 10^8)
WATCH_POLL_S = 0.2  # how often `watch_escalations` looks for changes


class SQLiteStorage(SQLStorage):
    """`Storage` on SQLite. Create with `await SQLiteStorage.open(path)`."""

    backend = "sqlite"

    def __init__(self, db: SQLiteDB):
        """Private: use `open`, which migrates the schema first."""
        super().__init__(db)
        self.path = db.path
        self._sqlite = db

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteStorage:
        """Open (creating parent folders) and migrate a database file; `":memory:"` works too.

        Raises:
            StorageError: the file cannot be opened or is from a newer resvoice.
        """
        return cls(await SQLiteDB.open(path))

    async def close(self) -> None:
        await self._sqlite.close()

    # availability and bookings ---------------------------------------------------------------
    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        """Active tables seating the party with no booking overlapping the sitting, smallest first.

        Derived from the reservations on every call (nothing pre-generated), so any date works.
        """
        params = sql.slot_params(day, start, sitting_minutes, party_size)
        rows = await self._sqlite.read(
            f"SELECT t.id, t.name, t.seats, t.area FROM dining_tables AS t {sql.FREE_TABLE_WHERE} "
            "ORDER BY t.seats, t.id",
            params,
        )
        return [sql.ROWS.table(row) for row in rows]

    async def book(self, request: ReservationRequest) -> BookingResult:
        """Take the smallest free table that fits, atomically.

        One `INSERT ... SELECT ... WHERE NOT EXISTS (overlap) ORDER BY seats, id LIMIT 1` picks
        and takes the table in a single statement, inside `BEGIN IMMEDIATE` (SQLite's write lock,
        so no other connection or process can book between the check and the insert) and under
        the in-process write lock. The overlap triggers are the last line of defence: if they
        ever fire, the booking is refused rather than double-booked.
        """
        params = sql.slot_params(
            request.date, request.time, request.sitting_minutes, request.party_size
        )
        params.update(
            conversation_id=request.conversation_id,
            name=request.name,
            phone=request.phone,
            email=request.email,
            special_requests=request.special_requests,
            created_at=sql.stamp(),
        )
        async with self._sqlite.write() as tx:
            for _ in range(CODE_ATTEMPTS):
                try:
                    rows = await tx.fetch_named(sql.BOOK, {**params, "code": new_code()})
                    break
                except DRIVER.IntegrityError as exc:
                    if sql.CODE_CLASH_MESSAGE in str(exc):
                        continue  # that confirmation code is taken: draw another
                    if sql.OVERLAP_MESSAGE not in str(exc):
                        raise
                    log.warning("overlap trigger refused a booking: %s", exc)
                    return BookingResult(reservation=None)
            else:
                raise StorageError("could not draw a free confirmation code")
            if not rows:
                return BookingResult(reservation=None)
            found = await tx.fetch(sql.RESERVATION_BY_ID, rows[0]["id"])
            booked = sql.ROWS.reservation(found[0])
            await record_change(
                tx,
                sql,
                booked.id,
                "book",
                booked_values(booked),
                request.by,
                request.conversation_id,
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
        rows = await self._sqlite.fetch(
            "SELECT coalesce(max(id), 0) AS id, coalesce(max(change_seq), 0) AS seq "
            "FROM escalations"
        )
        last = int(rows[0]["seq"])
        rows = await self._sqlite.fetch(
            "SELECT * FROM escalations WHERE id > ? AND change_seq <= ? ORDER BY id",
            int(rows[0]["id"]) if after_id is None else after_id,
            last,
        )
        for row in rows:
            yield sql.ROWS.escalation(row)
        while not self._sqlite.closed:
            rows = await self._sqlite.fetch(
                "SELECT * FROM escalations WHERE change_seq > ? ORDER BY change_seq", last
            )
            for row in rows:
                last = row["change_seq"]
                yield sql.ROWS.escalation(row)
            if not rows:
                await asyncio.sleep(WATCH_POLL_S)

    async def watch_reservations(self) -> AsyncIterator[int]:
        """Reservations booked, changed or cancelled by any process, polled like escalations.

        Every booking and change appends to `reservation_changes` under SQLite's write lock,
        so its ids follow commit order and a poll for `id > last seen` skips nothing.
        """
        rows = await self._sqlite.fetch(
            "SELECT coalesce(max(id), 0) AS id FROM reservation_changes"
        )
        last = int(rows[0]["id"])
        while not self._sqlite.closed:
            rows = await self._sqlite.fetch(
                "SELECT id, reservation_id FROM reservation_changes WHERE id > ? ORDER BY id",
                last,
            )
            for reservation_id in dict.fromkeys(row["reservation_id"] for row in rows):
                yield int(reservation_id)
            if rows:
                last = int(rows[-1]["id"])
            else:
                await asyncio.sleep(WATCH_POLL_S)

    # knowledge searches (see `knowledge.py`) --------------------------------------------------
    async def _keyword_hits(
        self, terms: list[str], limit: int, kinds: Sequence[KnowledgeKind] | None
    ) -> list[KeywordHit]:
        return await knowledge.keyword_hits(self._sqlite, terms, limit, kinds)

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]:
        return await knowledge.vector_search(self._sqlite, vector, limit, kinds)
