"""An answer to "May I have a name?" that the recogniser garbled into everyday words ("Bring a
ramen.") is a name not heard, asked again, never a policy question answered."""

from __future__ import annotations

import pytest

from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session


async def replies(runtime: Runtime, *texts: str) -> list[str]:
    s = session(runtime)
    return [reply(await say(s, text)) for text in texts]


@pytest.mark.parametrize(
    ("garbled", "not_said"),
    [
        ("Bring a ramen.", "corkage"),
        ("Park a tell.", "parking"),
        ("Dog in a field.", "animals"),
    ],
)
async def test_a_garbled_name_is_asked_again_not_answered(
    runtime: Runtime, garbled: str, not_said: str
) -> None:
    asked, answer = await replies(runtime, "A table for two on Friday at 7 pm please", garbled)
    assert "name" in asked.lower()
    assert not_said not in answer.lower() and "name" in answer.lower()


async def test_a_question_instead_of_a_name_is_still_answered(runtime: Runtime) -> None:
    _, answer = await replies(
        runtime, "A table for two on Friday at 7 pm please", "Can I bring my own wine?"
    )
    assert "corkage" in answer.lower()


@pytest.mark.parametrize(
    "text",
    [
        "hi it's Tamsin, we've got a table with you tonight",
        "hi it's Tamsin, we've got a table with you tonight - we're gonna be late, sorry!",
        "hi it's Tamsin, we've got a table with you tonight - the parking is free right",
        "Sam here, tonight",
    ],
)
async def test_the_agent_always_says_something(runtime: Runtime, text: str) -> None:
    (answer,) = await replies(runtime, text)
    assert answer.strip()
