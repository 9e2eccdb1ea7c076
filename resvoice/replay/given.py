"""Contract v2: the bookings a transcript gives before its call, and what became of them.

Given reservations are booked through the same storage the agent uses, before the greeting,
as ordinary booked reservations (by staff, in no call). One that cannot be placed - a closed
day, a time outside the hours, no free table - makes the file unreadable, with the reason; the
restaurant's rules are the notepad's, the same a caller's booking meets.
"""

from __future__ import annotations

from typing import Any

from resvoice.agent.notepad import BookingRulesContext, Notepad, NotepadUpdate, apply_update
from resvoice.errors import FixtureError
from resvoice.replay.format import GivenReservation, Transcript
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.base import Storage
from resvoice.storage.records import Reservation, ReservationRequest

__all__ = ["given_state", "place_given"]


async def place_given(
    storage: Storage, profile: RestaurantProfile, transcript: Transcript, source: str
) -> list[int]:
    """Book each given reservation in order; their ids.

    Raises:
        FixtureError: a given reservation cannot be placed (the message says which and why).
    """
    ids: list[int] = []
    for index, given in enumerate(transcript.given.reservations if transcript.given else [], 1):
        where = f"given.reservations[{index}]"
        why = _unplaceable(profile, given)
        if why is not None:
            raise FixtureError(source, f"{where} cannot be booked: {why}")
        # a sitting past midnight is stored on the next calendar day, as the agent books it
        starts = OpeningHours(profile).starts_at(given.date, given.time)
        result = await storage.book(
            ReservationRequest(
                conversation_id=None,
                name=given.name,
                phone=given.phone,
                party_size=given.party_size,
                date=starts.date(),
                time=starts.time(),
                email=given.email,
                special_requests=given.special_requests,
                sitting_minutes=profile.booking.sitting_minutes,
                by="staff",
            )
        )
        if result.reservation is None:
            raise FixtureError(
                source,
                f"{where} cannot be booked: no table for {given.party_size} is free on "
                f"{given.date} at {given.time:%H:%M}",
            )
        ids.append(result.reservation.id)
    return ids


def given_state(
    reservation: Reservation | None, hours: OpeningHours | None = None
) -> dict[str, Any]:
    """A given reservation as it stands after the call (the `--json` form); with `hours`, a
    sitting past midnight is dated on the day its service began, as the transcript gives it."""
    if reservation is None:
        return {}
    day = hours.service_day(reservation.date, reservation.time) if hours else reservation.date
    if day != reservation.date:
        reservation = reservation.model_copy(update={"date": day})
    return {
        "status": reservation.status,
        "name": reservation.name,
        "phone": reservation.phone,
        "party_size": reservation.party_size,
        "date": reservation.date.isoformat(),
        "time": reservation.time.strftime("%H:%M"),
        "special_requests": reservation.special_requests,
        "late_minutes": reservation.late_minutes,
        "code": reservation.code,
    }


def _unplaceable(profile: RestaurantProfile, given: GivenReservation) -> str | None:
    """Why the restaurant's own rules refuse this sitting (closed, outside the hours, a party
    too large), judged as on the day itself: a given booking may lie in the call's past."""
    outcome = apply_update(
        Notepad(),
        NotepadUpdate(date=given.date, time=given.time, party_size=given.party_size),
        BookingRulesContext(profile=profile, today=given.date),
    )
    return "; ".join(problem.message for problem in outcome.problems) or None
