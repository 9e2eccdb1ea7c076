"""A caller who only takes an answer in ("Right.", "Okay.") is asked what else, not greeted
again as if the call had just begun."""

from __future__ import annotations

import pytest

from resvoice.runtime import Runtime
from tests.agent.test_answer_to_a_name_question import replies


@pytest.mark.parametrize(
    "took_in", ["Right.", "Okay.", "Got it.", "Ah, I see.", "Alright, good to know."]
)
async def test_an_answer_taken_in_is_followed_by_what_else(runtime: Runtime, took_in: str) -> None:
    answer, after = await replies(runtime, "What time do you close on Sundays?", took_in)
    assert "10" in answer
    assert "anything else" in after.lower()
    assert "how can i help you today" not in after.lower()


async def test_a_yes_to_the_greeting_is_asked_how_to_help(runtime: Runtime) -> None:
    (after,) = await replies(runtime, "Yes, hello.")
    assert "how can i help" in after.lower()


async def test_a_yes_after_anything_else_gets_what_else(runtime: Runtime) -> None:
    _, _, after = await replies(
        runtime, "What time do you close on Sundays?", "Right.", "Yes, actually."
    )
    assert after == "Sure, what else can I do for you?"


@pytest.mark.parametrize("text", ["Am I talking to a robot?", "Are you a real person?"])
async def test_asked_if_it_is_a_machine_it_says_so_and_offers_a_person(
    runtime: Runtime, text: str
) -> None:
    (answer,) = await replies(runtime, text)
    assert "automated assistant" in answer and "member of our team" in answer


async def test_a_request_for_a_person_still_transfers(runtime: Runtime) -> None:
    (answer,) = await replies(runtime, "Can I talk to a real person please?")
    assert "transferring you" in answer
