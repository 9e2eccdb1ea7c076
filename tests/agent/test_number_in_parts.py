"""A phone number given in parts over two turns is joined; a part alone is heard back with
"go on", and a whole number said at once, or digits when no number was asked, never wait."""

from __future__ import annotations

import pytest

from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session

ASKED = "Table for two on Friday at 7:30pm, the name is Aisha Rahman"


@pytest.mark.parametrize(
    ("first", "rest"),
    [
        ("It's 646...", "555 0142."),
        ("six four six", "five five five, oh one four two"),
        ("646 555,", "0142"),
    ],
)
async def test_a_number_in_two_parts_is_joined(runtime: Runtime, first: str, rest: str) -> None:
    s = session(runtime)  # no caller ID: the agent asks for a number
    assert "number" in reply(await say(s, ASKED)).lower()
    go_on = reply(await say(s, first))
    assert go_on.startswith("Go on:")
    assert s.state.notepad.phone is None
    reply(await say(s, rest))
    assert s.state.notepad.phone == "+16465550142"


async def test_a_whole_number_is_taken_at_once(runtime: Runtime) -> None:
    s = session(runtime)
    reply(await say(s, ASKED))
    answer = reply(await say(s, "646 555 0142"))
    assert "Go on" not in answer
    assert s.state.notepad.phone == "+16465550142"


async def test_digits_nobody_asked_for_do_not_wait(runtime: Runtime) -> None:
    s = session(runtime)
    answer = reply(await say(s, "Do you have a table for 4 at 830?"))
    assert "Go on" not in answer
