"""Reservations in storage, written once for both backends: the sitting arithmetic, the reads,
and restoring an exported reservation.

Taking a table (`Storage.book`) and finding free ones (`Storage.free_tables`) are each
backend's own, because how they stay atomic differs: `sqlite/storage.py` and
`postgres/storage.py`, with their SQL (`BOOK`, the overlap test) in `sqlite/sql.py` and
`postgres/sql.py`.
"""

from __future__ import annotations

import datetime as dt

from resvoice.errors import StorageError
from resvoice.storage.backend import Database
from resvoice.storage.codes import new_code
from resvoice.storage.records import Reservation


async def reservations_on(db: Database, day: dt.date) -> list[Reservation]:
    """Every reservation starting on `day` (booked and cancelled), by start time then table."""
    rows = await db.fetch(db.dialect.RESERVATIONS_ON, db.dialect.day(day))
    return [db.dialect.ROWS.reservation(row) for row in rows]


async def reservation(db: Database, reservation_id: int) -> Reservation | None:
    rows = await db.fetch(db.dialect.RESERVATION_BY_ID, reservation_id)
    return db.dialect.ROWS.reservation(rows[0]) if rows else None


async def all_reservations(db: Database) -> list[Reservation]:
    rows = await db.fetch(db.dialect.ALL_RESERVATIONS)
    return [db.dialect.ROWS.reservation(row) for row in rows]


async def forget_reservations(db: Database, ids: list[int]) -> None:
    """Take reservations off the book entirely, with their change history."""
    async with db.transaction() as tx:
        for reservation_id in ids:
            await tx.execute(db.dialect.FORGET_RESERVATION_CHANGES, reservation_id)
            await tx.execute(db.dialect.FORGET_RESERVATION, reservation_id)


async def restore_reservation(db: Database, reservation: Reservation) -> Reservation:
    """Insert an exported reservation as it was (see `Storage.restore_reservation`)."""
    dialect = db.dialect
    start_min, end_min = sitting_span(reservation)
    rows = await db.insert_reservation(
        dialect.RESTORE_RESERVATION,
        reservation.table.name,
        reservation.conversation_id,
        reservation.name,
        reservation.phone,
        reservation.party_size,
        dialect.day(reservation.date),
        start_min,
        end_min,
        reservation.email,
        reservation.special_requests,
        reservation.status,
        dialect.stamp(reservation.created_at),
        reservation.code or new_code(),
        reservation.late_minutes,
    )
    if not rows:
        raise StorageError(
            f"reservation {reservation.id} is for table {reservation.table.name}, "
            "which this database does not have; seed the restaurant first"
        )
    return dialect.ROWS.reservation(rows[0])


def slot_minutes(start: dt.time, sitting_minutes: int, party: int) -> tuple[int, int]:
    """(start, end) in minutes after midnight of a sitting; the end may pass 1440."""
    if sitting_minutes <= 0 or sitting_minutes > 1440:
        raise ValueError(f"sitting_minutes must be 1..1440, not {sitting_minutes}")
    if party <= 0:
        raise ValueError(f"party size must be positive, not {party}")
    start_min = start.hour * 60 + start.minute
    return start_min, start_min + sitting_minutes


def sitting_span(reservation: Reservation) -> tuple[int, int]:
    """(start, end) minutes of a stored reservation; the end passes 1440 across midnight."""
    start = reservation.time.hour * 60 + reservation.time.minute
    length = (reservation.end_time.hour * 60 + reservation.end_time.minute - start) % 1440
    return start, start + (length or 1440)
