"""`Storage` on PostgreSQL with pgvector: one asyncpg pool per process, shared by every call.

Concurrency model:

* `PostgresStorage.open` creates one connection pool for the process; every method borrows a
  connection for one statement or one transaction, so calls never wait on each other's Python.
* A booking is one `INSERT ... SELECT` that picks the smallest free table; the exclusion
  constraint `reservations_no_overlap` (GiST over table and `tsrange` of the sitting, for
  `status = 'booked'`) is what makes double-booking impossible for any client. An exclusion
  constraint rather than a row lock or a unique key: sittings overlap by time range, not by an
  equal value, so a unique key cannot express it, and a lock would have to cover tables the
  statement has not chosen yet. When two bookings race for one table, Postgres makes the second
  wait for the first to commit and then refuses it; `book` then re-runs the statement, which now
  sees the first booking and takes the next free table or reports the slot taken. Bookings of one
  day first take a transaction-scoped advisory lock on that day: without it, racing inserts each
  wait on the other's uncommitted row in the constraint check, Postgres breaks the deadlock only
  after `deadlock_timeout` (1 s), and a crowd of racers can keep deadlocking for minutes. The
  lock only orders bookings of the same day (a few milliseconds each); the constraint stays the
  guarantee, for any client and for sittings that run past midnight.
* Escalations are claimed with `SELECT ... FOR UPDATE SKIP LOCKED` (two human agents never get
  one call); new and changed ones are announced by triggers with `pg_notify`, which
  `watch_escalations` LISTENs to.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Sequence

import asyncpg

from resvoice.errors import StorageError
from resvoice.restaurant.documents import KnowledgeKind
from resvoice.storage.bookings import slot_minutes
from resvoice.storage.codes import new_code
from resvoice.storage.postgres import knowledge, sql
from resvoice.storage.postgres.connection import connect
from resvoice.storage.postgres.database import PostgresDB
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

__all__ = ["PostgresStorage"]

log = logging.getLogger(__name__)

RESERVATION_CHANNEL = "resvoice_reservations"  # migration 6's trigger on reservation_changes

# A retry follows a committed rival or a deadlock abort; never reached in use.
MAX_BOOKING_ATTEMPTS = 100
# First key of the advisory lock that orders one day's bookings (the day's ordinal is the second).


class PostgresStorage(SQLStorage):
    """`Storage` on PostgreSQL + pgvector. Create with `await PostgresStorage.open(url)`."""

    backend = "postgres"

    def __init__(self, db: PostgresDB):
        """Private: use `open`, which migrates the schema first."""
        super().__init__(db)
        self.masked = db.masked
        self._postgres = db
        self._listeners: set[asyncpg.Connection] = set()
        self._closed = False

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 10) -> PostgresStorage:
        """Connect, migrate, then create the process's pool of up to `pool_size` connections.

        Raises:
            StorageError: the server cannot be reached or the schema is from a newer resvoice.
        """
        return cls(await PostgresDB.open(url, pool_size=pool_size))

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for listener in list(self._listeners):
            await listener.close()
        await self._postgres.close()

    # availability and bookings ---------------------------------------------------------------
    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        """Active tables seating the party, free for the whole sitting, smallest first."""
        start_min, end_min = slot_minutes(start, sitting_minutes, party_size)
        begin, end = sql.slot_range(day, start_min, end_min)
        rows = await self._postgres.fetch(sql.FREE_TABLES, begin, end, party_size)
        return [sql.ROWS.table(row) for row in rows]

    async def book(self, request: ReservationRequest) -> BookingResult:
        """Take the smallest free table that fits; never double-books (see the module doc)."""
        start_min, end_min = slot_minutes(request.time, request.sitting_minutes, request.party_size)
        begin, end = sql.slot_range(request.date, start_min, end_min)
        args = (
            begin,
            end,
            request.party_size,
            request.conversation_id,
            request.name,
            request.phone,
            request.date,
            start_min,
            end_min,
            request.email,
            request.special_requests,
            sql.stamp(),
        )
        for _ in range(MAX_BOOKING_ATTEMPTS):
            try:
                async with self._postgres.pool.acquire() as db, db.transaction():
                    await self._postgres.lock_day(db, request.date)
                    rows = list(await db.fetch(sql.BOOK, *args, new_code()))
                    if not rows:
                        return BookingResult(reservation=None)
                    booked = sql.ROWS.reservation(rows[0])
                    await record_change(
                        db,
                        sql,
                        booked.id,
                        "book",
                        booked_values(booked),
                        request.by,
                        request.conversation_id,
                    )
            except (
                asyncpg.ExclusionViolationError,
                asyncpg.DeadlockDetectedError,
                asyncpg.UniqueViolationError,
            ):
                # A concurrent booking took that table first, two racing inserts waited on
                # each other's exclusion check and Postgres aborted this one, or the drawn
                # confirmation code was taken: look again.
                continue
            except sql.ERRORS as exc:
                raise StorageError(f"booking on {self.masked} failed: {exc}") from exc
            return BookingResult(reservation=booked)
        raise StorageError(f"booking on {self.masked} kept colliding; try again")

    # escalations -----------------------------------------------------------------------------
    async def watch_escalations(
        self, after_id: int | None = None
    ) -> AsyncIterator[EscalationRecord]:
        """Escalations created or changed by any process, as it happens, until the caller stops.

        LISTENs on a dedicated connection first, then catches up on escalations with an id above
        `after_id` (all newer than the newest existing one when None), so nothing committed
        after the call is missed. A notification names a row; its state when read is yielded
        unless it is the one last yielded for that row. Ends when the storage is closed; raises
        `StorageError` if the connection is lost otherwise.
        """
        inbox: asyncio.Queue[int | None] = asyncio.Queue()
        listener = await connect(self._postgres.dsn)
        self._listeners.add(listener)

        def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
            inbox.put_nowait(int(payload))

        try:
            listener.add_termination_listener(lambda _conn: inbox.put_nowait(None))
            await listener.add_listener(sql.ESCALATION_CHANNEL, notified)
            if after_id is None:
                rows = await self._postgres.fetch(
                    "SELECT coalesce(max(id), 0) AS n FROM escalations"
                )
                after_id = int(rows[0]["n"])
            shown: dict[int, tuple[object, ...]] = {}  # id -> the state last yielded
            for row in await self._postgres.fetch(sql.ESCALATIONS_AFTER, after_id):
                shown[row["id"]] = _state(row)
                yield sql.ROWS.escalation(row)
            while True:
                escalation_id = await inbox.get()
                if escalation_id is None:
                    if self._closed:
                        return  # this storage was closed: the feed ends
                    raise StorageError(f"lost the escalation feed of {self.masked}")
                found = await self._postgres.fetch(sql.ESCALATION_BY_ID, escalation_id)
                if not found or shown.get(escalation_id) == _state(found[0]):
                    continue  # deleted, or this state was yielded already (catch-up, a repeat)
                shown[escalation_id] = _state(found[0])
                yield sql.ROWS.escalation(found[0])
        finally:
            self._listeners.discard(listener)
            if not listener.is_closed():
                await asyncio.shield(listener.close())

    async def watch_reservations(self) -> AsyncIterator[int]:
        """Reservations booked, changed or cancelled by any process: every entry of the change
        history is announced (trigger of migration 6) with its reservation's id, which this
        LISTENs to on a dedicated connection. Ends when the storage is closed; raises
        `StorageError` if the connection is lost otherwise."""
        inbox: asyncio.Queue[int | None] = asyncio.Queue()
        listener = await connect(self._postgres.dsn)
        self._listeners.add(listener)

        def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
            inbox.put_nowait(int(payload))

        try:
            listener.add_termination_listener(lambda _conn: inbox.put_nowait(None))
            await listener.add_listener(RESERVATION_CHANNEL, notified)
            while True:
                reservation_id = await inbox.get()
                if reservation_id is None:
                    if self._closed:
                        return
                    raise StorageError(f"lost the reservation feed of {self.masked}")
                yield reservation_id
        finally:
            self._listeners.discard(listener)
            if not listener.is_closed():
                await asyncio.shield(listener.close())

    # knowledge searches (see `knowledge.py`) --------------------------------------------------
    async def _keyword_hits(
        self, terms: list[str], limit: int, kinds: Sequence[KnowledgeKind] | None
    ) -> list[KeywordHit]:
        return await knowledge.keyword_hits(self._postgres, terms, limit, kinds)

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]:
        return await knowledge.vector_search(self._postgres, vector, limit, kinds)


def _state(row: asyncpg.Record) -> tuple[object, ...]:
    """What a console shows changing of an escalation."""
    return (row["status"], row["detail"], row["claimed_by"], row["updated_at"])
