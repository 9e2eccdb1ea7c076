"""`SQLStorage`: the one base of `SQLiteStorage` and `PostgresStorage`.

It holds the backend's `Database` (connections plus SQL dialect, see `backend.py`) and answers
every `Storage` method whose logic is the same on both backends by handing that `Database` to
the module of the job: `restaurant_data`, `bookings`, `sessions`, `escalations`, `knowledge`.
A backend subclass adds what really differs: `close`, `free_tables`, `book`, the escalation
feed and the two knowledge searches (`_keyword_hits`, `vector_search`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Self

from resvoice.restaurant.documents import KnowledgeDoc, KnowledgeKind
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import (
    bookings,
    escalations,
    knowledge,
    reservation_changes,
    restaurant_data,
    sessions,
    texts,
)
from resvoice.storage.backend import Database
from resvoice.storage.records import (
    BookingResult,
    ChangedBy,
    ChangeResult,
    EmbedderInfo,
    EscalationRecord,
    EscalationStatus,
    KeywordHit,
    Reservation,
    ReservationChange,
    ReservationEdit,
    ReservationQuery,
    ReservationRequest,
    SeedSummary,
    SessionRecord,
    TableRecord,
    TextMessage,
    TextStatus,
    TransferOutcome,
    VectorHit,
)
from resvoice.storage.search_terms import search_terms


class SQLStorage:
    """The shared half of `SQLiteStorage` and `PostgresStorage` (see the module doc)."""

    backend: str  # "sqlite" or "postgres", set by the subclass

    def __init__(self, db: Database) -> None:
        self._db = db

    # what each backend provides ---------------------------------------------------------------
    async def close(self) -> None:
        raise NotImplementedError

    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        raise NotImplementedError

    async def book(self, request: ReservationRequest) -> BookingResult:
        raise NotImplementedError

    def watch_escalations(self, after_id: int | None = None) -> AsyncIterator[EscalationRecord]:
        raise NotImplementedError

    def watch_reservations(self) -> AsyncIterator[int]:
        raise NotImplementedError

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]:
        raise NotImplementedError

    async def _keyword_hits(
        self, terms: list[str], limit: int, kinds: Sequence[KnowledgeKind] | None
    ) -> list[KeywordHit]:
        """The backend's BM25 search for `terms` (never empty), best first."""
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
        return await restaurant_data.seed(self._db, profile, docs, vectors, embedder)

    async def load_profile(self) -> RestaurantProfile | None:
        return await restaurant_data.load_profile(self._db)

    async def tables(self) -> list[TableRecord]:
        return await restaurant_data.tables(self._db)

    # knowledge -------------------------------------------------------------------------------
    async def keyword_search(
        self, query: str, limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[KeywordHit]:
        """BM25 over title (x3), tags (x2) and body; any free text is safe (see search_terms).

        Both backends score alike: Postgres computes BM25 as SQLite's FTS5 does.
        """
        terms = search_terms(query)
        if not terms or limit <= 0:
            return []
        return await self._keyword_hits(terms, limit, kinds)

    async def knowledge_fingerprints(self) -> dict[str, str]:
        return await knowledge.knowledge_fingerprints(self._db)

    async def embedder_info(self) -> EmbedderInfo | None:
        return await knowledge.embedder_info(self._db)

    async def knowledge_count(self) -> int:
        return await knowledge.knowledge_count(self._db)

    async def knowledge_dump(self) -> list[tuple[KnowledgeDoc, list[float] | None]]:
        return await knowledge.knowledge_dump(self._db)

    # reservations ----------------------------------------------------------------------------
    async def reservations_on(self, day: dt.date) -> list[Reservation]:
        return await bookings.reservations_on(self._db, day)

    async def reservation(self, reservation_id: int) -> Reservation | None:
        return await bookings.reservation(self._db, reservation_id)

    async def all_reservations(self) -> list[Reservation]:
        return await bookings.all_reservations(self._db)

    async def forget_reservations(self, ids: list[int]) -> None:
        await bookings.forget_reservations(self._db, ids)

    async def restore_reservation(self, reservation: Reservation) -> Reservation:
        return await bookings.restore_reservation(self._db, reservation)

    # sessions --------------------------------------------------------------------------------
    async def find_reservations(self, query: ReservationQuery) -> list[Reservation]:
        return await reservation_changes.find_reservations(self._db, query)

    async def cancel_reservation(
        self, reservation_id: int, *, by: ChangedBy = "caller", conversation_id: str | None = None
    ) -> ChangeResult:
        return await reservation_changes.cancel_reservation(
            self._db, reservation_id, by, conversation_id
        )

    async def change_reservation(
        self,
        reservation_id: int,
        edit: ReservationEdit,
        *,
        sitting_minutes: int,
        by: ChangedBy = "caller",
        conversation_id: str | None = None,
    ) -> ChangeResult:
        return await reservation_changes.change_reservation(
            self._db, reservation_id, edit, sitting_minutes, by, conversation_id
        )

    async def reservation_changes(
        self, reservation_id: int | None = None
    ) -> list[ReservationChange]:
        return await reservation_changes.reservation_changes(self._db, reservation_id)

    async def restore_change(self, change: ReservationChange) -> ReservationChange:
        return await reservation_changes.restore_change(self._db, change)

    async def save_session(self, record: SessionRecord) -> None:
        await sessions.save_session(self._db, record)

    async def load_session(self, conversation_id: str) -> SessionRecord | None:
        return await sessions.load_session(self._db, conversation_id)

    async def list_sessions(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]:
        return await sessions.list_sessions(self._db, since, limit)

    async def delete_sessions_before(self, before: dt.datetime) -> list[SessionRecord]:
        return await sessions.delete_sessions_before(self._db, before)

    # escalations -----------------------------------------------------------------------------
    async def create_escalation(self, record: EscalationRecord) -> EscalationRecord:
        return await escalations.create_escalation(self._db, record)

    async def update_escalation(
        self, escalation_id: int, status: EscalationStatus, detail: str | None = None
    ) -> EscalationRecord | None:
        return await escalations.update_escalation(self._db, escalation_id, status, detail)

    async def escalations(self, conversation_id: str | None = None) -> list[EscalationRecord]:
        return await escalations.escalations(self._db, conversation_id)

    async def claim_escalation(
        self, agent: str, escalation_id: int | None = None
    ) -> EscalationRecord | None:
        return await escalations.claim_escalation(self._db, agent, escalation_id)

    async def set_transfer_deadline(self, escalation_id: int, due_at: dt.datetime) -> None:
        await escalations.set_transfer_deadline(self._db, escalation_id, due_at)

    async def record_transfer_outcome(
        self, escalation_id: int, status: TransferOutcome, detail: str
    ) -> EscalationRecord | None:
        return await escalations.record_transfer_outcome(self._db, escalation_id, status, detail)

    async def fail_overdue_transfers(self, now: dt.datetime, detail: str) -> list[EscalationRecord]:
        return await escalations.fail_overdue_transfers(self._db, now, detail)

    # texts to guests -------------------------------------------------------------------------
    async def add_text(self, message: TextMessage) -> TextMessage:
        return await texts.add_text(self._db, message)

    async def update_text(
        self,
        text_id: int,
        status: TextStatus,
        *,
        provider_id: str | None = None,
        error: str | None = None,
        attempts: int = 0,
    ) -> TextMessage | None:
        return await texts.update_text(self._db, text_id, status, provider_id, error, attempts)

    async def texts(
        self, conversation_id: str | None = None, reservation_id: int | None = None
    ) -> list[TextMessage]:
        return await texts.texts(self._db, conversation_id, reservation_id)
