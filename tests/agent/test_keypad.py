"""Keypad entry: keys gathered into entries; keyed numbers go through the spoken path."""

from __future__ import annotations

import datetime as dt

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import NotepadUpdated, SessionEvent, TurnCompleted
from resvoice.agent.keypad import Keypad
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


def test_pound_ends_an_entry_and_star_starts_again() -> None:
    pad = Keypad()
    assert pad.press("415") == []
    assert pad.press("5") == [] and pad.keyed == "4155"
    assert pad.press("*") == [] and pad.keyed == ""
    assert pad.press("4155550100#") == ["4155550100"]
    assert pad.press("#") == []  # an empty entry is nothing
    assert pad.press("12*3#") == ["3"]


def test_zero_first_asks_for_a_person_and_zero_later_is_a_digit() -> None:
    pad = Keypad()
    assert pad.press("0") == ["0"]
    assert pad.press("2025550100#") == ["2025550100"]


async def call(runtime: Runtime) -> AgentSession:
    agent = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    _ = [e async for e in agent.start()]
    return agent


async def events(stream: object) -> list[SessionEvent]:
    return [e async for e in stream]  # type: ignore[attr-defined]


async def asked_for_phone(agent: AgentSession) -> str:
    await events(agent.turn("A table for 2 on Saturday at 7pm"))
    done = await events(agent.turn("Ada Lovelace"))
    return next(e for e in done if isinstance(e, TurnCompleted)).reply


async def test_a_keyed_phone_fills_the_phone_like_a_spoken_one(runtime: Runtime) -> None:
    agent = await call(runtime)
    reply = await asked_for_phone(agent)
    assert "keypad" in reply and "pound" in reply  # the agent offers the keypad
    assert await events(agent.dtmf("41555")) == []  # still keying
    assert await events(agent.dtmf("*")) == []  # started again
    keyed = await events(agent.dtmf("4155550100#"))
    updated = [e for e in keyed if isinstance(e, NotepadUpdated)]
    assert updated and updated[-1].notepad["phone"] == "+14155550100"
    done_keyed = next(e for e in keyed if isinstance(e, TurnCompleted))
    assert done_keyed.user == "[dtmf 4155550100]"
    assert done_keyed.reply.startswith("Let me read that back")  # the same read-back

    spoken = await call(runtime)
    await asked_for_phone(spoken)
    said = await events(spoken.turn("415 555 0100"))
    assert next(e for e in said if isinstance(e, TurnCompleted)).reply == done_keyed.reply


async def test_a_keyed_party_size_when_the_agent_asked_for_one(runtime: Runtime) -> None:
    agent = await call(runtime)
    await events(agent.turn("I'd like to book a table on Saturday at 7pm"))
    keyed = await events(agent.dtmf("4#"))
    assert agent.state.notepad.party_size == 4
    assert any(isinstance(e, TurnCompleted) for e in keyed)


async def test_a_bad_keyed_number_gets_the_spoken_problem_line(runtime: Runtime) -> None:
    agent = await call(runtime)
    await asked_for_phone(agent)
    keyed = await events(agent.dtmf("12#"))
    assert agent.state.notepad.phone is None
    assert next(e for e in keyed if isinstance(e, TurnCompleted)).reply
