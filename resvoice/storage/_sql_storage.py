"""`SQLStorage`: the `Storage` methods whose logic is the same on SQLite and Postgres.

Private to `resvoice.storage`. A backend subclasses it, names its SQL module as `_q` (a
`Dialect`) and provides the plumbing: `close`, `_fetch` (one read), `_commit` (one write
statement in its own transaction), `_seed_transaction` and `_insert_reservation`. What really
differs (availability, booking, the escalation feed, the knowledge searches) stays in the
backend's module; transfer deadlines are the `TransferDeadlines` mixin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, Self

from resvoice.errors import StorageError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import _seeding
from resvoice.storage._dialect import Tx
from resvoice.storage._knowledge_meta import KnowledgeMeta
from resvoice.storage._records import check_seed_input, dumps, sitting_span, transcript_json
from resvoice.storage._reservation_changes import ReservationChanges
from resvoice.storage._rows import Row
from resvoice.storage._transfers import TransferDeadlines
from resvoice.storage.base import (
    EmbedderInfo,
    EscalationRecord,
    EscalationStatus,
    KnowledgeDoc,
    Reservation,
    SeedSummary,
    SessionRecord,
    TableRecord,
)
from resvoice.storage.codes import new_code


class SQLStorage(ReservationChanges, TransferDeadlines, KnowledgeMeta):
    """The shared half of `SQLiteStorage` and `PostgresStorage` (see the module doc)."""

    async def close(self) -> None:
        raise NotImplementedError

    def _seed_transaction(self) -> AbstractAsyncContextManager[Tx]:
        """The write transaction a seed runs in; two seeds never interleave."""
        raise NotImplementedError

    async def _fetch(self, sql: str, *args: Any) -> Sequence[Row]:
        raise NotImplementedError

    async def _commit(self, sql: str, *args: Any) -> Sequence[Row]:
        raise NotImplementedError

    async def _insert_reservation(self, sql: str, *args: Any) -> Sequence[Row]:
        """Run an INSERT of one reservation; its row with the table columns, or none."""
        raise NotImplementedError

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
        q = self._q
        async with self._seed_transaction() as db:
            await db.execute(q.UPSERT_PROFILE, profile.model_dump_json(), q.stamp())
            tables = await _seeding.seed_tables(db, q, profile)
            await _seeding.seed_hours(db, q, profile)
            fresh_vectors = await _seeding.ensure_vector_table(db, q, embedder)
            removed = await _seeding.seed_docs(db, q, docs, vectors, fresh_vectors, embedder.dim)
        return SeedSummary(
            tables=tables,
            documents=len(docs),
            embedded=sum(vector is not None for vector in vectors),
            removed=removed,
        )

    async def load_profile(self) -> RestaurantProfile | None:
        rows = await self._fetch(self._q.LOAD_PROFILE)
        return RestaurantProfile.model_validate_json(rows[0]["profile"]) if rows else None

    async def tables(self) -> list[TableRecord]:
        return [self._q.ROWS.table(row) for row in await self._fetch(self._q.ACTIVE_TABLES)]

    # reservations ----------------------------------------------------------------------------
    async def reservations_on(self, day: dt.date) -> list[Reservation]:
        """Every reservation starting on `day` (booked and cancelled), by start time then table."""
        rows = await self._fetch(self._q.RESERVATIONS_ON, self._q.day(day))
        return [self._q.ROWS.reservation(row) for row in rows]

    async def reservation(self, reservation_id: int) -> Reservation | None:
        rows = await self._fetch(self._q.RESERVATION_BY_ID, reservation_id)
        return self._q.ROWS.reservation(rows[0]) if rows else None

    async def all_reservations(self) -> list[Reservation]:
        return [
            self._q.ROWS.reservation(row) for row in await self._fetch(self._q.ALL_RESERVATIONS)
        ]

    async def restore_reservation(self, reservation: Reservation) -> Reservation:
        q = self._q
        start_min, end_min = sitting_span(reservation)
        rows = await self._insert_reservation(
            q.RESTORE_RESERVATION,
            reservation.table.name,
            reservation.conversation_id,
            reservation.name,
            reservation.phone,
            reservation.party_size,
            q.day(reservation.date),
            start_min,
            end_min,
            reservation.email,
            reservation.special_requests,
            reservation.status,
            q.stamp(reservation.created_at),
            reservation.code or new_code(),
            reservation.late_minutes,
        )
        if not rows:
            raise StorageError(
                f"reservation {reservation.id} is for table {reservation.table.name}, "
                "which this database does not have; seed the restaurant first"
            )
        return q.ROWS.reservation(rows[0])

    # sessions --------------------------------------------------------------------------------
    async def save_session(self, record: SessionRecord) -> None:
        q = self._q
        now = q.stamp()
        await self._commit(
            q.SAVE_SESSION,
            record.conversation_id,
            dumps(record.notepad),
            dumps(record.metadata),
            transcript_json(record.transcript),
            q.stamp(record.created_at) if record.created_at else now,
            now,
        )

    async def load_session(self, conversation_id: str) -> SessionRecord | None:
        rows = await self._fetch(self._q.LOAD_SESSION, conversation_id)
        return self._q.ROWS.session(rows[0]) if rows else None

    async def list_sessions(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]:
        """Sessions created at or after `since` (naive means UTC), newest first."""
        q = self._q
        rows = await self._fetch(q.LIST_SESSIONS, q.stamp(since) if since else None, limit)
        return [q.ROWS.session(row) for row in rows]

    # escalations -----------------------------------------------------------------------------
    async def create_escalation(self, record: EscalationRecord) -> EscalationRecord:
        q = self._q
        now = q.stamp()
        rows = await self._commit(
            q.CREATE_ESCALATION,
            record.conversation_id,
            record.reason,
            record.detail,
            record.status,
            dumps(record.notepad),
            dumps(list(record.missing_fields)),
            transcript_json(record.transcript),
            record.claimed_by,
            q.stamp(record.claimed_at) if record.claimed_at else None,
            q.stamp(record.created_at) if record.created_at else now,
            now,
        )
        return q.ROWS.escalation(rows[0])

    async def update_escalation(
        self, escalation_id: int, status: EscalationStatus, detail: str | None = None
    ) -> EscalationRecord | None:
        """Set the status (and the detail when given); None when no such escalation.

        A claimed escalation is never reopened by an open status (see `Storage`).
        """
        q = self._q
        rows = await self._commit(q.UPDATE_ESCALATION, status, detail, q.stamp(), escalation_id)
        return q.ROWS.escalation(rows[0]) if rows else None

    async def escalations(self, conversation_id: str | None = None) -> list[EscalationRecord]:
        """Escalations, oldest first; of one conversation when `conversation_id` is given."""
        rows = await self._fetch(self._q.ESCALATIONS, conversation_id)
        return [self._q.ROWS.escalation(row) for row in rows]

    async def claim_escalation(
        self, agent: str, escalation_id: int | None = None
    ) -> EscalationRecord | None:
        """Give the oldest claimable escalation (or the one named) to `agent`; None if none is.

        One conditional UPDATE; how it stays atomic across processes is the dialect's
        `CLAIM_OLDEST` / `CLAIM_NAMED`.
        """
        q = self._q
        sql = q.CLAIM_OLDEST if escalation_id is None else q.CLAIM_NAMED
        rows = await self._commit(sql, agent, q.stamp(), escalation_id)
        return q.ROWS.escalation(rows[0]) if rows else None
