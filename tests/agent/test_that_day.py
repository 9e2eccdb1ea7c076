"""A day asked about is the day in view: "at 7 that evening" books it; a day said outright, or
"not that day", does not take it."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session

SUNDAY = dt.date(2026, 2, 8)  # the Sunday after the tests' Monday


@pytest.mark.parametrize(
    "text",
    ["Could we come at 7 that evening, two of us?", "Two people at 7 the same day then."],
)
async def test_that_day_is_the_day_asked_about(runtime: Runtime, text: str) -> None:
    s = session(runtime)
    reply(await say(s, "Are you open on Sunday?"))
    reply(await say(s, text))
    assert s.state.notepad.date == SUNDAY
    assert s.state.notepad.party_size == 2


async def test_a_day_said_outright_wins_over_the_one_asked_about(runtime: Runtime) -> None:
    s = session(runtime)
    reply(await say(s, "Are you open on Sunday?"))
    reply(await say(s, "Not that day then, two of us on Saturday at 7."))
    assert s.state.notepad.date == dt.date(2026, 2, 7)
