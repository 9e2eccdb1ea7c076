"""A table asked for relative to now."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.language.from_now import from_now


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("do you have a table for two right now?", 0),
        ("can we come now?", 0),
        ("as soon as possible please", 0),
        ("we're walking in now", 0),
        ("in 20 minutes then", 20),
        ("in twenty minutes", 20),
        ("in about half an hour", 30),
        ("in a quarter of an hour", 15),
        ("in an hour", 60),
        ("in an hour and a half", 90),
        ("in two hours", 120),
    ],
)
def test_how_long_from_now(text: str, minutes: int) -> None:
    assert from_now(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["table for 2 at 7", "in 3 days", "I know what I want now, a table for two"]
)
def test_no_time_from_now(text: str) -> None:
    assert from_now(text) is None


@pytest.mark.parametrize("text", ["Yes, that's right now.", "All right now, go ahead."])
def test_agreement_with_right_now_in_it_asks_for_no_table_now(text: str) -> None:
    assert from_now(text) is None
