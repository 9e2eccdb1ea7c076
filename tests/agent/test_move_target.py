"""Which words of a move name the booking and which its new day or time: the first sentence
with both a move verb and a target, past a sentence that only says plans changed."""

from __future__ import annotations

import pytest

from resvoice.agent.brains.rules.manage_words import absolute_party, identifying_part, target_part


@pytest.mark.parametrize(
    ("text", "which", "target"),
    [
        (
            "Hi, plans changed. Can we swap our Friday dinner for Sunday? Same time is fine.",
            "Friday",
            "Sunday",
        ),
        ("Things changed. Could we move our Saturday table to 8?", "Saturday", "8"),
        ("Can we switch our Friday dinner to Sunday instead?", "Friday", "Sunday"),
    ],
)
def test_the_target_follows_the_move_that_names_one(text: str, which: str, target: str) -> None:
    assert which in identifying_part(text, "move") and target not in identifying_part(text, "move")
    assert target in target_part(text) and which not in target_part(text)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("oh and actually could you make it four of us? my brother decided to come", 4),
        ("so we'll be 3", 3),
        ("can you make it for 6 people", 6),
        ("make it 8 o'clock", None),
    ],
)
def test_a_head_count_said_outright(text: str, count: int | None) -> None:
    assert absolute_party(text) == count
