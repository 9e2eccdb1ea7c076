"""The tools for a booking that already exists: `find_reservation`, `cancel_reservation`,
`change_reservation`, each declared once (`@tool`) with its argument model.

Every handler goes through the call's `ReservationDesk`, which enforces the privacy rule: a
reservation the call has not identified as the caller's cannot be read, cancelled or changed,
whatever arguments a brain passes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from resvoice.agent.caller_facts import CallerFacts
from resvoice.agent.desk import NOT_FOUND_LINE, ChangeOutcome
from resvoice.agent.events import (
    ReservationChanged,
    ReservationChangeKind,
    SessionEvent,
    TextMessageSent,
    ToolResult,
)
from resvoice.agent.messenger import MessageResult
from resvoice.agent.policies import deposit_line, hold_line
from resvoice.agent.state import CallState
from resvoice.agent.tools.declare import ToolContext, ToolOutcome, tool
from resvoice.call_metadata import BookingChangeNote
from resvoice.language.codes import spell_code
from resvoice.storage.records import Reservation, ReservationEdit


class FindReservationArgs(BaseModel):
    """What the caller said about the booking they mean."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, description="Name the booking is under.")
    phone: str | None = Field(default=None, description="Phone number on the booking.")
    date: dt.date | None = Field(default=None, description="Date of the booking, YYYY-MM-DD.")
    code: str | None = Field(default=None, description="Confirmation code, e.g. K7MPA3.")
    reservation_id: int | None = Field(
        default=None, description="Look up again a booking found earlier in this call."
    )


class CancelReservationArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reservation_id: int
    send_text: bool = Field(default=True, description="False when the caller wants no text.")


class ChangeReservationArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reservation_id: int
    date: dt.date | None = Field(default=None, description="New date, YYYY-MM-DD.")
    time: dt.time | None = Field(default=None, description="New time, 24-hour HH:MM.")
    party_size: int | None = Field(default=None, ge=1, description="New number of guests.")
    special_requests: str | None = Field(default=None, min_length=1, max_length=200)
    late_minutes: int | None = Field(default=None, ge=1, le=240, description="Running late.")
    dry_run: bool = Field(default=False, description="Only check; change nothing.")
    send_text: bool = Field(default=True, description="False when the caller wants no text.")

    def edit(self) -> ReservationEdit:
        return ReservationEdit(
            date=self.date,
            time=self.time,
            party_size=self.party_size,
            special_requests=self.special_requests,
            late_minutes=self.late_minutes,
        )


@tool(
    "Find the caller's existing booking. Pass what the caller said about it (name, phone, "
    "date, confirmation code); the caller ID is used automatically. Only bookings the "
    "caller is entitled to are returned; if none, say the returned `say` line and ask for "
    "the phone number on the booking or the confirmation code."
)
async def find_reservation(ctx: ToolContext, args: FindReservationArgs) -> ToolOutcome:
    desk = ctx.deps.desk
    if args.reservation_id is not None:
        known = await desk.reservation(args.reservation_id)
        if known is None:
            return _refusal("not_identified"), []
        return ToolResult(ok=True, data={"status": "found", "reservations": [view(known)]}), []
    outcome = await desk.find(
        CallerFacts(name=args.name, phone=args.phone, date=args.date, code=args.code)
    )
    data: dict[str, Any] = {
        "status": outcome.status,
        "reservations": [view(r) for r in outcome.bookings],
    }
    if outcome.status == "not_found":
        data["say"] = NOT_FOUND_LINE
        if outcome.inactive:
            data["inactive"] = outcome.inactive
    return ToolResult(ok=outcome.status != "not_found", data=data), []


@tool(
    "Cancel a booking returned by find_reservation, only after reading it back and the "
    "caller saying yes. Texts a confirmation unless send_text is false."
)
async def cancel_reservation(ctx: ToolContext, args: CancelReservationArgs) -> ToolOutcome:
    desk, state = ctx.deps.desk, ctx.state
    state.metadata.texts_wanted = state.metadata.texts_wanted and args.send_text
    outcome = await desk.cancel(args.reservation_id, notify=state.metadata.texts_wanted)
    result = _changed(state, outcome, ("cancel",))
    await ctx.deps.persist()
    return result


