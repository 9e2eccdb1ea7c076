"""Reservations that live on: find, cancel, move, re-size, note; each change in the history.

Written once for both backends with the dialect's SQL, on a `Database` (see `backend.py`):
`write_tx` (one write transaction), `lock_day` (what serialises bookings of one day: an
advisory lock on Postgres, nothing more than the write lock on SQLite) and `retry_errors` (the
errors of a transaction that lost a race and may be run again).

Every change is one transaction: the reservation row is read (and locked), updated, and the
change recorded; a move that finds no free table rolls back, so the reservation is exactly as
it was. A move keeps the reservation's id and code; the overlap guard of the schema (trigger on
SQLite, exclusion constraint on Postgres) backs the table pick as it backs `book`.
"""

from __future__ import annotations

from typing import Any

from resvoice.errors import StorageError
from resvoice.storage.backend import Database, Dialect, Tx
from resvoice.storage.bookings import slot_minutes
from resvoice.storage.codes import normalise_code
from resvoice.storage.records import (
    ChangedBy,
    ChangeKind,
    ChangeResult,
    Reservation,
    ReservationChange,
    ReservationEdit,
    ReservationQuery,
)
from resvoice.storage.rows import dumps

MAX_ATTEMPTS = 50  # a transaction that lost a race is run again, with a fresh snapshot


async def find_reservations(db: Database, query: ReservationQuery) -> list[Reservation]:
    """See `Storage.find_reservations`."""
    if not (query.phone or query.code or query.name or query.date):
        return []
    q = db.dialect
    rows = await db.fetch(
        q.FIND_RESERVATIONS,
        query.phone,
        normalise_code(query.code) if query.code else None,
        " ".join(query.name.split()).lower() if query.name else None,
        q.day(query.date) if query.date else None,
        q.day(query.from_date) if query.from_date else None,
        query.status,
    )
    return [q.ROWS.reservation(row) for row in rows]


async def reservation_changes(
    db: Database, reservation_id: int | None = None
) -> list[ReservationChange]:
    rows = await db.fetch(db.dialect.CHANGES, reservation_id)
    return [db.dialect.ROWS.change(row) for row in rows]


async def restore_change(db: Database, change: ReservationChange) -> ReservationChange:
    q = db.dialect
    async with db.write_tx() as tx:
        rows = await tx.fetch(
            q.INSERT_CHANGE,
            change.reservation_id,
            change.kind,
            dumps(change.old),
            dumps(change.new),
            change.by,
            change.conversation_id,
            q.stamp(change.at) if change.at else q.stamp(),
        )
    return q.ROWS.change(rows[0])


async def cancel_reservation(
    db: Database, reservation_id: int, by: ChangedBy, conversation_id: str | None
) -> ChangeResult:
    q = db.dialect
    async with db.write_tx() as tx:
        before = await _locked(tx, q, reservation_id)
        if before is None or before.status != "booked":
            return _refused(before)
        await tx.fetch(q.CANCEL_RESERVATION, reservation_id)
        await _record(
            tx, q, reservation_id, "cancel", {"status": "booked"}, {"status": "cancelled"},
            by, conversation_id,
        )  # fmt: skip
        after = await _locked(tx, q, reservation_id)
    return ChangeResult(reservation=after)


async def change_reservation(
    db: Database,
    reservation_id: int,
    edit: ReservationEdit,
    sitting_minutes: int,
    by: ChangedBy,
    conversation_id: str | None,
) -> ChangeResult:
    last: BaseException | None = None
    for _ in range(MAX_ATTEMPTS):
        try:
            return await _change_once(
                db, reservation_id, edit, sitting_minutes, by, conversation_id
            )
        except db.retry_errors as exc:  # lost a race for the table: look again
            last = exc
    raise StorageError(f"changing reservation {reservation_id} kept colliding: {last}")


async def _change_once(
    db: Database,
    reservation_id: int,
    edit: ReservationEdit,
    sitting_minutes: int,
    by: ChangedBy,
    conversation_id: str | None,
) -> ChangeResult:
    q = db.dialect
    async with db.write_tx() as tx:
        before = await _locked(tx, q, reservation_id)
        if before is None or before.status != "booked":
            return _refused(before)
        day = edit.date or before.date
        at = edit.time or before.time
        party = edit.party_size or before.party_size
        entries: list[tuple[ChangeKind, dict[str, Any], dict[str, Any]]] = []
        if (day, at, party) != (before.date, before.time, before.party_size):
            await db.lock_day(tx, day)
            start_min, end_min = slot_minutes(at, sitting_minutes, party)
            moved = await tx.fetch(
                q.MOVE_RESERVATION, *q.move_params(reservation_id, day, start_min, end_min, party)
            )
            if not moved:
                return ChangeResult(reservation=before, refused="taken")
            after = await _locked(tx, q, reservation_id)
            assert after is not None
            if (day, at) != (before.date, before.time):
                entries.append(("move", _sitting(before), _sitting(after)))
            if party != before.party_size:
                entries.append(
                    (
                        "party",
                        {"party_size": before.party_size, "table": before.table.name},
                        {"party_size": party, "table": after.table.name},
                    )
                )
        if edit.special_requests is not None or edit.late_minutes is not None:
            await tx.fetch(
                q.UPDATE_DETAILS, reservation_id, edit.special_requests, edit.late_minutes
            )
            if edit.special_requests is not None:
                entries.append(
                    (
                        "note",
                        {"special_requests": before.special_requests},
                        {"special_requests": edit.special_requests},
                    )
                )
            if edit.late_minutes is not None:
                entries.append(
                    (
                        "late",
                        {"late_minutes": before.late_minutes},
                        {"late_minutes": edit.late_minutes},
                    )
                )
        for kind, old, new in entries:
            await _record(tx, q, reservation_id, kind, old, new, by, conversation_id)
        after = await _locked(tx, q, reservation_id)
    return ChangeResult(reservation=after)


async def _locked(tx: Tx, q: Dialect, reservation_id: int) -> Reservation | None:
    rows = await tx.fetch(q.LOCK_RESERVATION, reservation_id)
    return q.ROWS.reservation(rows[0]) if rows else None


def _refused(before: Reservation | None) -> ChangeResult:
    return ChangeResult(reservation=before, refused="not_found" if before is None else "not_booked")


def _sitting(reservation: Reservation) -> dict[str, Any]:
    return {
        "date": reservation.date.isoformat(),
        "time": reservation.time.strftime("%H:%M"),
        "table": reservation.table.name,
    }


async def record_change(
    db: Tx,
    q: Dialect,
    reservation_id: int,
    kind: ChangeKind,
    new: dict[str, Any],
    by: ChangedBy,
    conversation_id: str | None,
) -> None:
    """Record a booking's first history entry inside the booking's own transaction."""
    await _record(db, q, reservation_id, kind, {}, new, by, conversation_id)


async def _record(
    db: Tx,
    q: Dialect,
    reservation_id: int,
    kind: ChangeKind,
    old: dict[str, Any],
    new: dict[str, Any],
    by: ChangedBy,
    conversation_id: str | None,
) -> None:
    await db.fetch(
        q.INSERT_CHANGE,
        reservation_id,
        kind,
        dumps(old),
        dumps(new),
        by,
        conversation_id,
        q.stamp(),
    )


def booked_values(reservation: Reservation) -> dict[str, Any]:
    """What a `book` history entry records as its new values."""
    return {
        **_sitting(reservation),
        "party_size": reservation.party_size,
        "name": reservation.name,
        "code": reservation.code,
    }
