"""A party that pays a deposit hears so at the read-back, before it agrees to the booking."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import SessionEvent, TurnCompleted
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


async def replies(runtime: Runtime, *texts: str) -> list[str]:
    s = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    out: list[str] = []
    for text in texts:
        events: list[SessionEvent] = [event async for event in s.turn(text)]
        out.append(next(e.reply for e in events if isinstance(e, TurnCompleted)))
    return out


@pytest.mark.parametrize(
    "opening",
    [
        "A table for seven on Saturday at 8:30",
        "We're six people, Sunday at 5:30",
        "Party of 8 on Friday at seven",
    ],
)
async def test_six_or_more_hear_the_deposit_before_agreeing(runtime: Runtime, opening: str) -> None:
    read_back, done = (await replies(runtime, opening, "Ming Siew", "646 555 0199", "yes"))[2:]
    assert "Shall I book it?" in read_back and "deposit" in read_back
    assert read_back.index("deposit") < read_back.index("Shall I book it?")
    assert "You're all set" in done


async def test_a_smaller_party_hears_no_deposit(runtime: Runtime) -> None:
    read_back = (
        await replies(runtime, "A table for five on Saturday at 8", "Ming Siew", "646 555 0199")
    )[2]
    assert "Shall I book it?" in read_back and "deposit" not in read_back
