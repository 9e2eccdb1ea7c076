"""Withheld and odd caller IDs are never offered as a callback number, and a fragment of a
number is never booked: only a whole, dialable number is."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import TurnCompleted
from resvoice.agent.session import AgentSession
from resvoice.language.phone_validity import valid_e164
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)
ODD = ["anonymous", "Restricted", "+266696687", "+" + "1" * 200, "+1415555", "", "Unknown"]


def session(runtime: Runtime, caller_id: str | None) -> AgentSession:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    return runtime.session(clock=clock, caller_id=caller_id)


async def reply(s: AgentSession, text: str) -> str:
    done = [e async for e in s.turn(text) if isinstance(e, TurnCompleted)]
    return done[0].reply


@pytest.mark.parametrize("caller_id", ODD)
def test_odd_caller_ids_are_no_number(caller_id: str) -> None:
    assert valid_e164(caller_id, "US") is None


def test_a_whole_number_is_kept_in_e164() -> None:
    assert valid_e164("+1 415 555 0123", "US") == "+14155550123"
    assert valid_e164("(212) 555-0147", "US") == "+12125550147"


@pytest.mark.parametrize("caller_id", ODD)
async def test_a_withheld_caller_id_is_never_offered(runtime: Runtime, caller_id: str) -> None:
    s = session(runtime, caller_id)
    assert s.state.caller_id is None
    answer = await reply(s, "A table for 2 on Sunday at 6pm under Alice Wong")
    assert "ending in" not in answer and "calling from" not in answer
    assert "number" in answer.lower()  # asked for one instead


@pytest.mark.parametrize("spoken", ["141 5555", "my number is 1415555"])
async def test_a_fragment_of_a_number_is_not_booked_as_the_phone(
    runtime: Runtime, spoken: str
) -> None:
    s = session(runtime, None)
    await reply(s, "A table for 2 on Sunday at 6pm under Alice Wong")
    await reply(s, spoken)
    assert s.state.notepad.phone is None
