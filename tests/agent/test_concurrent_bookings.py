"""Fifty callers say "yes" to the same eight-top at the same moment, on both backends.

Exactly one gets the table; every other call hears that it was taken, with other times offered,
and no reservation beyond the winner's exists. No timing is asserted: `asyncio.gather` starts
all fifty confirmations together and the database decides.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import BookingFailed, ReservationBooked, SessionEvent, TurnCompleted
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime

CALLERS = 50
MONDAY = dt.datetime(2026, 2, 2, 15, 30)
SATURDAY = dt.date(2026, 2, 7)


async def _say(session: AgentSession, text: str) -> list[SessionEvent]:
    return [event async for event in session.turn(text)]


async def test_fifty_callers_confirm_the_only_eight_top_at_once(
    any_runtime: Runtime, backend: str
) -> None:
    runtime = any_runtime
    assert runtime.storage.backend == backend
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    sessions = [runtime.session(conversation_id=f"race-{n}", clock=clock) for n in range(CALLERS)]
    for n, session in enumerate(sessions):
        events = await _say(
            session, f"Table for 8 on Saturday at 7pm under Caller Number{n}, 555 010 {1000 + n}"
        )
        assert any(isinstance(e, TurnCompleted) for e in events)

    outcomes = await asyncio.gather(*(_say(session, "yes please") for session in sessions))

    booked = [e for events in outcomes for e in events if isinstance(e, ReservationBooked)]
    failed = [events for events in outcomes if any(isinstance(e, BookingFailed) for e in events)]
    assert len(booked) == 1 and booked[0].table == "T11"
    assert len(failed) == CALLERS - 1
    for events in failed:
        reply = next(e.reply for e in events if isinstance(e, TurnCompleted))
        assert "taken" in reply and "PM" in reply  # says so and offers other times
    stored = await runtime.storage.reservations_on(SATURDAY)
    assert [(r.table.name, r.time) for r in stored] == [("T11", dt.time(19, 0))]