@tool(
    "Change a booking returned by find_reservation: a new date and/or time, party size, "
    "special request, or the minutes the guest will be late (the time stays). Call with "
    "dry_run true first to check it, read the change back, then again with dry_run false "
    "after the caller says yes. A refused change returns the reason and free times."
)
async def change_reservation(ctx: ToolContext, args: ChangeReservationArgs) -> ToolOutcome:
    desk, state, profile = ctx.deps.desk, ctx.state, ctx.deps.rules().profile
    edit = args.edit()
    if edit == ReservationEdit():
        return ToolResult(ok=False, error="nothing to change"), []
    reservation = await desk.reservation(args.reservation_id)
    if reservation is None:
        return _refusal("not_identified"), []
    if not desk.changeable(reservation):
        return _refusal("not_booked"), []
    extra: dict[str, Any] = {}
    if edit.party_size is not None and edit.party_size != reservation.party_size:
        deposit = deposit_line(profile, edit.party_size)
        if deposit:
            extra["deposit"] = deposit
    if edit.late_minutes is not None:
        extra["hold_policy"] = hold_line(profile)
    if args.dry_run:
        check = await desk.check(reservation, edit)
        if check.ok:
            desk.checked(reservation.id, edit)
        return (
            ToolResult(
                ok=check.ok,
                data={
                    "ok": check.ok,
                    "reservation": view(reservation),
                    **_check_data(check.problems, check.taken, check.alternatives, check.next_days),
                    **extra,
                },
            ),
            [],
        )
    if needs_read_back(edit) and not desk.was_checked(reservation.id, edit):
        # the read-back the caller says yes to comes from a dry run of this very change
        check = await desk.check(reservation, edit)
        refused = _refusal("not_checked" if check.ok else "problems" if check.problems else "taken")
        refused.data.update(
            _check_data(check.problems, check.taken, check.alternatives, check.next_days)
        )
        return refused, []
    state.metadata.texts_wanted = state.metadata.texts_wanted and args.send_text
    outcome = await desk.change(args.reservation_id, edit, notify=state.metadata.texts_wanted)
    kinds: list[ReservationChangeKind] = []
    if (edit.date and edit.date != reservation.date) or (
        edit.time and edit.time != reservation.time
    ):
        kinds.append("move")
    if edit.party_size and edit.party_size != reservation.party_size:
        kinds.append("party")
    if edit.special_requests is not None:
        kinds.append("note")
    if edit.late_minutes is not None:
        kinds.append("late")
    result, events = _changed(state, outcome, tuple(kinds))
    result.data.update(extra)
    await ctx.deps.persist()
    return result, events


def needs_read_back(edit: ReservationEdit) -> bool:
    """A new date, time, party size or request is read back first; a delay is just noted."""
    return edit.moves or edit.special_requests is not None


def view(reservation: Reservation) -> dict[str, Any]:
    """What a brain may know of a reservation the caller identified."""
    return {
        "reservation_id": reservation.id,
        "name": reservation.name,
        "phone": reservation.phone,
        "date": reservation.date.isoformat(),
        "weekday": reservation.date.strftime("%A"),
        "time": reservation.time.strftime("%H:%M"),
        "party_size": reservation.party_size,
        "special_requests": reservation.special_requests,
        "late_minutes": reservation.late_minutes,
        "status": reservation.status,
        "code": reservation.code,
        "code_spelled": spell_code(reservation.code),
    }


def _changed(
    state: CallState, outcome: ChangeOutcome, kinds: tuple[ReservationChangeKind, ...]
) -> ToolOutcome:
    if not outcome.done:
        result = _refusal(outcome.refused or "refused")
        check = outcome.check
        result.data.update(
            _check_data(check.problems, check.taken, check.alternatives, check.next_days)
        )
        return result, []
    assert outcome.result is not None and outcome.result.reservation is not None
    after = outcome.result.reservation
    if after.id == state.reservation_id and after.status == "booked":
        # the booking this call made, changed: the notepad holds the booking as it now stands
        state.notepad.date, state.notepad.time = after.date, after.time
        state.notepad.party_size = after.party_size
        state.notepad.special_requests = after.special_requests
    state.metadata.booking_changes.append(
        BookingChangeNote(reservation_id=after.id, kinds=list(kinds))
    )
    events: list[SessionEvent] = [
        ReservationChanged(
            reservation_id=after.id,
            kinds=kinds,
            status=after.status,
            date=after.date,
            time=after.time,
            party_size=after.party_size,
        )
    ]
    events += _message_events(outcome.message)
    data = {
        "done": True,
        "reservation": view(after),
        "texted": bool(outcome.message and outcome.message.sent),
    }
    return ToolResult(ok=True, data=data), events


def _message_events(message: MessageResult | None) -> list[SessionEvent]:
    if message is None:
        return []
    return [TextMessageSent(to=message.to, body=message.body, sent=message.sent)]


_REFUSALS = {
    "not_identified": (
        "that booking is not identified as the caller's: use find_reservation with what "
        "the caller says first"
    ),
    "not_booked": "that booking is cancelled or already past; it cannot be changed",
    "problems": "the change breaks a booking rule",
    "taken": "no table is free then",
    "not_checked": (
        "check this change with dry_run true first, read it back, and make it on the caller's yes"
    ),
}


def _refusal(code: str) -> ToolResult:
    return ToolResult(ok=False, error=code, data={"refused": code, "why": _REFUSALS.get(code, "")})


def _check_data(
    problems: tuple[Any, ...],
    taken: bool,
    alternatives: tuple[dt.time, ...],
    next_days: tuple[dt.date, ...],
) -> dict[str, Any]:
    return {
        "problems": [{"field": p.field, "code": p.code, "message": p.message} for p in problems],
        "taken": taken,
        "alternatives": [t.strftime("%H:%M") for t in alternatives],
        "next_days": [d.isoformat() for d in next_days],
    }
