"""The records `Storage` moves: frozen models of bookings, their history, calls, escalations,
texts and knowledge-search hits, and the statuses they take.

Every backend reads and writes these, and every layer above storage speaks them; the protocol
itself is `base.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from resvoice.call_metadata import CallMetadata
from resvoice.restaurant.documents import KnowledgeDoc


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class EmbedderInfo(_Record):
    name: str
    dim: int


class KeywordHit(_Record):
    doc: KnowledgeDoc
    score: float  # higher is better (negated BM25 for SQLite)


class VectorHit(_Record):
    doc: KnowledgeDoc
    distance: float  # cosine distance, lower is better


class TableRecord(_Record):
    id: int
    name: str
    seats: int
    area: str | None = None


class _Booking(_Record):
    """What a request and the reservation it becomes both say: the guest and the sitting."""

    conversation_id: str | None
    name: str
    phone: str
    party_size: int
    date: dt.date
    time: dt.time
    email: str | None = None
    special_requests: str | None = None


class ReservationRequest(_Booking):
    sitting_minutes: int
    by: Literal["caller", "staff"] = "caller"  # who booked, for the reservation's history


ReservationStatus = Literal["booked", "cancelled"]


class Reservation(_Booking):
    id: int
    table: TableRecord
    end_time: dt.time
    status: ReservationStatus = "booked"
    created_at: dt.datetime
    code: str = ""  # the confirmation code (see `codes.py`); "" only in exports from before v5
    late_minutes: int | None = None  # the caller said they would be this late


ChangeKind = Literal["book", "cancel", "move", "party", "note", "late"]
ChangedBy = Literal["caller", "staff"]


class ReservationChange(_Record):
    """One entry of a reservation's history: what changed, from what to what, who, when."""

    id: int | None = None
    reservation_id: int
    kind: ChangeKind
    old: dict[str, Any] = Field(default_factory=dict)
    new: dict[str, Any] = Field(default_factory=dict)
    by: ChangedBy = "caller"
    conversation_id: str | None = None
    at: dt.datetime | None = None  # set by storage when recorded


class ReservationEdit(_Record):
    """What a change sets; None leaves a value as it is.

    A new date, time or party size is a *move*: the sitting takes a free table (the one it has
    when that still fits and is free) in the same transaction, or nothing changes.
    """

    date: dt.date | None = None
    time: dt.time | None = None
    party_size: int | None = Field(default=None, ge=1)
    special_requests: str | None = None
    late_minutes: int | None = Field(default=None, ge=1)

    @property
    def moves(self) -> bool:
        return self.date is not None or self.time is not None or self.party_size is not None


ChangeRefusal = Literal["not_found", "not_booked", "taken"]


class ChangeResult(_Record):
    """`reservation` as it stands after the change; `refused` says why nothing changed."""

    reservation: Reservation | None
    refused: ChangeRefusal | None = None

    @property
    def changed(self) -> bool:
        return self.refused is None


class ReservationQuery(_Record):
    """Which reservations `find_reservations` returns: every given criterion must match.

    `phone` compares exactly (E.164 as stored), `code` ignoring case and spaces, `name` ignoring
    case (the whole name, or the surname alone), `date` the sitting's day; `from_date` keeps
    sittings on or after it. An empty query finds nothing.
    """

    phone: str | None = None
    code: str | None = None
    name: str | None = None
    date: dt.date | None = None
    from_date: dt.date | None = None
    status: ReservationStatus | None = None


class BookingResult(_Record):
    """`reservation` is set when booked; otherwise no table fitting the party was free."""

    reservation: Reservation | None

    @property
    def booked(self) -> bool:
        return self.reservation is not None


class TranscriptLine(_Record):
    role: Literal["caller", "agent", "system"]
    text: str
    at: dt.datetime
    interrupted: bool = False


class SessionRecord(_Record):
    conversation_id: str
    notepad: dict[str, Any] = Field(default_factory=dict)
    metadata: CallMetadata = Field(default_factory=CallMetadata)
    transcript: tuple[TranscriptLine, ...] = ()
    created_at: dt.datetime | None = None  # set by storage on first save
    updated_at: dt.datetime | None = None


EscalationStatus = Literal["queued", "claimed", "transferred", "callback", "resolved", "failed"]

# What a human may claim. `queued`: nobody has it yet. `callback`: nobody answered the transfer
# (or no transfer was possible), so the guest waits for a call back. `failed`: the transfer
# itself failed, or its outcome never came (`fail_overdue_transfers`); call the guest back. Not
# `transferred`: the call is ringing the agent phone or a human already answered it, and an
# unanswered dial turns it into `callback`, claimable then.
CLAIMABLE_STATUSES: tuple[EscalationStatus, ...] = ("queued", "callback", "failed")
# Statuses the call's own machinery sets; they never reopen an escalation a human has claimed.
OPEN_STATUSES: tuple[EscalationStatus, ...] = ("queued", "transferred", "callback", "failed")
# What a transfer to a human ends in: answered (`transferred`), nobody answered (`callback`), or
# it could not be made or its outcome never came (`failed`).
TransferOutcome = Literal["transferred", "callback", "failed"]


class EscalationRecord(_Record):
    id: int | None = None
    conversation_id: str
    reason: str
    detail: str = ""
    status: EscalationStatus = "queued"
    notepad: dict[str, Any] = Field(default_factory=dict)
    missing_fields: tuple[str, ...] = ()
    transcript: tuple[TranscriptLine, ...] = ()
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = None  # when `claimed_by` took it (time to pickup)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class SeedSummary(_Record):
    tables: int
    documents: int
    embedded: int  # documents whose vectors were (re)computed
    removed: int  # documents no longer in the file


TextStatus = Literal["queued", "sent", "failed", "skipped"]


class TextMessage(_Record):
    """One text to a guest and what became of it.

    `queued` while its send is in flight; then `sent` (the provider took it: `provider_id`),
    `failed` (`error`, after `attempts` tries) or `skipped` (texts off, not an E.164 number).
    A call's texts carry its `conversation_id`; a staff change's, the reservation alone.
    """

    id: int | None = None
    conversation_id: str | None = None
    reservation_id: int | None = None
    to: str
    body: str
    status: TextStatus = "queued"
    provider_id: str | None = None
    error: str | None = None
    attempts: int = 0
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
