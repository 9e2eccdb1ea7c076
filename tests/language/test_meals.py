"""The meal a caller books for, and a question for the earliest or latest free table."""

from __future__ import annotations

import pytest

from resvoice.language.meals import edge_asked, meal_asked


@pytest.mark.parametrize(
    ("text", "meal"),
    [
        ("a table for two for lunch on Friday", "lunch"),
        ("could we come in at lunchtime tomorrow", "lunch"),
        ("something in the afternoon on Sunday", "lunch"),
        ("Sunday brunch for 4", "brunch"),
        ("tomorrow evening for six", "dinner"),
        ("tonight at 7", "dinner"),
        ("a table Saturday night", "dinner"),
        ("we'd like to have supper with you on the 9th", "dinner"),
        ("what's on the lunch menu", None),
        ("good evening, a table for two please", None),
        ("table for 2 at 7", None),
    ],
)
def test_the_meal_asked(text: str, meal: str | None) -> None:
    assert meal_asked(text) == meal


@pytest.mark.parametrize(
    ("text", "edge"),
    [
        ("what's the latest for lunch?", "latest"),
        ("What's the latest I can book for two on Thursday?", "latest"),
        ("how late can we come in", "latest"),
        ("last table you have on Friday?", "latest"),
        ("as late as possible please", "latest"),
        ("what's the earliest you have for dinner that day", "earliest"),
        ("as early as possible please", "earliest"),
        ("first available table on friday", "earliest"),
        ("how early could we get in on Sunday", "earliest"),
        ("the last one please", None),  # a choice among times offered, not a question
        ("the earliest one please", None),
        ("we'll be a bit late", None),
        ("last time we came it was lovely", None),
    ],
)
def test_a_question_for_the_edge_of_the_day(text: str, edge: str | None) -> None:
    assert edge_asked(text) == edge
