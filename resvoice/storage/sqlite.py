"""`Storage` on SQLite: one file (or `:memory:`), FTS5 for words, sqlite-vec for vectors.

The connections and their concurrency model (one locked writer, a snapshot reader) are
`SQLiteDB` in `_sqlite_db.py`; the knowledge reads are `SQLiteKnowledge` in
`_sqlite_knowledge.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from resvoice.errors import StorageError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import _sqlite_connect as c
from resvoice.storage import _sqlite_sql as q
from resvoice.storage._records import (
    CLAIMABLE_SQL,
    OPEN_SQL,
    check_seed_input,
    dumps,
    sitting_span,
    transcript_json,
)
from resvoice.storage._sqlite_db import SQLiteDB
from resvoice.storage._sqlite_knowledge import SQLiteKnowledge
from resvoice.storage._transfers import SQLiteTransfers
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

__all__ = ["SQLiteStorage"]

log = logging.getLogger(__name__)

WATCH_POLL_S = 0.2  # how often `watch_escalations` looks for changes

Row = sqlite3.Row


class SQLiteStorage(SQLiteKnowledge, SQLiteTransfers):
    """`Storage` on SQLite. Create with `await SQLiteStorage.open(path)`."""

    backend = "sqlite"

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

    @property
    def _closed(self) -> bool:
        return self._db.closed

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

        Tables are named T1..Tn in profile order and upserted by name, so ids stay stable. A
        table the profile no longer lists is deleted if no reservation points at it, otherwise
        retired (never offered again; its reservations stand, and a warning is logged when some
        are still to come).
        """
        check_seed_input(docs, vectors, embedder)
        now = q.timestamp()
        async with self._write() as db:
            await db.execute(
                "INSERT INTO restaurant (id, profile, updated_at) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, "
                "updated_at = excluded.updated_at WHERE profile != excluded.profile",
                (profile.model_dump_json(), now),
            )
            tables = await q.seed_tables(db, profile)
            await q.seed_hours(db, profile)
            fresh_vectors = await q.ensure_vector_table(db, embedder)
            removed = await q.seed_docs(db, docs, vectors, fresh_vectors)
        return SeedSummary(
            tables=tables,
            documents=len(docs),
            embedded=sum(vector is not None for vector in vectors),
            removed=removed,
        )

    async def load_profile(self) -> RestaurantProfile | None:
        rows = await self._fetch("SELECT profile FROM restaurant WHERE id = 1")
        return RestaurantProfile.model_validate_json(rows[0]["profile"]) if rows else None

    async def tables(self) -> list[TableRecord]:
        rows = await self._fetch(
            "SELECT id, name, seats, area FROM dining_tables WHERE active = 1 ORDER BY id"
        )
        return [q.table(row) for row in rows]

    # availability and bookings ---------------------------------------------------------------
    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        """Active tables seating the party with no booking overlapping the sitting, smallest first.

        Derived from the reservations on every call (nothing pre-generated), so any date works.
        """
        params = q.slot_params(day, start, sitting_minutes, party_size)
        rows = await self._fetch(
            f"SELECT t.id, t.name, t.seats, t.area FROM dining_tables AS t {q.FREE_TABLE_WHERE} "
            "ORDER BY t.seats, t.id",
            params,
        )
        return [q.table(row) for row in rows]

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
        async with self._write() as db:
            try:
                rows = await db.execute_fetchall(q.BOOK_SQL, params)
            except c.DRIVER.IntegrityError as exc:
                if q.OVERLAP_MESSAGE not in str(exc):
                    raise
                log.warning("overlap trigger refused a booking: %s", exc)
                return BookingResult(reservation=None)
            rows = list(rows)
            if not rows:
                return BookingResult(reservation=None)
            booked = await db.execute_fetchall(
                f"{q.RESERVATION_SELECT} WHERE r.id = ?", (rows[0]["id"],)
            )
        return BookingResult(reservation=q.reservation(next(iter(booked))))

    async def reservations_on(self, day: dt.date) -> list[Reservation]:
        """Every reservation starting on `day` (booked and cancelled), by start time then table."""
        rows = await self._fetch(
            f"{q.RESERVATION_SELECT} WHERE r.date = ? ORDER BY r.start_min, t.seats, t.id, r.id",
            (day.isoformat(),),
        )
        return [q.reservation(row) for row in rows]

    async def reservation(self, reservation_id: int) -> Reservation | None:
        rows = await self._fetch(f"{q.RESERVATION_SELECT} WHERE r.id = ?", (reservation_id,))
        return q.reservation(rows[0]) if rows else None

    async def all_reservations(self) -> list[Reservation]:
        rows = await self._fetch(f"{q.RESERVATION_SELECT} ORDER BY r.id")
        return [q.reservation(row) for row in rows]

    async def restore_reservation(self, reservation: Reservation) -> Reservation:
        start_min, end_min = sitting_span(reservation)
        async with self._write() as db:
            tables = list(
                await db.execute_fetchall(
                    "SELECT id FROM dining_tables WHERE name = ?", (reservation.table.name,)
                )
            )
            if not tables:
                raise StorageError(
                    f"reservation {reservation.id} is for table {reservation.table.name}, "
                    "which this database does not have; seed the restaurant first"
                )
            rows = await db.execute_fetchall(
                "INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, "
                "date, start_min, end_min, email, special_requests, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    tables[0]["id"],
                    reservation.conversation_id,
                    reservation.name,
                    reservation.phone,
                    reservation.party_size,
                    reservation.date.isoformat(),
                    start_min,
                    end_min,
                    reservation.email,
                    reservation.special_requests,
                    reservation.status,
                    q.timestamp(reservation.created_at),
                ),
            )
            new_id = next(iter(rows))["id"]
            booked = await db.execute_fetchall(f"{q.RESERVATION_SELECT} WHERE r.id = ?", (new_id,))
        return q.reservation(next(iter(booked)))

    # sessions and escalations ----------------------------------------------------------------
    async def save_session(self, record: SessionRecord) -> None:
        now = q.timestamp()
        created = q.timestamp(record.created_at) if record.created_at else now
        async with self._write() as db:
            await db.execute(
                "INSERT INTO voice_sessions "
                "(conversation_id, notepad, metadata, transcript, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET "
                "notepad = excluded.notepad, metadata = excluded.metadata, "
                "transcript = excluded.transcript, updated_at = excluded.updated_at",
                (
                    record.conversation_id,
                    dumps(record.notepad),
                    dumps(record.metadata),
                    transcript_json(record.transcript),
                    created,
                    now,
                ),
            )

    async def load_session(self, conversation_id: str) -> SessionRecord | None:
        rows = await self._fetch(
            "SELECT * FROM voice_sessions WHERE conversation_id = ?", (conversation_id,)
        )
        return q.session(rows[0]) if rows else None

    async def list_sessions(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]:
        """Sessions created at or after `since` (naive means UTC), newest first."""
        rows = await self._fetch(
            "SELECT * FROM voice_sessions WHERE created_at >= ? "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (q.timestamp(since) if since else "", -1 if limit is None else limit),
        )
        return [q.session(row) for row in rows]

    async def create_escalation(self, record: EscalationRecord) -> EscalationRecord:
        now = q.timestamp()
        created = q.timestamp(record.created_at) if record.created_at else now
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "INSERT INTO escalations (conversation_id, reason, detail, status, notepad, "
                "missing_fields, transcript, claimed_by, claimed_at, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    record.conversation_id,
                    record.reason,
                    record.detail,
                    record.status,
                    dumps(record.notepad),
                    dumps(list(record.missing_fields)),
                    transcript_json(record.transcript),
                    record.claimed_by,
                    q.timestamp(record.claimed_at) if record.claimed_at else None,
                    created,
                    now,
                ),
            )
        return q.escalation(next(iter(rows)))

    async def update_escalation(
        self, escalation_id: int, status: EscalationStatus, detail: str | None = None
    ) -> EscalationRecord | None:
        """Set the status (and the detail when given); None when no such escalation.

        A claimed escalation is never reopened by an open status (see `Storage`).
        """
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "UPDATE escalations SET status = CASE WHEN status = 'claimed' AND ? IN "
                f"({OPEN_SQL}) THEN status ELSE ? END, detail = coalesce(?, detail), "
                "updated_at = ? WHERE id = ? RETURNING *",
                (status, status, detail, q.timestamp(), escalation_id),
            )
        found = list(rows)
        return q.escalation(found[0]) if found else None

    async def escalations(self, conversation_id: str | None = None) -> list[EscalationRecord]:
        """Escalations, oldest first; of one conversation when `conversation_id` is given."""
        rows = await self._fetch(
            "SELECT * FROM escalations WHERE ? IS NULL OR conversation_id = ? "
            "ORDER BY created_at, id",
            (conversation_id, conversation_id),
        )
        return [q.escalation(row) for row in rows]

    async def claim_escalation(
        self, agent: str, escalation_id: int | None = None
    ) -> EscalationRecord | None:
        """Give the oldest claimable escalation (or the one named) to `agent`; None if none is.

        One conditional UPDATE inside `BEGIN IMMEDIATE`: the write lock makes the pick and the
        claim atomic across connections and processes, and the status is re-checked.
        """
        now = q.timestamp()
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "UPDATE escalations SET status = 'claimed', claimed_by = ?, claimed_at = ?, "
                f"updated_at = ? WHERE status IN ({CLAIMABLE_SQL}) AND id = (SELECT id "
                f"FROM escalations WHERE status IN ({CLAIMABLE_SQL}) AND (? IS NULL OR id = ?) "
                "ORDER BY created_at, id LIMIT 1) RETURNING *",
                (agent, now, now, escalation_id, escalation_id),
            )
        found = list(rows)
        return q.escalation(found[0]) if found else None

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
            (int(rows[0]["id"]) if after_id is None else after_id, last),
        )
        for row in rows:
            yield q.escalation(row)
        while not self._closed:
            rows = await self._fetch(
                "SELECT * FROM escalations WHERE change_seq > ? ORDER BY change_seq", (last,)
            )
            for row in rows:
                last = row["change_seq"]
                yield q.escalation(row)
            if not rows:
                await asyncio.sleep(WATCH_POLL_S)

    # connection plumbing ---------------------------------------------------------------------
    def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """One write transaction (see `SQLiteDB.write`)."""
        return self._db.write()

    async def _fetch(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        """Run one read statement on the reader (a committed snapshot)."""
        return await self._db.fetch(sql, params)
