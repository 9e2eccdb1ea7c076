"""Whisper writes an hour as an ordinal ("8th is fine.", "for 4 at 6th."): asked what time,
it is the hour, and the day already chosen stays; "the 8th" is still a day."""

from __future__ import annotations

import datetime as dt

from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session

FRIDAY = dt.date(2026, 2, 6)


async def test_asked_what_time_an_ordinal_is_the_hour(runtime: Runtime) -> None:
    s = session(runtime)
    asked = reply(await say(s, "A table for two on Friday please"))
    assert "time" in asked.lower()
    reply(await say(s, "8th is fine."))
    assert (s.state.notepad.date, s.state.notepad.time) == (FRIDAY, dt.time(20, 0))


async def test_asked_what_time_the_8th_is_still_a_day(runtime: Runtime) -> None:
    s = session(runtime)
    reply(await say(s, "A table for two on Friday please"))
    reply(await say(s, "Oh, the 8th actually, at 7."))
    assert (s.state.notepad.date, s.state.notepad.time) == (dt.date(2026, 2, 8), dt.time(19))
