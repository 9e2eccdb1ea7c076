"""Two questions in one breath get two answers, each from what the search finds for it."""

from __future__ import annotations

import pytest

from resvoice.agent.brains.rules.asking import later_questions
from resvoice.runtime import Runtime
from tests.agent.test_answer_to_a_name_question import replies


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("do you have vegetarian mains, and is there parking?", ["vegetarian", "parking"]),
        ("What time do you close on Friday? And can I bring my dog?", ["10", "dog"]),
        ("is there a dress code, and do you do takeaway?", ["dress", "takeout"]),
    ],
)
async def test_each_question_is_answered(runtime: Runtime, text: str, words: list[str]) -> None:
    (answer,) = await replies(runtime, text)
    assert all(word in answer.lower() for word in words), answer


def test_the_questions_after_the_first_are_found_clause_by_clause() -> None:
    assert later_questions("do you have vegetarian mains, and is there parking?") == [
        "is there parking"
    ]
    assert later_questions("A table for 2 on Friday please") == []
    assert later_questions("Is the burrata vegetarian?") == []
