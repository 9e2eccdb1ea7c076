"""Times and days said relative to one already in view: "an hour later", "the Tuesday after"."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.language.shifts import day_relative_to, day_shift, lone_weekday_is_today, time_shift

MONDAY = dt.date(2026, 3, 9)
TUESDAY = dt.date(2026, 3, 3)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("could we push our reservation back by an hour?", 60),
        ("can we make it an hour later", 60),
        ("move it back 30 minutes please", 30),
        ("we'd like to come thirty minutes later", 30),
        ("bring our table forward by half an hour", -30),
        ("can the booking be moved up by 30 minutes?", -30),
        ("an hour earlier would be better", -60),
        ("I'd like to delay it by an hour", 60),
        ("push it back an hour and a half", 90),
        ("could we do ninety minutes later", 90),
        ("bump it back by sixty minutes", 60),
        ("a quarter of an hour later", 15),
        ("come in 45 mins earlier", -45),
        # no amount, or no one direction: no shift to guess
        ("can we come a bit later", None),
        ("we'll be twenty minutes late", None),
        ("we're running about 20 minutes behind", None),
        ("twenty minutes after seven", None),
        ("an hour, earlier or later, whichever is free", None),
        ("something came up, can we move it to 8?", None),
    ],
)
def test_time_shift(text: str, minutes: int | None) -> None:
    assert time_shift(text) == minutes


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("could we push it back a day", 1),
        ("a week later would suit us", 7),
        ("two days earlier please", -2),
        ("can we do it in a week", None),
        ("for two days in a row", None),
    ],
)
def test_day_shift(text: str, days: int | None) -> None:
    assert day_shift(text) == days


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("what about the day after then?", "2026-03-10"),
        ("then the following day, same time", "2026-03-10"),
        ("the next day is fine", "2026-03-10"),
        ("okay, the Tuesday after that then", "2026-03-10"),
        ("Tuesday after that, seven o'clock", "2026-03-10"),
        ("could we do the following Tuesday at 7?", "2026-03-10"),
        ("what about that Wednesday instead?", "2026-03-11"),
        ("the Thursday of that week", "2026-03-12"),
        ("a day later then please", "2026-03-10"),
        ("the week after", "2026-03-16"),
        ("the day before", "2026-03-08"),
        ("the Saturday before", "2026-03-07"),
        ("the day after tomorrow", None),
        ("how about Tuesday the 10th", None),
        ("Tuesday at 7", None),
    ],
)
def test_day_relative_to_the_day_in_view(text: str, day: str | None) -> None:
    found = day_relative_to(text, MONDAY)
    assert (found.isoformat() if found else None) == day


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("a table on Tuesday at 8", True),
        ("how about Tuesday then?", True),
        ("tuesdays are good", True),
        ("this Tuesday", False),
        ("next Tuesday", False),
        ("Tuesday next week", False),
        ("Tuesday the 10th", False),
        ("tonight, Tuesday", False),
        ("the Tuesday after", False),
        ("Wednesday at 8", False),
        ("Tuesday or Wednesday", False),
    ],
)
def test_todays_weekday_said_alone(text: str, alone: bool) -> None:
    assert lone_weekday_is_today(text, TUESDAY) is alone


@pytest.mark.parametrize(
    "text",
    [
        "can we push our friday booking to the same time next week?",
        "same day the following week please",
        "could we do the same day and time next week",
    ],
)
def test_the_same_time_next_week_is_a_week_on(text: str) -> None:
    friday = dt.date(2026, 3, 13)
    assert day_relative_to(text, friday) == dt.date(2026, 3, 20)
