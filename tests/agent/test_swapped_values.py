"""A detail changed by naming the old value beside the new ("eight instead of seven"): the old
value on the booking says whether the hour or the head count changes."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import SessionEvent, TurnCompleted
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


def session(runtime: Runtime) -> AgentSession:
    return runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))


async def say(s: AgentSession, text: str) -> str:
    events: list[SessionEvent] = [event async for event in s.turn(text)]
    return next(e.reply for e in events if isinstance(e, TurnCompleted))


@pytest.mark.parametrize(
    ("change", "time"),
    [
        ("Oh wait, could we do eight instead of seven?", dt.time(20, 0)),
        ("Can we make it 8:30 instead of 7?", dt.time(20, 30)),
        ("Sorry, half eight, not seven", dt.time(20, 30)),
        ("six rather than seven would be better", dt.time(18, 0)),
    ],
)
async def test_a_new_hour_in_place_of_the_booked_one(
    runtime: Runtime, change: str, time: dt.time
) -> None:
    s = session(runtime)
    await say(s, "A table for 3 on Saturday at 7pm please")
    await say(s, "Jenna Morales")
    answer = await say(s, change)
    assert s.state.notepad.time == time
    assert s.state.notepad.party_size == 3
    assert "events team" not in answer  # a change, not a question about big groups


@pytest.mark.parametrize(
    ("change", "size"),
    [("could we make it 4 instead of 3?", 4), ("five rather than three, sorry", 5)],
)
async def test_a_new_count_in_place_of_the_booked_one(
    runtime: Runtime, change: str, size: int
) -> None:
    s = session(runtime)
    await say(s, "A table for 3 on Saturday at 7pm please")
    await say(s, change)
    assert s.state.notepad.party_size == size
    assert s.state.notepad.time == dt.time(19, 0)


async def test_an_old_value_matching_neither_changes_nothing(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "A table for 3 on Saturday at 7pm please")
    await say(s, "could we do 9 instead of 5?")
    assert (s.state.notepad.party_size, s.state.notepad.time) == (3, dt.time(19, 0))
