"""A caller giving booking details is answered about the restaurant only when they ask."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.brains.rules.asking import asks_outright
from resvoice.agent.clock import FixedClock
from resvoice.agent.events import SessionEvent, TurnCompleted
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


@pytest.mark.parametrize(
    "text",
    [
        "A table for 4 on Friday at 7, and do you have high chairs?",
        "Table for two Saturday at 8. Is there parking nearby?",
        "me and my wife and our two kids on Sunday, can we bring a stroller?",
        "Four of us at 7 on Friday, I was wondering if you have a kids menu",
        "Oh, and what's the corkage?",
    ],
)
def test_a_question_beside_the_booking_is_asked(text: str) -> None:
    assert asks_outright(text)


@pytest.mark.parametrize(
    "text",
    [
        "that'd be me and my wife and our two kids, this coming Thursday, maybe around six?",
        "Saturday at seven?",
        "Me, my husband and the kids, Sunday around 6?",
        "It's my daughter's birthday, a table for four on Friday",
    ],
)
def test_tentative_values_ask_nothing(text: str) -> None:
    assert not asks_outright(text)


async def first_reply(runtime: Runtime, text: str) -> str:
    s = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    events: list[SessionEvent] = [event async for event in s.turn(text)]
    return next(e.reply for e in events if isinstance(e, TurnCompleted))


async def test_kids_in_the_party_are_not_a_kids_menu_question(runtime: Runtime) -> None:
    answer = await first_reply(
        runtime, "It'll be me and my wife and our two kids, this Thursday, maybe around six?"
    )
    assert "table for 4" in answer
    assert "buttered pasta" not in answer and not answer.startswith("Yes")


async def test_a_question_asked_beside_the_booking_is_answered(runtime: Runtime) -> None:
    answer = await first_reply(
        runtime, "A table for 4 on Thursday at six, and do you have a kids menu?"
    )
    assert "table for 4" in answer and "buttered pasta" in answer
