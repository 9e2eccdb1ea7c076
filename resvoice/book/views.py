"""What staff see of a reservation, JSON-ready: `resvoice bookings --json` and the console.

`reservation_view` is exactly the documented `--json` entry: `id`, `code`, `status`, `name`,
`phone` (E.164), `party_size`, `date`, `time`, `table`, `special_requests`, `changes` (the
history, oldest first). The console adds to it (`StaffBook.view`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from resvoice.storage.records import Reservation, ReservationChange

__all__ = ["change_view", "made_by", "reservation_view"]

MadeBy = Literal["phone", "staff", "import"]


def reservation_view(
    reservation: Reservation, changes: Sequence[ReservationChange]
) -> dict[str, Any]:
    return {
        "id": reservation.id,
        "code": reservation.code,
        "status": reservation.status,
        "name": reservation.name,
        "phone": reservation.phone,
        "party_size": reservation.party_size,
        "date": reservation.date.isoformat(),
        "time": reservation.time.strftime("%H:%M"),
        "table": reservation.table.name,
        "special_requests": reservation.special_requests,
        "changes": [change_view(change) for change in changes],
    }


def change_view(change: ReservationChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "old": change.old,
        "new": change.new,
        "by": change.by,
        "call": change.conversation_id,
        "at": change.at.isoformat() if change.at else None,
    }


def made_by(changes: Sequence[ReservationChange]) -> MadeBy:
    """How a booking was made: `phone` (in a call), `staff`, or `import` (no history)."""
    booked = next((change for change in changes if change.kind == "book"), None)
    if booked is None:
        return "import"
    return "staff" if booked.by == "staff" else "phone"
