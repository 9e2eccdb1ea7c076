"""An answer to "May I have a name?" that the recogniser garbled into everyday words ("Bring a
ramen.") is a name not heard, asked again, never a policy question answered."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import SessionEvent, TurnCompleted
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


async def replies(runtime: Runtime, *texts: str) -> list[str]:
    s = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    said: list[str] = []
    for text in texts:
        events: list[SessionEvent] = [event async for event in s.turn(text)]
        said.append(next(e.reply for e in events if isinstance(e, TurnCompleted)))
    return said


@pytest.mark.parametrize(
    ("garbled", "not_said"),
    [
        ("Bring a ramen.", "corkage"),
        ("Park a tell.", "parking"),
        ("Dog in a field.", "animals"),
    ],
)
async def test_a_garbled_name_is_asked_again_not_answered(
    runtime: Runtime, garbled: str, not_said: str
) -> None:
    asked, answer = await replies(runtime, "A table for two on Friday at 7 pm please", garbled)
    assert "name" in asked.lower()
    assert not_said not in answer.lower() and "name" in answer.lower()


async def test_a_question_instead_of_a_name_is_still_answered(runtime: Runtime) -> None:
    _, answer = await replies(
        runtime, "A table for two on Friday at 7 pm please", "Can I bring my own wine?"
    )
    assert "corkage" in answer.lower()
