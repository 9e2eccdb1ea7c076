"""What staff see of a reservation, JSON-ready: `resvoice bookings --json` and the console.

One shape for both: `id`, `code`, `status`, `name`, `phone` (E.164), `party_size`, `date`,
`time`, `table`, `special_requests`, `changes` (the history, oldest first), plus `made_by`
(how it was made: `phone` in a call, `staff`, or `import` when its history was lost) and
`late_minutes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from resvoice.storage.base import Reservation, ReservationChange

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
        "late_minutes": reservation.late_minutes,
        "made_by": made_by(changes),
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
    booked = next((change for change in changes if change.kind == "book"), None)
    if booked is None:
        return "import"
    return "staff" if booked.by == "staff" else "phone"
