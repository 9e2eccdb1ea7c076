"""Property tests: what we format, we parse back; counts never become times."""

import calendar
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from resvoice.language.dates import parse_date
from resvoice.language.numbers import parse_number
from resvoice.language.party import parse_party_size
from resvoice.language.phones import extract_phone
from resvoice.language.slots import extract_slots
from resvoice.language.times import parse_time

_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_UNITS = _DIGIT_WORDS[1:]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TODAY = dt.date(2019, 3, 1)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _spoken(n: int) -> str:
    if n < 10:
        return _DIGIT_WORDS[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, unit = divmod(n, 10)
    return _TENS[tens - 2] + (f" {_UNITS[unit - 1]}" if unit else "")


# up to a year ahead, less the 30 days before today (a month and day just gone has passed)
@given(st.dates(min_value=dt.date(2019, 3, 1), max_value=dt.date(2020, 1, 29)))
def test_month_day_parses_back(day: dt.date) -> None:
    text = f"{calendar.month_name[day.month]} {_ordinal(day.day)}"
    found = parse_date(text, TODAY)
    assert found is not None and found.value == day


@given(st.dates(min_value=dt.date(2019, 3, 1), max_value=dt.date(2030, 12, 31)))
def test_iso_and_month_day_year_parse_back(day: dt.date) -> None:
    found = parse_date(f"how about {day.isoformat()}?", TODAY)
    assert found is not None and found.value == day
    text = f"{calendar.month_abbr[day.month]}. {day.day}, {day.year}"
    found = parse_date(text, TODAY)
    assert found is not None and found.value == day


@given(st.integers(1, 12), st.integers(1, 31))
def test_impossible_days_are_errors_never_other_dates(month: int, day: int) -> None:
    found = parse_date(f"{calendar.month_name[month]} {_ordinal(day)}, 2023", TODAY)
    assert found is not None
    if day <= calendar.monthrange(2023, month)[1]:
        assert found.value == dt.date(2023, month, day)
    else:
        assert found.value is None and found.error


@given(st.integers(0, 23), st.integers(0, 59))
def test_twelve_hour_clock_parses_back(hour: int, minute: int) -> None:
    h12 = hour % 12 or 12
    text = f"{h12}:{minute:02d}{'pm' if hour >= 12 else 'am'}"
    found = parse_time(text)
    assert found is not None and found.value == dt.time(hour, minute)


@given(st.integers(0, 23), st.integers(0, 59))
def test_twenty_four_hour_clock_parses_back(hour: int, minute: int) -> None:
    if 1 <= hour <= 12:
        return  # ambiguous without am/pm; covered by the bias tests
    found = parse_time(f"at {hour:02d}:{minute:02d}")
    assert found is not None and found.value == dt.time(hour, minute)


@given(st.integers(0, 99))
def test_spoken_numbers_parse(n: int) -> None:
    assert parse_number(_spoken(n)) == n


@given(st.lists(st.integers(0, 9), min_size=10, max_size=10))
def test_spoken_digits_give_back_the_digits(digits: list[int]) -> None:
    text = "my number is " + " ".join(_DIGIT_WORDS[d] for d in digits)
    found = extract_phone(text)
    assert found is not None and found.digits == "".join(map(str, digits))


@given(st.integers(1, 20), st.sampled_from(["people", "persons", "guests", "of us"]))
def test_party_sizes_are_never_times(n: int, noun: str) -> None:
    text = f"for {_spoken(n)} {noun}"
    party = parse_party_size(text)
    assert party is not None and party.value == n
    assert parse_time(text, expect_time=True) is None
    ex = extract_slots(text, today=TODAY, expecting=frozenset({"time"}))
    assert ex.party_size == n and ex.time is None and ex.phone is None


@given(st.integers(1, 28))
def test_day_ordinals_are_never_times_or_parties(day: int) -> None:
    ex = extract_slots(f"on the {_ordinal(day)}", today=TODAY, expecting=frozenset({"time"}))
    assert ex.time is None and ex.party_size is None and ex.date is not None
