"""`Storage` on SQLite: one file (or `:memory:`), FTS5 for words, sqlite-vec for vectors.

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
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite
import numpy as np
import sqlite_vec

from resvoice.errors import StorageError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import _sqlite_connect as c
from resvoice.storage import _sqlite_sql as q
from resvoice.storage._records import check_seed_input, dumps, sitting_span, transcript_json
from resvoice.storage.base import (
    BookingResult,
    EmbedderInfo,
    EscalationRecord,
    EscalationStatus,
    KeywordHit,
    KnowledgeDoc,
    KnowledgeKind,
    Reservation,
    ReservationRequest,
    SeedSummary,
    SessionRecord,
    TableRecord,
    VectorHit,
)
from resvoice.storage.migrations import migrate
from resvoice.storage.search_terms import fts5_query, search_terms

__all__ = ["SQLiteStorage"]

log = logging.getLogger(__name__)

MAX_KNN = 4096  # sqlite-vec's upper bound on k
WATCH_POLL_S = 0.2  # how often `watch_escalations` looks for new rows

Row = sqlite3.Row


class SQLiteStorage:
    """`Storage` on SQLite. Create with `await SQLiteStorage.open(path)`."""

    backend = "sqlite"

    def __init__(self, path: str, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        """Private: use `open`, which migrates the schema first."""
        self.path = path
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteStorage:
        """Open (creating parent folders) and migrate a database file; `":memory:"` works too.

        Raises:
            StorageError: the file cannot be opened or is from a newer resvoice.
        """
        memory = str(path) == ":memory:"
        target = str(path) if memory else await asyncio.to_thread(c.prepare_file, Path(path))
        try:
            writer = await c.connect(target)
        except c.DB_ERRORS as exc:
            raise StorageError(f"cannot open database {target}: {exc}") from exc
        try:
            await migrate(c.Migrator(writer), "sqlite")
            if not memory:
                await writer.execute_fetchall("PRAGMA journal_mode = WAL")
                # WAL + NORMAL: a committed turn survives a crash of resvoice; only a power cut
                # can lose the last commits. Saves an fsync per notepad write on the hot path.
                await writer.execute_fetchall("PRAGMA synchronous = NORMAL")
            reader = writer if memory else await c.connect(target, query_only=True)
        except BaseException as exc:
            await writer.close()
            if isinstance(exc, c.DB_ERRORS):
                raise StorageError(f"cannot open database {target}: {exc}") from exc
            raise
        return cls(target, writer, reader)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._reader is not self._writer:
            await self._reader.close()
        await self._writer.close()

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

    async def knowledge_fingerprints(self) -> dict[str, str]:
        rows = await self._fetch("SELECT key, content_hash FROM knowledge_docs")
        return {row["key"]: row["content_hash"] for row in rows}

    async def embedder_info(self) -> EmbedderInfo | None:
        rows = await self._fetch("SELECT key, value FROM meta WHERE key LIKE 'embedder_%'")
        meta = {row["key"]: row["value"] for row in rows}
        if "embedder_name" not in meta or "embedder_dim" not in meta:
            return None
        return EmbedderInfo(name=meta["embedder_name"], dim=int(meta["embedder_dim"]))

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

    # knowledge -------------------------------------------------------------------------------
    async def keyword_search(
        self, query: str, limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[KeywordHit]:
        """BM25 over title (x3), tags (x2) and body; any free text is safe (see search_terms)."""
        terms = search_terms(query)
        if not terms or limit <= 0:
            return []
        kind_filter = "AND d.kind IN (SELECT value FROM json_each(:kinds))" if kinds else ""
        rows = await self._fetch(
            f"SELECT {q.DOC_COLUMNS}, bm25(knowledge_fts, 3.0, 1.0, 2.0) AS rank "
            "FROM knowledge_fts JOIN knowledge_docs AS d ON d.id = knowledge_fts.rowid "
            f"WHERE knowledge_fts MATCH :match {kind_filter} ORDER BY rank LIMIT :limit",
            {"match": fts5_query(terms), "kinds": json.dumps(list(kinds or ())), "limit": limit},
        )
        return [KeywordHit(doc=q.doc(row), score=-row["rank"]) for row in rows]

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]:
        """Cosine KNN in sqlite-vec; `kinds` filters inside the KNN (a vec0 metadata column)."""
        if limit <= 0:
            return []
        info = await self.embedder_info()
        if info is None:
            return []
        if len(vector) != info.dim:
            raise StorageError(
                f"query vector has {len(vector)} dimensions but the stored vectors have "
                f"{info.dim} ({info.name}); embed the query with the seeding embedder"
            )
        kind_filter = "AND kind IN (SELECT value FROM json_each(:kinds))" if kinds else ""
        rows = await self._fetch(
            "WITH knn AS (SELECT doc_id, distance FROM knowledge_vec "
            f"WHERE embedding MATCH :vector AND k = :k {kind_filter}) "
            f"SELECT {q.DOC_COLUMNS}, knn.distance FROM knn "
            "JOIN knowledge_docs AS d ON d.id = knn.doc_id ORDER BY knn.distance, d.id",
            {
                "vector": sqlite_vec.serialize_float32(list(vector)),
                "k": min(limit, MAX_KNN),
                "kinds": json.dumps(list(kinds or ())),
            },
        )
        # a zero vector (a query with no known features) has no cosine distance to anything
        return [
            VectorHit(doc=q.doc(row), distance=row["distance"])
            for row in rows
            if row["distance"] is not None
        ]

    async def knowledge_count(self) -> int:
        rows = await self._fetch("SELECT count(*) AS n FROM knowledge_docs")
        return int(rows[0]["n"])

    async def knowledge_dump(self) -> list[tuple[KnowledgeDoc, list[float] | None]]:
        if await self.embedder_info() is None:
            docs = await self._fetch(
                f"SELECT {q.DOC_COLUMNS} FROM knowledge_docs AS d ORDER BY d.key"
            )
            return [(q.doc(row), None) for row in docs]
        rows = await self._fetch(
            f"SELECT {q.DOC_COLUMNS}, v.embedding FROM knowledge_docs AS d "
            "LEFT JOIN knowledge_vec AS v ON v.doc_id = d.id ORDER BY d.key"
        )
        return [
            (
                q.doc(row),
                None
                if row["embedding"] is None
                else np.frombuffer(row["embedding"], dtype=np.float32).tolist(),
            )
            for row in rows
        ]

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
                "missing_fields, transcript, claimed_by, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    record.conversation_id,
                    record.reason,
                    record.detail,
                    record.status,
                    dumps(record.notepad),
                    dumps(list(record.missing_fields)),
                    transcript_json(record.transcript),
                    record.claimed_by,
                    created,
                    now,
                ),
            )
        return q.escalation(next(iter(rows)))

    async def update_escalation(
        self, escalation_id: int, status: EscalationStatus, detail: str | None = None
    ) -> EscalationRecord | None:
        """Set the status (and the detail when given); None when no such escalation."""
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "UPDATE escalations SET status = ?, detail = coalesce(?, detail), "
                "updated_at = ? WHERE id = ? RETURNING *",
                (status, detail, q.timestamp(), escalation_id),
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
        """Give the oldest queued escalation (or the one named) to `agent`; None if none is free.

        One conditional UPDATE inside `BEGIN IMMEDIATE`: the write lock makes the pick and the
        claim atomic across connections and processes, and `status = 'queued'` is re-checked.
        """
        async with self._write() as db:
            rows = await db.execute_fetchall(
                "UPDATE escalations SET status = 'claimed', claimed_by = ?, updated_at = ? "
                "WHERE status = 'queued' AND id = (SELECT id FROM escalations "
                "WHERE status = 'queued' AND (? IS NULL OR id = ?) "
                "ORDER BY created_at, id LIMIT 1) RETURNING *",
                (agent, q.timestamp(), escalation_id, escalation_id),
            )
        found = list(rows)
        return q.escalation(found[0]) if found else None

    async def watch_escalations(
        self, after_id: int | None = None
    ) -> AsyncIterator[EscalationRecord]:
        """Escalations created by any process, polled by id every `WATCH_POLL_S` seconds.

        Ids grow with every insert and inserts are serialised by SQLite's write lock, so a poll
        for `id > last seen` never skips one. Ends when the storage is closed.
        """
        if after_id is None:
            rows = await self._fetch("SELECT coalesce(max(id), 0) AS n FROM escalations")
            after_id = int(rows[0]["n"])
        last = after_id
        while not self._closed:
            rows = await self._fetch("SELECT * FROM escalations WHERE id > ? ORDER BY id", (last,))
            for row in rows:
                last = row["id"]
                yield q.escalation(row)
            if not rows:
                await asyncio.sleep(WATCH_POLL_S)

    # connection plumbing ---------------------------------------------------------------------
    @asynccontextmanager
    async def _write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: under the lock, BEGIN IMMEDIATE, COMMIT or ROLLBACK."""
        async with self._lock:
            db = self._writer
            try:
                await db.execute("BEGIN IMMEDIATE")
            except c.DB_ERRORS as exc:
                raise StorageError(f"cannot write to {self.path}: {exc}") from exc
            try:
                yield db
            except BaseException as exc:
                # Shielded: a second cancellation must not leave the transaction open.
                with suppress(*c.DB_ERRORS):
                    await asyncio.shield(db.execute("ROLLBACK"))
                if isinstance(exc, c.DB_ERRORS):
                    raise StorageError(f"write to {self.path} failed: {exc}") from exc
                raise
            try:
                await asyncio.shield(db.execute("COMMIT"))
            except c.DB_ERRORS as exc:
                with suppress(*c.DB_ERRORS):
                    await asyncio.shield(db.execute("ROLLBACK"))
                raise StorageError(f"commit to {self.path} failed: {exc}") from exc

    async def _fetch(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        """Run one read statement on the reader (a committed snapshot)."""
        try:
            if self._reader is self._writer:
                async with self._lock:
                    return list(await self._reader.execute_fetchall(sql, params))
            return list(await self._reader.execute_fetchall(sql, params))
        except c.DB_ERRORS as exc:
            raise StorageError(f"query on {self.path} failed: {exc}") from exc
