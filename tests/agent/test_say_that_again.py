"""A caller who asks to hear the agent's words again hears them again, and what the words
asked stays open: a yes after the repeated read-back books."""

from __future__ import annotations

import pytest

from resvoice.agent.brains.rules.asking import asks_to_repeat
from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session


@pytest.mark.parametrize(
    "text",
    ["Sorry, could you repeat that?", "Pardon?", "What was that?", "Sorry, I didn't catch that."],
)
async def test_the_read_back_is_said_again_and_a_yes_books(runtime: Runtime, text: str) -> None:
    s = session(runtime)
    read_back = reply(await say(s, "Table for 2 Friday at 8pm under Zoe Park, 555 010 4321"))
    assert "Shall I book it?" in read_back
    again = reply(await say(s, text))
    assert again == f"Of course. {read_back}"
    assert "all set" in reply(await say(s, "Yes.")).lower()
    assert s.state.reservation_id is not None


@pytest.mark.parametrize(
    "text",
    ["Could you repeat the booking for 4 on Saturday at 7 under Ann Lee, please, thanks", "What"],
)
def test_a_turn_with_more_in_it_is_no_request_to_repeat(text: str) -> None:
    assert not asks_to_repeat(text)
