"""The booking tools: capture what the caller said, check a table, book it."""

from __future__ import annotations

import datetime as dt
import time as clock
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from resvoice.agent.events import (
    AvailabilityChecked,
    BookingFailed,
    NotepadUpdated,
    ReservationBooked,
    SessionEvent,
    TextMessageSent,
    ToolResult,
)
from resvoice.agent.notepad import NotepadUpdate, apply_update
from resvoice.agent.tools.declare import ToolContext, ToolOutcome, tool
from resvoice.agent.tools.handoff import EscalateArgs, escalate_to_human
from resvoice.call_metadata import keep_recent
from resvoice.language.codes import spell_code
from resvoice.language.meals import Bound, Edge, Meal
from resvoice.restaurant.hours import OpeningHours
from resvoice.storage.records import ReservationRequest


class CheckAvailabilityArgs(BaseModel):
    """Check whether a table is free; omitted values come from the notepad."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date | None = None
    time: dt.time | None = None
    party_size: int | None = Field(default=None, ge=1)
    meal: Meal | None = Field(
        default=None, description="The meal asked for when no time is given ('for lunch')."
    )
    edge: Edge | None = Field(
        default=None, description="'earliest' or 'latest' when the caller asks for either."
    )
    before: dt.time | None = Field(
        default=None, description="Only times before this, HH:MM ('anything earlier than 6?')."
    )
    after: dt.time | None = Field(
        default=None, description="Only times after this, HH:MM ('something after 8?')."
    )


class BookArgs(BaseModel):
    """Book the reservation on the notepad, after the caller confirmed the read-back."""

    model_config = ConfigDict(extra="forbid")
    send_text: bool = Field(default=True, description="False when the caller wants no text.")


class AnotherBookingArgs(BaseModel):
    """Start a further booking in this call, after one was made."""

    model_config = ConfigDict(extra="forbid")


@tool(
    'Start another booking in this call after one was made ("and a table for Saturday '
    'too"): the notepad keeps the name, phone and email and clears the rest; then capture '
    "the new details. Never for a change to the booking made: use change_reservation."
)
async def start_another_booking(ctx: ToolContext, args: AnotherBookingArgs) -> ToolOutcome:
    state = ctx.state
    if state.reservation_id is None:
        return ToolResult(ok=False, error="no booking made in this call yet"), []
    state.earlier_reservation_ids.append(state.reservation_id)
    state.reservation_id = None
    notepad = state.notepad  # the same object the brain reads: cleared in place
    for name in ("party_size", "date", "time", "special_requests"):
        setattr(notepad, name, None)
    await ctx.deps.persist()
    return ToolResult(ok=True, data={"notepad": state.notepad.filled()}), []


@tool("Record reservation details the caller just gave (partial).")
async def capture_reservation_data(ctx: ToolContext, args: NotepadUpdate) -> ToolOutcome:
    notepad = ctx.state.notepad
    outcome = apply_update(notepad, args, ctx.deps.rules())
    if outcome.changed:
        await ctx.deps.persist()
    events: list[SessionEvent] = [
        NotepadUpdated(
            notepad=notepad.filled(),
            changed=tuple(outcome.changed),
            problems=tuple(outcome.problems),
            missing=tuple(notepad.missing_fields()),
        )
    ]
    data: dict[str, Any] = {
        "changed": list(outcome.changed),
        "problems": [
            {"field": p.field, "code": p.code, "message": p.message} for p in outcome.problems
        ],
        "notepad": notepad.filled(),
        "missing": notepad.missing_fields(),
    }
    too_large = outcome.problem("party_size")
    if too_large is not None and too_large.code == "party_too_large":
        result, escalation_events = await escalate_to_human.handler(
            ctx, EscalateArgs(reason="party_size", detail=f"party of {too_large.value}")
        )
        data["escalation"] = result.data
        events.extend(escalation_events)
    return ToolResult(ok=not outcome.problems, data=data), events


@tool("Check if a table is free; returns nearby free times when not.")
async def check_availability(ctx: ToolContext, args: CheckAvailabilityArgs) -> ToolOutcome:
    notepad = ctx.state.notepad
    day = args.date or notepad.date
    party = args.party_size or notepad.party_size
    when = args.time or notepad.time
    if day is None or party is None:
        missing = [n for n, v in (("date", day), ("party_size", party)) if v is None]
        return ToolResult(ok=False, error=f"need {' and '.join(missing)} first"), []
    started = clock.perf_counter()
    bound: tuple[Bound, dt.time] | None = None
    if args.before is not None:
        bound = ("before", args.before)
    elif args.after is not None:
        bound = ("after", args.after)
    answer = await ctx.deps.availability.check(
        day, when, party, meal=args.meal, edge=args.edge, bound=bound
    )
    latency = (clock.perf_counter() - started) * 1000
    event = AvailabilityChecked(
        date=day,
        time=when,
        party_size=party,
        available=answer.available,
        alternatives=answer.alternatives,
        latency_ms=latency,
    )
    keep_recent(ctx.state.metadata.sql_latency_ms, round(latency, 3))
    return (
        ToolResult(
            ok=True,
            data={
                "available": answer.available,
                "date": day.isoformat(),
                "time": when.strftime("%H:%M") if when else None,
                "party_size": party,
                "alternatives": [t.strftime("%H:%M") for t in answer.alternatives],
                "next_days": [d.isoformat() for d in answer.next_days],
                "meal_served": answer.meal_served,
            },
        ),
        [event],
    )


@tool("Book the notepad's reservation once the caller confirmed it.")
async def book_reservation(ctx: ToolContext, args: BookArgs) -> ToolOutcome:
    state = ctx.state
    notepad = state.notepad
    if state.reservation_id is not None:
        return ToolResult(
            ok=True, data={"booked": True, "reservation_id": state.reservation_id}
        ), []
    missing = notepad.missing_fields()
    if missing:
        return ToolResult(ok=False, error=f"missing {', '.join(missing)}"), []
    assert notepad.date and notepad.time and notepad.party_size and notepad.name
    assert notepad.phone
    rules = ctx.deps.rules()
    # a sitting past midnight belongs to the day its service began, on the next calendar day
    starts = OpeningHours(rules.profile).starts_at(notepad.date, notepad.time)
    result = await ctx.deps.storage.book(
        ReservationRequest(
            conversation_id=state.conversation_id,
            name=notepad.name,
            phone=notepad.phone,
            party_size=notepad.party_size,
            date=starts.date(),
            time=starts.time(),
            sitting_minutes=rules.profile.booking.sitting_minutes,
            email=notepad.email,
            special_requests=notepad.special_requests,
        )
    )
    if result.reservation is None:
        answer = await ctx.deps.availability.check(notepad.date, notepad.time, notepad.party_size)
        return (
            ToolResult(
                ok=False,
                error="taken",
                data={
                    "booked": False,
                    "alternatives": [t.strftime("%H:%M") for t in answer.alternatives],
                },
            ),
            [BookingFailed(reason="taken")],
        )
    reservation = result.reservation
    state.reservation_id = reservation.id
    ctx.deps.desk.adopt(reservation.id)  # made in this call: the caller's to change
    await ctx.deps.persist()
    texted: list[SessionEvent] = []
    state.metadata.texts_wanted = state.metadata.texts_wanted and args.send_text
    if state.metadata.texts_wanted:
        message = await ctx.deps.desk.text(reservation, "booked")
        texted.append(TextMessageSent(to=message.to, body=message.body, sent=message.sent))
    return (
        ToolResult(
            ok=True,
            data={
                "seats": reservation.table.seats,  # one seat: the agent names the counter
                "area": reservation.table.area,
                "booked": True,
                "reservation_id": reservation.id,
                "table": reservation.table.name,
                "code": reservation.code,
                "code_spelled": spell_code(reservation.code),
            },
        ),
        [
            ReservationBooked(
                reservation_id=reservation.id,
                table=reservation.table.name,
                date=reservation.date,
                time=reservation.time,
                party_size=reservation.party_size,
                name=reservation.name,
            ),
            *texted,
        ],
    )
