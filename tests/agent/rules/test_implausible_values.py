"""The rules brain asks when a heard value is implausible rather than refusing it."""

from __future__ import annotations

import datetime as dt

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import TurnCompleted
from resvoice.runtime import Runtime


async def test_a_morning_time_at_a_dinner_restaurant_is_asked_as_the_evening_one(
    runtime: Runtime,
) -> None:
    clock = FixedClock.at(dt.datetime(2026, 2, 2, 15, 30), runtime.profile.restaurant.timezone)
    call = runtime.session(clock=clock, brain="rules")
    replies = []
    for line in ["Table for 4 on Thursday", "No, I 630 am.", "yes"]:
        events = [event async for event in call.turn(line)]
        replies += [e.reply for e in events if isinstance(e, TurnCompleted)]
    assert "Did you mean 6:30 PM?" in replies[1]
    assert call.state.notepad.time == dt.time(18, 30)
