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
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self

import asyncpg

from resvoice.errors import StorageError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import _pg_sql as q
from resvoice.storage._pg_connect import connect, dsn_of, open_pool
from resvoice.storage._pg_knowledge import PostgresKnowledge
from resvoice.storage._records import (
    CLAIMABLE_SQL,
    OPEN_SQL,
    check_seed_input,
    dumps,
    sitting_span,
    slot_minutes,
    transcript_json,
    utc,
)
from resvoice.storage._transfers import PostgresTransfers
from resvoice.storage.base import (
    BookingResult,
    EmbedderInfo,
    EscalationRecord,
    EscalationStatus,
    KnowledgeDoc,
    Reservation,
    ReservationRequest,
    SeedSummary,
    SessionRecord,
    TableRecord,
)
from resvoice.storage.url import mask_password

__all__ = ["PostgresStorage"]

log = logging.getLogger(__name__)

# A retry follows a committed rival or a deadlock abort; never reached in use.
MAX_BOOKING_ATTEMPTS = 100
# First key of the advisory lock that orders one day's bookings (the day's ordinal is the second).
BOOKING_LOCK = 0x52455356  # 'RESV'


class PostgresStorage(PostgresKnowledge, PostgresTransfers):
    """`Storage` on PostgreSQL + pgvector. Create with `await PostgresStorage.open(url)`."""

    backend = "postgres"

    def __init__(self, url: str, pool: asyncpg.Pool, vector_schema: str):
        """Private: use `open`, which migrates the schema first."""
        self.masked = mask_password(url)
        self._dsn = dsn_of(url)
        self._pool = pool
        self._vector_schema = vector_schema
        self._listeners: set[asyncpg.Connection] = set()
        self._closed = False

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 10) -> PostgresStorage:
        """Connect, migrate, then create the process's pool of up to `pool_size` connections.

        Raises:
            StorageError: the server cannot be reached or the schema is from a newer resvoice.
        """
        pool, schema = await open_pool(url, pool_size=pool_size)
        return cls(url, pool, schema)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for listener in list(self._listeners):
            await listener.close()
        await self._pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # restaurant data -------------------------------------------------------------------------
    async def seed(
        self,
        profile: RestaurantProfile,
        docs: Sequence[KnowledgeDoc],
        vectors: Sequence[Sequence[float] | None],
        embedder: EmbedderInfo,
    ) -> SeedSummary:
        """Replace the restaurant's data in one transaction (see `Storage.seed` for the contract).

        Tables are named T1..Tn and upserted by name, so ids stay stable; a table the profile no
        longer lists is deleted when unbooked, otherwise retired (as in SQLite).
        """
        check_seed_input(docs, vectors, embedder)
        async with self._transaction() as db:
            # one seeder at a time, so two processes seeding at once cannot interleave
            await db.execute("SELECT pg_advisory_xact_lock(hashtext('resvoice.seed'))")
            await db.execute(
                "INSERT INTO restaurant (id, profile, updated_at) VALUES (1, $1::jsonb, $2) "
                "ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, "
                "updated_at = excluded.updated_at WHERE restaurant.profile != excluded.profile",
                profile.model_dump_json(),
                utc(),
            )
            tables = await q.seed_tables(db, profile)
            await q.seed_hours(db, profile)
            fresh_vectors = await q.ensure_vector_table(db, embedder)
            removed = await q.seed_docs(db, docs, vectors, fresh_vectors, embedder.dim)
        return SeedSummary(
            tables=tables,
            documents=len(docs),
            embedded=sum(vector is not None for vector in vectors),
            removed=removed,
        )

    async def load_profile(self) -> RestaurantProfile | None:
        # profile::text keeps the stored JSON as written; jsonb would reorder keys, harmlessly
        value = await self._fetchval("SELECT profile::text FROM restaurant WHERE id = 1")
        return RestaurantProfile.model_validate_json(value) if value is not None else None

    async def tables(self) -> list[TableRecord]:
        rows = await self._fetch(
            "SELECT id, name, seats, area FROM dining_tables WHERE active ORDER BY id"
        )
        return [q.table(row) for row in rows]

    # availability and bookings ---------------------------------------------------------------
    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        """Active tables seating the party, free for the whole sitting, smallest first."""
        start_min, end_min = slot_minutes(start, sitting_minutes, party_size)
        begin, end = q.slot_range(day, start_min, end_min)
        rows = await self._fetch(q.FREE_TABLES, begin, end, party_size)
        return [q.table(row) for row in rows]

    async def book(self, request: ReservationRequest) -> BookingResult:
        """Take the smallest free table that fits; never double-books (see the module doc)."""
        start_min, end_min = slot_minutes(request.time, request.sitting_minutes, request.party_size)
        begin, end = q.slot_range(request.date, start_min, end_min)
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
            utc(),
        )
        for _ in range(MAX_BOOKING_ATTEMPTS):
            try:
                async with self._pool.acquire() as db, db.transaction():
                    await db.execute(
                        "SELECT pg_advisory_xact_lock($1, $2)",
                        BOOKING_LOCK,
                        request.date.toordinal(),
                    )
                    rows = list(await db.fetch(q.BOOK, *args))
            except (asyncpg.ExclusionViolationError, asyncpg.DeadlockDetectedError):
                # A concurrent booking took that table first, or two racing inserts waited on
                # each other's exclusion check and Postgres aborted this one: look again.
                continue
            except q.ERRORS as exc:
                raise StorageError(f"booking on {self.masked} failed: {exc}") from exc
            if not rows:
                return BookingResult(reservation=None)
            return BookingResult(reservation=q.reservation(rows[0]))
        raise StorageError(f"booking on {self.masked} kept colliding; try again")

    async def reservations_on(self, day: dt.date) -> list[Reservation]:
        """Every reservation starting on `day` (booked and cancelled), by start time then table."""
        rows = await self._fetch(
            f"{q.RESERVATION_SELECT} WHERE r.date = $1 ORDER BY r.start_min, t.seats, t.id, r.id",
            day,
        )
        return [q.reservation(row) for row in rows]

    async def reservation(self, reservation_id: int) -> Reservation | None:
        rows = await self._fetch(f"{q.RESERVATION_SELECT} WHERE r.id = $1", reservation_id)
        return q.reservation(rows[0]) if rows else None

    async def all_reservations(self) -> list[Reservation]:
        rows = await self._fetch(f"{q.RESERVATION_SELECT} ORDER BY r.id")
        return [q.reservation(row) for row in rows]

    async def restore_reservation(self, reservation: Reservation) -> Reservation:
        start_min, end_min = sitting_span(reservation)
        rows = await self._fetch(
            "WITH r AS (INSERT INTO reservations (table_id, conversation_id, name, phone, "
            "party_size, date, start_min, end_min, email, special_requests, status, created_at) "
            "SELECT t.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 "
            "FROM dining_tables AS t WHERE t.name = $1 RETURNING *) "
            f"SELECT {q.RESERVATION_COLUMNS} FROM r JOIN dining_tables AS t ON t.id = r.table_id",
            reservation.table.name,
            reservation.conversation_id,
            reservation.name,
            reservation.phone,
            reservation.party_size,
            reservation.date,
            start_min,
            end_min,
            reservation.email,
            reservation.special_requests,
            reservation.status,
            utc(reservation.created_at),
        )
        if not rows:
            raise StorageError(
                f"reservation {reservation.id} is for table {reservation.table.name}, "
                "which this database does not have; seed the restaurant first"
            )
        return q.reservation(rows[0])

    # sessions and escalations ----------------------------------------------------------------
    async def save_session(self, record: SessionRecord) -> None:
        now = utc()
        await self._execute(
            "INSERT INTO voice_sessions "
            "(conversation_id, notepad, metadata, transcript, created_at, updated_at) "
            "VALUES ($1, $2::jsonb, $3::jsonb, $4::jsonb, $5, $6) "
            "ON CONFLICT (conversation_id) DO UPDATE SET "
            "notepad = excluded.notepad, metadata = excluded.metadata, "
            "transcript = excluded.transcript, updated_at = excluded.updated_at",
            record.conversation_id,
            dumps(record.notepad),
            dumps(record.metadata),
            transcript_json(record.transcript),
            utc(record.created_at) if record.created_at else now,
            now,
        )

    async def load_session(self, conversation_id: str) -> SessionRecord | None:
        rows = await self._fetch(
            "SELECT * FROM voice_sessions WHERE conversation_id = $1", conversation_id
        )
        return q.session(rows[0]) if rows else None

    async def list_sessions(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]:
        """Sessions created at or after `since` (naive means UTC), newest first."""
        rows = await self._fetch(
            "SELECT * FROM voice_sessions WHERE $1::timestamptz IS NULL OR created_at >= $1 "
            "ORDER BY created_at DESC, id DESC LIMIT $2",
            utc(since) if since else None,
            limit,
        )
        return [q.session(row) for row in rows]

    async def create_escalation(self, record: EscalationRecord) -> EscalationRecord:
        now = utc()
        rows = await self._fetch(
            "INSERT INTO escalations (conversation_id, reason, detail, status, notepad, "
            "missing_fields, transcript, claimed_by, claimed_at, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11) "
            "RETURNING *",
            record.conversation_id,
            record.reason,
            record.detail,
            record.status,
            dumps(record.notepad),
            dumps(list(record.missing_fields)),
            transcript_json(record.transcript),
            record.claimed_by,
            utc(record.claimed_at) if record.claimed_at else None,
            utc(record.created_at) if record.created_at else now,
            now,
        )
        return q.escalation(rows[0])

    async def update_escalation(
        self, escalation_id: int, status: EscalationStatus, detail: str | None = None
    ) -> EscalationRecord | None:
        """Set the status (and the detail when given); None when no such escalation.

        A claimed escalation is never reopened by an open status (see `Storage`).
        """
        rows = await self._fetch(
            "UPDATE escalations SET status = CASE WHEN status = 'claimed' AND $1 IN "
            f"({OPEN_SQL}) THEN status ELSE $1 END, detail = coalesce($2, detail), "
            "updated_at = $3 WHERE id = $4 RETURNING *",
            status,
            detail,
            utc(),
            escalation_id,
        )
        return q.escalation(rows[0]) if rows else None

    async def escalations(self, conversation_id: str | None = None) -> list[EscalationRecord]:
        """Escalations, oldest first; of one conversation when `conversation_id` is given."""
        rows = await self._fetch(
            "SELECT * FROM escalations WHERE $1::text IS NULL OR conversation_id = $1 "
            "ORDER BY created_at, id",
            conversation_id,
        )
        return [q.escalation(row) for row in rows]

    async def claim_escalation(
        self, agent: str, escalation_id: int | None = None
    ) -> EscalationRecord | None:
        """Give the oldest claimable escalation (or the one named) to `agent`; None if none is.

        The oldest: `FOR UPDATE SKIP LOCKED`, so an escalation another agent is claiming right
        now is skipped, not waited for. A named one: `FOR UPDATE`, which waits for a concurrent
        claim to commit and then re-checks the status, so the loser's None is definitive (with
        SKIP LOCKED it would return before the winner committed, while the row still read as
        open).
        """
        lock = "FOR UPDATE" if escalation_id is not None else "FOR UPDATE SKIP LOCKED"
        rows = await self._fetch(
            "UPDATE escalations SET status = 'claimed', claimed_by = $1, claimed_at = $2, "
            "updated_at = $2 WHERE id = (SELECT id FROM escalations WHERE status IN "
            f"({CLAIMABLE_SQL}) AND ($3::bigint IS NULL OR id = $3) ORDER BY created_at, id "
            f"LIMIT 1 {lock}) RETURNING *",
            agent,
            utc(),
            escalation_id,
        )
        return q.escalation(rows[0]) if rows else None

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
        listener = await connect(self._dsn)
        self._listeners.add(listener)

        def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
            inbox.put_nowait(int(payload))

        try:
            listener.add_termination_listener(lambda _conn: inbox.put_nowait(None))
            await listener.add_listener(q.ESCALATION_CHANNEL, notified)
            if after_id is None:
                after_id = int(await self._fetchval("SELECT coalesce(max(id), 0) FROM escalations"))
            shown: dict[int, tuple[object, ...]] = {}  # id -> the state last yielded
            rows = await self._fetch(
                "SELECT * FROM escalations WHERE id > $1 ORDER BY id", after_id
            )
            for row in rows:
                shown[row["id"]] = _state(row)
                yield q.escalation(row)
            while True:
                escalation_id = await inbox.get()
                if escalation_id is None:
                    if self._closed:
                        return  # this storage was closed: the feed ends
                    raise StorageError(f"lost the escalation feed of {self.masked}")
                found = await self._fetch("SELECT * FROM escalations WHERE id = $1", escalation_id)
                if not found or shown.get(escalation_id) == _state(found[0]):
                    continue  # deleted, or this state was yielded already (catch-up, a repeat)
                shown[escalation_id] = _state(found[0])
                yield q.escalation(found[0])
        finally:
            self._listeners.discard(listener)
            if not listener.is_closed():
                await asyncio.shield(listener.close())

    # connection plumbing ---------------------------------------------------------------------
    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        try:
            async with self._pool.acquire() as db:
                yield db
        except q.ERRORS as exc:
            raise StorageError(f"query on {self.masked} failed: {exc}") from exc

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[asyncpg.Connection]:
        async with self._connection() as db, db.transaction():
            yield db

    async def _fetch(self, sql: str, *args: Any, translate: bool = True) -> list[asyncpg.Record]:
        """One statement on a pooled connection (its own transaction)."""
        if not translate:
            async with self._pool.acquire() as db:
                return list(await db.fetch(sql, *args))
        async with self._connection() as db:
            return list(await db.fetch(sql, *args))

    async def _fetchval(self, sql: str, *args: Any) -> Any:
        async with self._connection() as db:
            return await db.fetchval(sql, *args)

    async def _execute(self, sql: str, *args: Any) -> None:
        async with self._connection() as db:
            await db.execute(sql, *args)


def _state(row: asyncpg.Record) -> tuple[object, ...]:
    """What a console shows changing of an escalation."""
    return (row["status"], row["detail"], row["claimed_by"], row["updated_at"])
