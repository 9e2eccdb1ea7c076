"""A booking in progress ends on a caller's goodbye, not on a pleasantry that is the whole answer
to the agent's question ("what day?" -> "Have a good day!": often "Saturday" misheard)."""

from __future__ import annotations

import pytest

from resvoice.runtime import Runtime
from tests.agent.test_answer_to_a_name_question import replies


@pytest.mark.parametrize("pleasantry", ["Have a good day!", "You have a nice evening.", "See you"])
async def test_a_pleasantry_alone_mid_booking_asks_again(runtime: Runtime, pleasantry: str) -> None:
    asked, answer = await replies(runtime, "I'd like a table for 4", pleasantry)
    assert "what day" in asked.lower()
    assert "goodbye" not in answer.lower() and "what day" in answer.lower()


@pytest.mark.parametrize(
    "leaving", ["ok thanks, bye", "Never mind, have a good day", "That's all, have a good one"]
)
async def test_a_goodbye_mid_booking_still_ends_it(runtime: Runtime, leaving: str) -> None:
    _, answer = await replies(runtime, "I'd like a table for 4", leaving)
    assert "haven't booked anything" in answer and "Goodbye" in answer


async def test_a_caller_leaving_is_asked_no_question_in_the_same_breath(runtime: Runtime) -> None:
    offered, answer = await replies(
        runtime, "a table for 2 on Saturday please", "Yes, that's it. Thank you."
    )
    assert "which time" in offered.lower()
    assert "Goodbye" in answer and "?" not in answer
