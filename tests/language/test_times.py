"""Clock times, am/pm inference, and numbers that are not times."""

import datetime as dt

import pytest

from resvoice.language.times import parse_time

T = dt.time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7pm", T(19, 0)),
        ("7 p.m.", T(19, 0)),
        ("7:30pm", T(19, 30)),
        ("7.30", T(19, 30)),
        ("at 730", T(19, 30)),
        ("at seven thirty", T(19, 30)),
        ("half past six", T(18, 30)),
        ("quarter to eight", T(19, 45)),
        ("ten past seven", T(19, 10)),
        ("twenty to eight", T(19, 40)),
        ("3 minutes to 8", T(19, 57)),  # odd minutes only when "minutes" is said
        ("noon", T(12, 0)),
        ("midday", T(12, 0)),
        ("6 in the evening", T(18, 0)),
        ("afternoon 12", T(12, 0)),
        ("12 in the afternoon", T(12, 0)),
        ("around 8", T(20, 0)),
        ("8 o'clock", T(20, 0)),
        ('1 o"clock in the afternoon', T(13, 0)),
        ("19:00", T(19, 0)),
        ("eleven AM", T(11, 0)),
        ("twelve pm", T(12, 0)),
        ("quarter to 12 in the morning", T(11, 45)),
        ("quarter to 1 in the afternoon", T(12, 45)),
        ("evening 4:45", T(16, 45)),
        ("night 8", T(20, 0)),
        ("8 in the night", T(20, 0)),
        ("7 tonight", T(19, 0)),
        ("tomorrow evening at 7", T(19, 0)),
        ("not 7, 8pm", T(20, 0)),
        ("7ish", T(19, 0)),
        ("for 1 in the evening 6:30", T(18, 30)),
        # the recogniser's comma inside a spoken time, and its "and" for "at" after a day
        ("table for 2 at half, past 6", T(18, 30)),
        ("quarter, to 8 please", T(19, 45)),
        ("the day after tomorrow and 8, it's our anniversary", T(20, 0)),
        ("on Friday and 7:30", T(19, 30)),
        ("the 21st and 9", T(21, 0)),
        ("Actually, can we do 8,30 instead.", T(20, 30)),
        ("a table thursday night, like 8, for five of us", T(20, 0)),
        ("tomorrow evening, around 7", T(19, 0)),
    ],
)
def test_parse_time(text: str, expected: dt.time) -> None:
    found = parse_time(text)
    assert found is not None, text
    assert found.value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11:30", T(11, 30)),
        ("10:45", T(10, 45)),
        ("12:15", T(12, 15)),
        ("5:30", T(17, 30)),
        ("at 8", T(20, 0)),
        ("at 11", T(11, 0)),
    ],
)
def test_without_evening_bias_lunch_hours_stay_morning(text: str, expected: dt.time) -> None:
    found = parse_time(text, evening_bias=False)
    assert found is not None and found.value == expected


def test_evening_bias_reads_bare_hours_as_pm() -> None:
    found = parse_time("at 10:30")
    assert found is not None and found.value == T(22, 30)
    assert not found.explicit


@pytest.mark.parametrize("text", ["seven", "7", "730", "seven thirty", "um, four"])
def test_bare_number_needs_expect_time(text: str) -> None:
    assert parse_time(text) is None
    assert parse_time(text, expect_time=True) is not None


@pytest.mark.parametrize(
    "text",
    [
        "party of seven",
        "for 4 people",
        "table for 2",
        "a table for two please",
        "the 7th",
        "on the seventh",
        "at 71 Saint Peter",
        "at 845 Main Street",
        "4.5 stars",
        "$12.50",
        "in 3 days",
        "we are 6",
        "on Friday and 4 people",
        "tomorrow and 2 of us",
    ],
)
def test_not_times_even_when_a_time_is_expected(text: str) -> None:
    assert parse_time(text, expect_time=True) is None


def test_explicit_flag() -> None:
    found = parse_time("7pm")
    assert found is not None and found.explicit
    found = parse_time("at 7")
    assert found is not None and not found.explicit


@pytest.mark.parametrize("text", ["your rep 9 to 9, 5, 5, 5", "3 after 7", "it's 2 to 4"])
def test_odd_minutes_before_or_after_an_hour_are_no_clock_time(text: str) -> None:
    # people say "ten to nine", "five past"; "9 to 9" is a number's digits or a range
    assert parse_time(text) is None


@pytest.mark.parametrize("text", ["917,550,143", "5,5,5,0,1,4,2", "my number is 415,555,0142"])
def test_digits_joined_by_commas_are_no_clock_time(text: str) -> None:
    """Whisper's "8,30" is half past eight; commas between a number's digits or groups are
    not."""
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("half past midnight", dt.time(0, 30)),
        ("twenty past midnight", dt.time(0, 20)),
        ("quarter to midnight", dt.time(23, 45)),
        ("half past noon", dt.time(12, 30)),
        ("ten to noon", dt.time(11, 50)),
    ],
)
def test_minutes_either_side_of_midnight_or_noon(text: str, value: dt.time) -> None:
    found = parse_time(text)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Table for 2, Saturday, 6:30, Omar Khan.", dt.time(18, 30)),
        ("at 8,30, please", dt.time(20, 30)),
    ],
)
def test_a_clock_time_followed_by_a_comma(text: str, value: dt.time) -> None:
    found = parse_time(text)
    assert found is not None and found.value == value


def test_digits_with_commas_are_no_clock_time() -> None:
    assert parse_time("my number is 5,55,0142") is None
