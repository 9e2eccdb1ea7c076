"""The meal a caller books for, and a question for the earliest or latest free table."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.language.meals import edge_asked, meal_asked, time_bound


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


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Do you have anything earlier than 6 on Friday?", ("before", dt.time(18))),
        ("anything before 6:30", ("before", dt.time(18, 30))),
        ("have you got something after 8 on Saturday", ("after", dt.time(20))),
        ("later than 8:30 please", ("after", dt.time(20, 30))),
    ],
)
def test_a_time_the_table_comes_before_or_after(text: str, bound: tuple[str, dt.time]) -> None:
    assert time_bound(text) == bound


@pytest.mark.parametrize(
    "text", ["the day after tomorrow", "after 2 people", "after that, at 7", "before we come"]
)
def test_no_time_bound_where_no_clock_time_follows(text: str) -> None:
    assert time_bound(text) is None
