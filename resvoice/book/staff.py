"""`StaffBook`: the staff's changes to the book, under the rules a caller's change obeys.

`resvoice bookings` and the console's Bookings view both change the book through it. A
booking is named by its confirmation code. Cancelled bookings and bookings whose sitting has
ended cannot be changed; a move is checked as a new booking is (open day, hours, booking
window, a free table) and refused with the reason and the nearest free times. Every change is
recorded as by staff in the reservation's history and, unless asked not to, texted to the
guest through an outbox of its own (off the staff's path, as a call's texts are); `settle`
waits for those texts with a bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from resvoice.agent.availability import AvailabilityService
from resvoice.agent.desk import ChangeCheck, ReservationDesk
from resvoice.agent.messenger import LoggingMessenger, MessageResult
from resvoice.agent.notepad import BookingRulesContext
from resvoice.agent.text_outbox import TextOutbox
from resvoice.agent.texts import confirmation_text
from resvoice.book.views import made_by, reservation_view
from resvoice.errors import ResvoiceError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.base import Storage
from resvoice.storage.codes import is_code, normalise_code
from resvoice.storage.records import (
    ChangeResult,
    Reservation,
    ReservationChange,
    ReservationEdit,
    ReservationQuery,
)

__all__ = ["BookError", "StaffBook", "StaffChange", "UnknownCodeError"]


class BookError(ResvoiceError):
    """A staff change that cannot be made; the message says why (one line)."""


class UnknownCodeError(BookError):
    def __init__(self, code: str) -> None:
        super().__init__(f"no booking has the code {code!r}; `resvoice bookings --all` lists them")


@dataclass(frozen=True)
class StaffChange:
    """The reservation after a staff change, and the text it sent (None: no text wanted)."""

    reservation: Reservation
    text: MessageResult | None


class StaffBook:
    """The book as staff change it (see the module doc)."""

    def __init__(
        self,
        storage: Storage,
        profile: RestaurantProfile,
        *,
        now: Callable[[], dt.datetime],
        outbox: Callable[[int], TextOutbox],
        phone_region: str = "US",
    ) -> None:
        self._storage = storage
        self._profile = profile
        self._now = now
        self._outbox = outbox
        self._phone_region = phone_region
        self._outboxes: list[TextOutbox] = []

    # reading ---------------------------------------------------------------------------------
    async def by_code(self, code: str) -> Reservation:
        """The reservation with this confirmation code; `UnknownCodeError` when none."""
        if not is_code(code):
            raise UnknownCodeError(code)
        found = await self._storage.find_reservations(ReservationQuery(code=code))
        if not found:
            raise UnknownCodeError(normalise_code(code))
        return found[0]

    async def reservation(self, reservation_id: int) -> Reservation | None:
        return await self._storage.reservation(reservation_id)

    async def between(self, first: dt.date | None, last: dt.date | None) -> list[Reservation]:
        """Reservations (booked and cancelled) from `first` to `last` inclusive (None: no
        bound), by day, time and id."""
        rows = await self._storage.all_reservations()
        chosen = [
            r
            for r in rows
            if (first is None or r.date >= first) and (last is None or r.date <= last)
        ]
        return sorted(chosen, key=lambda r: (r.date, r.time, r.id))

    async def history(self) -> dict[int, list[ReservationChange]]:
        """Every reservation's changes, oldest first, by reservation id."""
        grouped: dict[int, list[ReservationChange]] = {}
        for change in await self._storage.reservation_changes():
            grouped.setdefault(change.reservation_id, []).append(change)
        return grouped

    async def view(self, reservation: Reservation) -> dict[str, Any]:
        """What staff see of a reservation (`views.reservation_view`), its texts, and whether
        it may still be changed."""
        changes = await self._storage.reservation_changes(reservation.id)
        view = reservation_view(reservation, changes)
        view.update(made_by=made_by(changes), late_minutes=reservation.late_minutes)
        texts = await self._storage.texts(reservation_id=reservation.id)
        view["texts"] = [{"to": t.to, "status": t.status, "body": t.body} for t in texts]
        view["changeable"] = self.changeable(reservation)
        # when it last changed (its history, its texts): a console keeps the newest view, as a
        # change's own answer and the feed can reach it in either order
        moments = [c.at for c in changes if c.at] + [t.updated_at for t in texts if t.updated_at]
        view["version"] = max(moments).timestamp() if moments else 0.0
        return view

    def changeable(self, reservation: Reservation) -> bool:
        """Booked, and its sitting has not ended."""
        return reservation.status == "booked" and not self._ended(reservation)

    def today(self) -> dt.date:
        return self._now().date()

    # changing --------------------------------------------------------------------------------
    async def cancel(self, code: str, *, text: bool = True) -> StaffChange:
        reservation = await self._changeable(code)
        result = await self._storage.cancel_reservation(reservation.id, by="staff")
        return await self._done(result, "cancelled", text)

    async def move(
        self, code: str, *, day: dt.date | None = None, time: dt.time | None = None
    ) -> StaffChange:
        if day is None and time is None:
            raise BookError("say where to move it: --date YYYY-MM-DD and/or --time HH:MM")
        reservation = await self._changeable(code)
        edit = ReservationEdit(date=day, time=time)
        check = await self._desk().check(reservation, edit)
        if not check.ok:
            raise BookError(_refusal(reservation, check))
        result = await self._storage.change_reservation(
            reservation.id, edit, sitting_minutes=self._profile.booking.sitting_minutes, by="staff"
        )
        if result.refused == "taken":
            raise BookError(f"{reservation.code}: that time was just taken; nothing changed")
        return await self._done(result, "changed", True)

    async def note(self, code: str, note: str, *, text: bool = True) -> StaffChange:
        note = " ".join(note.split())
        if not note:
            raise BookError("the note is empty; say what to note on the booking")
        reservation = await self._changeable(code)
        result = await self._storage.change_reservation(
            reservation.id,
            ReservationEdit(special_requests=note),
            sitting_minutes=self._profile.booking.sitting_minutes,
            by="staff",
        )
        return await self._done(result, "changed", text)

    async def settle(self) -> None:
        """Wait (bounded) for every text the staff's changes queued."""
        outboxes, self._outboxes = self._outboxes, []
        for outbox in outboxes:
            await outbox.drain()

    # helpers ---------------------------------------------------------------------------------
    async def _changeable(self, code: str) -> Reservation:
        reservation = await self.by_code(code)
        if reservation.status != "booked":
            raise BookError(f"{reservation.code} is cancelled; a cancelled booking stays as it is")
        if self._ended(reservation):
            raise BookError(
                f"{reservation.code} was on {reservation.date:%Y-%m-%d} at "
                f"{reservation.time:%H:%M}, which has passed; a past booking stays as it is"
            )
        return reservation

    async def _done(
        self, result: ChangeResult, kind: Literal["changed", "cancelled"], text: bool
    ) -> StaffChange:
        if not result.changed or result.reservation is None:
            raise BookError(f"nothing changed ({result.refused})")
        reservation = result.reservation
        message = None
        if text:
            outbox = self._outbox(reservation.id)
            self._outboxes = [o for o in self._outboxes if not o.idle] + [outbox]
            body = confirmation_text(kind, reservation, self._profile)
            message = await outbox.send(reservation.phone, body)
            outbox.close()  # one text: the worker ends once it is sent
        return StaffChange(reservation, message)

    def _ended(self, reservation: Reservation) -> bool:
        minutes = self._profile.booking.sitting_minutes
        start = dt.datetime.combine(reservation.date, reservation.time)
        return start + dt.timedelta(minutes=minutes) <= self._now().replace(tzinfo=None)

    def _desk(self) -> ReservationDesk:
        """The rules of a caller's change, for checking a staff move."""
        return ReservationDesk(
            storage=self._storage,
            availability=AvailabilityService(self._storage, self._profile),
            messenger=LoggingMessenger(),  # never used: staff texts go through `_outbox`
            rules=self._rules,
            now=self._now,
            conversation_id="staff",
            caller_id=None,
        )

    def _rules(self) -> BookingRulesContext:
        return BookingRulesContext(
            profile=self._profile, today=self.today(), phone_region=self._phone_region
        )


def _refusal(reservation: Reservation, check: ChangeCheck) -> str:
    """Why a move is refused, with the nearest free times or days when there are some."""
    reason = (
        "; ".join(problem.message for problem in check.problems)
        if check.problems
        else "no table is free then"
    )
    free = ", ".join(f"{t:%H:%M}" for t in check.alternatives)
    days = ", ".join(f"{d:%Y-%m-%d}" for d in check.next_days)
    hint = f" (free: {free})" if free else f" (free days: {days})" if days else ""
    return f"{reservation.code} not moved: {reason}{hint}"
