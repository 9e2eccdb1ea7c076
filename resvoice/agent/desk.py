"""`ReservationDesk`: a call about a booking that already exists - find it, change it, text it.

One desk per call. It is where the privacy rule lives, for every brain alike: a booking is
the caller's only when its phone is the caller ID, or when the caller stated two of the name
on it, its phone, its date and its code. The desk returns nothing of any other booking, and
refuses to cancel or change a reservation this call has not identified that way - so no
prompt, and no caller, can talk it into reading out or touching someone else's table. How a
stated fact is matched against a booking (a surname as speech-to-text spelled it, a phone by
its digits) is `caller_facts.py`.

Changes go through the same validation as a new booking (`notepad.apply_update`: closed days,
the booking window, opening hours, slots, party limits) and the same availability; a refused
change leaves the booking as it was and says why, with the nearest free times.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from resvoice.agent.availability import AvailabilityService
from resvoice.agent.caller_facts import CallerFacts, contradicts, fits, matches, same_phone
from resvoice.agent.messenger import MessageResult, Messenger
from resvoice.agent.notepad import (
    BookingRulesContext,
    Notepad,
    NotepadUpdate,
    Problem,
    apply_update,
    normalise_phone,
)
from resvoice.agent.texts import confirmation_text
from resvoice.restaurant.hours import OpeningHours
from resvoice.storage.base import Storage
from resvoice.storage.codes import is_code, normalise_code
from resvoice.storage.records import ChangeResult, Reservation, ReservationEdit, ReservationQuery

__all__ = ["ChangeCheck", "FindOutcome", "ReservationDesk", "late_note"]

NOT_FOUND_LINE = "I can't find a booking under that name and number."
# After this many searches by stated facts found nothing, only the caller ID identifies: a
# caller cannot try date after date against a name until one fits.
MAX_MISSES = 3


FindStatus = Literal["found", "several", "not_found"]


@dataclass(frozen=True)
class FindOutcome:
    """`bookings`: the caller's upcoming booked reservations (none of anybody else's).

    `inactive` says why a booking the caller identified is not offered: it was cancelled or
    its time has passed.
    """

    status: FindStatus
    bookings: tuple[Reservation, ...] = ()
    inactive: Literal["cancelled", "past"] | None = None


@dataclass(frozen=True)
class ChangeCheck:
    """Whether an edit may be made: `problems` refuse it (with `alternatives`, free times)."""

    problems: tuple[Problem, ...] = ()
    taken: bool = False
    alternatives: tuple[dt.time, ...] = ()
    next_days: tuple[dt.date, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.taken


@dataclass
class ChangeOutcome:
    result: ChangeResult | None
    check: ChangeCheck = field(default_factory=ChangeCheck)
    message: MessageResult | None = None
    refused: str | None = None  # "not_identified" | "not_booked" | "problems" | "taken"

    @property
    def done(self) -> bool:
        return self.refused is None


class ReservationDesk:
    """Existing reservations for one call (see the module doc)."""

    def __init__(
        self,
        *,
        storage: Storage,
        availability: AvailabilityService,
        messenger: Messenger,
        rules: Callable[[], BookingRulesContext],
        now: Callable[[], dt.datetime],
        conversation_id: str,
        caller_id: str | None,
    ) -> None:
        self._storage = storage
        self._availability = availability
        self._messenger = messenger
        self._rules = rules
        self._now = now
        self._conversation_id = conversation_id
        self._caller_id = caller_id
        self._identified: set[int] = set()
        self._misses = 0  # searches by stated facts that found nothing
        self._searched = False
        self._checked: set[tuple[int, ReservationEdit]] = set()  # dry runs that passed

    # finding ---------------------------------------------------------------------------------
    async def find(self, facts: CallerFacts) -> FindOutcome:
        """The caller's bookings: by caller ID first, else by the phone, code or name + date."""
        self._searched = True
        facts = self._normalised(facts)
        candidates: dict[int, Reservation] = {}
        queries = []
        if self._caller_id:
            queries.append(ReservationQuery(phone=self._caller_id))
        if facts.phone:
            queries.append(ReservationQuery(phone=facts.phone))
        if facts.code:
            queries.append(ReservationQuery(code=facts.code))
        if facts.name and facts.date:
            queries.append(ReservationQuery(name=facts.name, date=facts.date))
            # a sitting past midnight is stored on the next calendar day
            after = facts.date + dt.timedelta(days=1)
            queries.append(ReservationQuery(name=facts.name, date=after))
        for query in queries:
            for reservation in await self._storage.find_reservations(query):
                candidates[reservation.id] = self._as_service(reservation)
        owned = [r for r in candidates.values() if self._owns(r, facts)]
        if not owned and facts.given() >= 2:
            self._misses += 1  # one stated fact never identifies, so it is no guess either
        if facts.given():  # the caller named a booking: keep the ones that fit what they said
            # None fits: the caller's own (by caller ID) are still theirs to hear about - the
            # agent reads the day back - but nothing found by the stated facts alone.
            fitting = [r for r in owned if fits(r, facts)]
            owned = fitting or [r for r in owned if self._by_caller_id(r)]
        self._identified.update(r.id for r in owned)
        active = sorted(
            (r for r in owned if r.status == "booked" and not self._past(r)),
            key=lambda r: (r.date, r.time, r.id),
        )
        if active:
            return FindOutcome("found" if len(active) == 1 else "several", tuple(active))
        inactive: Literal["cancelled", "past"] | None = None
        if owned:
            inactive = "cancelled" if any(r.status == "cancelled" for r in owned) else "past"
        return FindOutcome("not_found", (), inactive)

    @property
    def consulted(self) -> bool:
        """The call has looked for a booking the caller already has."""
        return self._searched

    def adopt(self, reservation_id: int) -> None:
        """A booking made in this call is the caller's."""
        self._identified.add(reservation_id)

    async def reservation(self, reservation_id: int) -> Reservation | None:
        """A reservation this call identified, as it stands now; None for any other."""
        if reservation_id not in self._identified:
            return None
        found = await self._storage.reservation(reservation_id)
        return None if found is None else self._as_service(found)

    # changing --------------------------------------------------------------------------------
    def changeable(self, reservation: Reservation) -> bool:
        """Booked and not yet over: cancelled and past bookings are not offered for change."""
        return reservation.status == "booked" and not self._past(reservation)

    def checked(self, reservation_id: int, edit: ReservationEdit) -> None:
        """A dry run of this change passed (the caller is read it back next)."""
        self._checked.add((reservation_id, edit))

    def was_checked(self, reservation_id: int, edit: ReservationEdit) -> bool:
        return (reservation_id, edit) in self._checked

    async def check(self, reservation: Reservation, edit: ReservationEdit) -> ChangeCheck:
        """Would `edit` be accepted? The rules of a new booking, then a free table."""
        if not edit.moves:
            return ChangeCheck()
        day = edit.date or reservation.date
        when = edit.time or reservation.time
        party = edit.party_size or reservation.party_size
        scratch = Notepad()
        outcome = apply_update(
            scratch, NotepadUpdate(date=day, time=when, party_size=party), self._rules()
        )
        if outcome.problems:
            valid_day = scratch.date
            alternatives: tuple[dt.time, ...] = ()
            if valid_day is not None and scratch.party_size is not None:
                answer = await self._availability.check(valid_day, None, scratch.party_size)
                alternatives = answer.alternatives
            return ChangeCheck(problems=tuple(outcome.problems), alternatives=alternatives)
        answer = await self._availability.check(day, when, party)
        if answer.available or _overlaps_itself(reservation, day, when):
            return ChangeCheck()  # an overlap with its own sitting is settled by the move itself
        return ChangeCheck(taken=True, alternatives=answer.alternatives, next_days=answer.next_days)

    async def change(
        self, reservation_id: int, edit: ReservationEdit, *, notify: bool = True
    ) -> ChangeOutcome:
        reservation = await self.reservation(reservation_id)
        if reservation is None:
            return ChangeOutcome(None, refused="not_identified")
        if not self.changeable(reservation):
            return ChangeOutcome(None, refused="not_booked")
        check = await self.check(reservation, edit)
        if check.problems:
            return ChangeOutcome(None, check, refused="problems")
        stored = edit
        if edit.late_minutes is not None and edit.special_requests is None:
            # the delay is noted on the booking where staff read its notes
            note = late_note(reservation.special_requests, edit.late_minutes)
            stored = edit.model_copy(update={"special_requests": note})
        if edit.date is not None or edit.time is not None:  # the calendar date and time
            day, when = self._calendar(edit.date or reservation.date, edit.time or reservation.time)
            stored = edit.model_copy(update={"date": day, "time": when})
        result = self._service_result(
            await self._storage.change_reservation(
                reservation_id,
                stored,
                sitting_minutes=self._rules().profile.booking.sitting_minutes,
                conversation_id=self._conversation_id,
            )
        )
        if result.refused == "taken":
            answer = await self._availability.check(
                edit.date or reservation.date,
                edit.time or reservation.time,
                edit.party_size or reservation.party_size,
            )
            check = ChangeCheck(
                taken=True, alternatives=answer.alternatives, next_days=answer.next_days
            )
            return ChangeOutcome(result, check, refused="taken")
        if not result.changed:
            return ChangeOutcome(result, refused=result.refused)
        message = None
        if notify and result.reservation is not None and (edit.moves or edit.special_requests):
            message = await self.text(result.reservation, "changed")
        return ChangeOutcome(result, message=message)

    async def cancel(self, reservation_id: int, *, notify: bool = True) -> ChangeOutcome:
        reservation = await self.reservation(reservation_id)
        if reservation is None:
            return ChangeOutcome(None, refused="not_identified")
        if not self.changeable(reservation):
            return ChangeOutcome(None, refused="not_booked")
        result = self._service_result(
            await self._storage.cancel_reservation(
                reservation_id, conversation_id=self._conversation_id
            )
        )
        if not result.changed or result.reservation is None:
            return ChangeOutcome(result, refused=result.refused)
        message = await self.text(result.reservation, "cancelled") if notify else None
        return ChangeOutcome(result, message=message)

    async def text(
        self, reservation: Reservation, kind: Literal["booked", "changed", "cancelled"]
    ) -> MessageResult:
        """Text the reservation's phone what became of it."""
        body = confirmation_text(kind, reservation, self._rules().profile)
        return await self._messenger.send(reservation.phone, body)

    # helpers ---------------------------------------------------------------------------------
    def _by_caller_id(self, reservation: Reservation) -> bool:
        return bool(self._caller_id) and same_phone(reservation.phone, self._caller_id or "")

    def _owns(self, reservation: Reservation, facts: CallerFacts) -> bool:
        if self._by_caller_id(reservation):
            return True
        if self._misses >= MAX_MISSES:
            return False  # no guessing one fact at a time until something fits
        return matches(reservation, facts) >= 2 and not contradicts(reservation, facts)

    def _as_service(self, reservation: Reservation) -> Reservation:
        """The booking as callers and staff name it: a sitting past midnight on the day its
        service began (stored on the next calendar day: Saturday's 00:30 is Sunday 00:30)."""
        day = OpeningHours(self._rules().profile).service_day(reservation.date, reservation.time)
        return (
            reservation if day == reservation.date else reservation.model_copy(update={"date": day})
        )

    def _service_result(self, result: ChangeResult) -> ChangeResult:
        if result.reservation is None:
            return result
        return result.model_copy(update={"reservation": self._as_service(result.reservation)})

    def _calendar(self, day: dt.date, time: dt.time) -> tuple[dt.date, dt.time]:
        """The calendar date and time of the sitting at `time` on service day `day`."""
        starts = OpeningHours(self._rules().profile).starts_at(day, time)
        return starts.date(), starts.time()

    def _past(self, reservation: Reservation) -> bool:
        minutes = self._rules().profile.booking.sitting_minutes
        day, when = self._calendar(reservation.date, reservation.time)
        ends = dt.datetime.combine(day, when) + dt.timedelta(minutes=minutes)
        return ends <= self._now().replace(tzinfo=None)

    def _normalised(self, facts: CallerFacts) -> CallerFacts:
        region = self._rules().phone_region
        phone = normalise_phone(facts.phone, region) or facts.phone if facts.phone else None
        code = normalise_code(facts.code) if facts.code else None
        return CallerFacts(
            name=" ".join(facts.name.split()) if facts.name else None,
            phone=phone,
            date=facts.date,
            code=code if code and is_code(code) else None,
        )


def late_note(notes: str | None, minutes: int) -> str:
    """The booking's notes with "running about N minutes late" (replacing an earlier one)."""
    kept = [
        part.strip()
        for part in (notes or "").split(";")
        if part.strip() and not _LATE_NOTE.match(part.strip())
    ]
    return "; ".join([*kept, f"running about {minutes} minutes late"])[-200:]


_LATE_NOTE = re.compile(r"running about \d+ minutes late$")


def _overlaps_itself(reservation: Reservation, day: dt.date, when: dt.time) -> bool:
    start = dt.datetime.combine(reservation.date, reservation.time)
    end = dt.datetime.combine(reservation.date, reservation.end_time)
    if end <= start:
        end += dt.timedelta(days=1)
    new = dt.datetime.combine(day, when)
    return start - (end - start) < new < end
