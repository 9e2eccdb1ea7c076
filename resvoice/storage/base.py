"""The `Storage` protocol every backend implements.

SQLite (`sqlite/`) is the embedded default; Postgres (`postgres/`, a sibling) implements the
same protocol; the SQL logic both share is `sql_storage.SQLStorage` and the modules it names.
The records it moves are `records.py`. Logic that needs no database (hybrid fusion, slot grids,
validation) lives above this layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from resvoice.restaurant.documents import KnowledgeDoc, KnowledgeKind
from resvoice.restaurant.profile import RestaurantProfile
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

__all__ = ["KnowledgeSearch", "Storage"]


class KnowledgeSearch(Protocol):
    """The two knowledge searches of `Storage`; all a retriever needs."""

    async def keyword_search(
        self, query: str, limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[KeywordHit]: ...

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]: ...


class Storage(KnowledgeSearch, Protocol):
    """Async persistence for one restaurant. Every method is safe to call concurrently."""

    backend: str

    async def close(self) -> None: ...

    # restaurant data -------------------------------------------------------------------------
    async def seed(
        self,
        profile: RestaurantProfile,
        docs: Sequence[KnowledgeDoc],
        vectors: Sequence[Sequence[float] | None],
        embedder: EmbedderInfo,
    ) -> SeedSummary:
        """Replace the restaurant's data in one transaction; docs and vectors pair up by index.

        `docs` is always the full set: stored documents whose key is missing are deleted
        (`SeedSummary.removed`). A vector may be None to keep the stored one, allowed only when
        the embedder is unchanged and the stored `doc_fingerprint` equals the document's;
        otherwise `StorageError`. Switching embedder (name or dim) drops every stored vector, so
        vectors of two embedders never mix. Seeding the same data twice changes nothing.
        """
        ...

    async def load_profile(self) -> RestaurantProfile | None: ...

    async def knowledge_fingerprints(self) -> dict[str, str]:
        """`key -> content hash` of stored documents, for skipping unchanged re-embeds."""
        ...

    async def embedder_info(self) -> EmbedderInfo | None: ...

    async def tables(self) -> list[TableRecord]: ...

    # availability and bookings ---------------------------------------------------------------
    async def free_tables(
        self, day: dt.date, start: dt.time, sitting_minutes: int, party_size: int
    ) -> list[TableRecord]:
        """Tables seating the party that have no booking overlapping [start, start+sitting)."""
        ...

    async def book(self, request: ReservationRequest) -> BookingResult:
        """Atomically take the smallest free table that fits; never double-books."""
        ...

    async def reservations_on(self, day: dt.date) -> list[Reservation]: ...

    async def all_reservations(self) -> list[Reservation]:
        """Every reservation (booked and cancelled), oldest id first; for `resvoice db export`."""
        ...

    async def forget_reservations(self, ids: list[int]) -> None:
        """Take these reservations off the book entirely, with their change history (a replayed
        call's bookings, so the next replayed file starts from the same book)."""
        ...

    async def restore_reservation(self, reservation: Reservation) -> Reservation:
        """Insert an exported reservation as it was (table by name, times, status, created_at).

        The overlap guard still applies: restoring a clash raises `StorageError`. A new id is
        given. Raises `StorageError` when the table does not exist (seed the restaurant first).
        """
        ...

    async def reservation(self, reservation_id: int) -> Reservation | None: ...

    # reservations that live on (see `ReservationEdit`, `ReservationChange`) -----------------
    async def find_reservations(self, query: ReservationQuery) -> list[Reservation]:
        """Reservations matching every criterion given, by date then time then id."""
        ...

    async def cancel_reservation(
        self, reservation_id: int, *, by: ChangedBy = "caller", conversation_id: str | None = None
    ) -> ChangeResult:
        """Cancel a booked reservation and record it in its history, in one transaction."""
        ...

    async def change_reservation(
        self,
        reservation_id: int,
        edit: ReservationEdit,
        *,
        sitting_minutes: int,
        by: ChangedBy = "caller",
        conversation_id: str | None = None,
    ) -> ChangeResult:
        """Apply `edit` to a booked reservation and record each kind of change, atomically.

        The reservation keeps its id and code. A move (date, time or party size) takes a free
        table under the same no-double-booking guarantee as `book`; when none is free the
        result is `refused="taken"` and the reservation is exactly as it was.
        """
        ...

    async def reservation_changes(
        self, reservation_id: int | None = None
    ) -> list[ReservationChange]:
        """The change history (of one reservation when given), oldest first."""
        ...

    async def restore_change(self, change: ReservationChange) -> ReservationChange:
        """Insert an exported history entry as it was (`db import`); a new id is given."""
        ...

    # knowledge (and `keyword_search`, `vector_search` from `KnowledgeSearch`) ---------------
    async def knowledge_count(self) -> int: ...

    async def knowledge_dump(self) -> list[tuple[KnowledgeDoc, list[float] | None]]:
        """Every document with its stored vector (None when it has none), by key."""
        ...

    # sessions and escalations ----------------------------------------------------------------
    async def save_session(self, record: SessionRecord) -> None:
        """Insert or replace by conversation_id; keeps the original created_at."""
        ...

    async def load_session(self, conversation_id: str) -> SessionRecord | None: ...

    async def list_sessions(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]: ...

    async def delete_sessions_before(self, before: dt.datetime) -> list[SessionRecord]:
        """Delete sessions created before `before`; returns them (id and metadata only)."""
        ...

    async def create_escalation(self, record: EscalationRecord) -> EscalationRecord: ...

    async def update_escalation(
        self, escalation_id: int, status: EscalationStatus, detail: str | None = None
    ) -> EscalationRecord | None:
        """Set the status (and the detail when given); None when no such escalation.

        A claimed escalation keeps `claimed` when asked for one of `OPEN_STATUSES` (a voicemail
        arriving after a human claimed the call back must not reopen it); its detail is still
        updated. `resolved` always applies.
        """
        ...

    async def escalations(self, conversation_id: str | None = None) -> list[EscalationRecord]:
        """Escalations, oldest first; of one conversation when `conversation_id` is given."""
        ...

    async def claim_escalation(
        self, agent: str, escalation_id: int | None = None
    ) -> EscalationRecord | None:
        """Give the oldest claimable escalation (or the one named) to `agent`, atomically.

        Claimable means a status in `CLAIMABLE_STATUSES`. Sets status `claimed`, `claimed_by`
        and `claimed_at`; None when no claimable escalation (or not that one) is left. Two
        agents, in any processes, never claim the same escalation.
        """
        ...

    def watch_escalations(self, after_id: int | None = None) -> AsyncIterator[EscalationRecord]:
        """Escalations as any process creates or changes them, each as it then stands.

        First every escalation with an id above `after_id` (`None`: above the newest existing
        one), then each escalation created or changed (status, detail, claim) after the watch
        began; a row changed twice in quick succession may come once, in its latest state.
        Runs until the caller stops iterating (wrap it in `contextlib.aclosing`). Postgres
        pushes (LISTEN/NOTIFY); SQLite polls a change counter a few times a second.
        """
        ...

    # transfers to a human --------------------------------------------------------------------
    async def set_transfer_deadline(self, escalation_id: int, due_at: dt.datetime) -> None:
        """A transfer of this escalation is under way: its outcome is due by `due_at`.

        Until `record_transfer_outcome` clears it, a `transferred` escalation past its deadline
        is one `fail_overdue_transfers` recovers. Not a visible change (watchers hear nothing).
        """
        ...

    async def record_transfer_outcome(
        self, escalation_id: int, status: TransferOutcome, detail: str
    ) -> EscalationRecord | None:
        """Record how a transfer ended and clear its deadline, in one statement.

        A claimed or resolved escalation keeps its status: an outcome arriving late (after the
        sweep failed the transfer and staff took it, or closed it) never takes the call from the
        human who has it nor reopens it; its detail still records the outcome. A failed one (the
        sweep) takes the real outcome. None when no such escalation.
        """
        ...

    async def fail_overdue_transfers(self, now: dt.datetime, detail: str) -> list[EscalationRecord]:
        """Every `transferred` escalation whose deadline is before `now` becomes `failed`
        (claimable: staff call the guest back) with `detail`; returns those this call changed.

        One conditional UPDATE (re-checked under the row lock on Postgres, under the write lock
        on SQLite): sweeps running at once in several processes fail each row exactly once.
        """
        ...

    # texts to guests and the book's live feed ------------------------------------------------
    async def add_text(self, message: TextMessage) -> TextMessage:
        """Store a text (its id and timestamps are given here)."""
        ...

    async def update_text(
        self,
        text_id: int,
        status: TextStatus,
        *,
        provider_id: str | None = None,
        error: str | None = None,
        attempts: int = 0,
    ) -> TextMessage | None:
        """Record what became of a text; None when no such text."""
        ...

    async def texts(
        self, conversation_id: str | None = None, reservation_id: int | None = None
    ) -> list[TextMessage]:
        """Texts, oldest first: every one, or those of a call, or those of a reservation."""
        ...

    def watch_reservations(self) -> AsyncIterator[int]:
        """The id of each reservation any process books, changes or cancels from now on.

        A reservation changed twice in quick succession may come once. Runs until the caller
        stops iterating or the storage closes. Postgres pushes (LISTEN/NOTIFY on every entry of
        the change history); SQLite polls the history a few times a second.
        """
        ...
