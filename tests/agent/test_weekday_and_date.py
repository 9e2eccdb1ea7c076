"""A weekday said beside another day's date: the date as numbered is kept and the caller is
told which day it is, so a slip of either is caught before the read-back."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session


@pytest.mark.parametrize(
    "text",
    [
        "A table for 2 on Friday the 7th at 7pm please",  # 2026-02-07 is a Saturday
        "Could we book Friday, February 7th, two people at 7?",
    ],
)
async def test_the_caller_hears_which_day_the_date_is(runtime: Runtime, text: str) -> None:
    s = session(runtime)
    answer = reply(await say(s, text))
    assert "February 7th is a Saturday, not a Friday" in answer
    assert s.state.notepad.date == dt.date(2026, 2, 7)
    reply(await say(s, "Oh, the Friday then."))
    assert s.state.notepad.date == dt.date(2026, 2, 6)


async def test_a_weekday_that_fits_its_date_gets_no_remark(runtime: Runtime) -> None:
    s = session(runtime)
    answer = reply(await say(s, "A table for 2 on Saturday the 7th at 7pm please"))
    assert "Just so you know" not in answer
    assert s.state.notepad.date == dt.date(2026, 2, 7)
