"""Relative and absolute dates, impossible dates, year roll-over."""

import datetime as dt

import pytest

from resvoice.language.dates import parse_date

FRI = dt.date(2019, 3, 1)  # a Friday
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", D(2019, 3, 1)),
        ("tonight at 7", D(2019, 3, 1)),
        ("tomorrow", D(2019, 3, 2)),
        ("the day after tomorrow", D(2019, 3, 3)),
        ("Friday", D(2019, 3, 1)),
        ("Saturday", D(2019, 3, 2)),
        ("this Saturday", D(2019, 3, 2)),
        ("Thursday", D(2019, 3, 7)),
        ("next Friday", D(2019, 3, 8)),
        ("next Monday", D(2019, 3, 4)),
        ("Tuesday next week", D(2019, 3, 5)),
        ("Saturday this week", D(2019, 3, 2)),
        ("this weekend", D(2019, 3, 2)),
        ("next weekend", D(2019, 3, 9)),
        ("in 3 days", D(2019, 3, 4)),
        ("in two weeks", D(2019, 3, 15)),
        ("a week from today", D(2019, 3, 8)),
        ("the 14th", D(2019, 3, 14)),
        ("on the fifth", D(2019, 3, 5)),
        ("the 1st", D(2019, 3, 1)),
        ("4th of this month", D(2019, 3, 4)),
        ("March 3rd", D(2019, 3, 3)),
        ("3rd of March", D(2019, 3, 3)),
        ("the third of march", D(2019, 3, 3)),
        ("March the 3rd", D(2019, 3, 3)),
        ("Mar. 3", D(2019, 3, 3)),
        ("3/14", D(2019, 3, 14)),
        ("2026-03-14", D(2026, 3, 14)),
        ("March 14 2027", D(2027, 3, 14)),
        ("March 14th, 2027", D(2027, 3, 14)),
        ("January 5th", D(2020, 1, 5)),
        ("May 3rd", D(2019, 5, 3)),
        ("April twenty-first", D(2019, 4, 21)),
        # Whisper's "Wednesday, 2018" for "Wednesday the 18th": a weekday takes no year
        ("a table on Wednesday, 2018.", D(2019, 3, 18)),
        ("Saturday 2030 at 7", D(2019, 3, 30)),
        ("Friday, March 22nd, 2019", D(2019, 3, 22)),
        ("a week on Saturday", D(2019, 3, 9)),  # British: the Saturday after this one
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    found = parse_date(text, FRI)
    assert found is not None, text
    assert found.error is None
    assert found.value == expected


def test_ordinal_day_already_past_is_next_month() -> None:
    found = parse_date("the 5th", dt.date(2019, 3, 20))
    assert found is not None and found.value == dt.date(2019, 4, 5)


def test_month_day_past_rolls_to_next_year() -> None:
    found = parse_date("January 5th", dt.date(2025, 12, 20))
    assert found is not None and found.value == dt.date(2026, 1, 5)
    long_gone = parse_date("March 3rd", dt.date(2026, 6, 10))
    assert long_gone is not None and long_gone.value == dt.date(2027, 3, 3)


@pytest.mark.parametrize(
    ("text", "today"),
    [("January 28th", dt.date(2026, 2, 2)), ("the 3rd of March", dt.date(2026, 3, 30))],
)
def test_a_month_day_just_gone_is_that_past_day(text: str, today: dt.date) -> None:
    """Said without a year (or with a year the recogniser lost), a day of the last month is
    that day, so the caller hears it has passed rather than that it is too far ahead."""
    found = parse_date(text, today)
    assert found is not None and found.value is not None
    assert found.value < today and (today - found.value).days <= 30


def test_weekday_said_on_that_day_is_today() -> None:
    sat = dt.date(2025, 3, 1)
    found = parse_date("Saturday", sat)
    assert found is not None and found.value == sat


def test_next_weekday_is_in_next_calendar_week() -> None:
    wed = dt.date(2025, 3, 5)
    found = parse_date("next Friday", wed)
    assert found is not None and found.value == dt.date(2025, 3, 14)
    found = parse_date("this Friday", wed)
    assert found is not None and found.value == dt.date(2025, 3, 7)


@pytest.mark.parametrize(
    ("text", "today", "error"),
    [
        ("February 30th", FRI, "February has no 30th"),
        ("April 31st", FRI, "April has no 31st"),
        ("the 31st", dt.date(2025, 4, 10), "April has no 31st"),
        ("February 29th", dt.date(2025, 4, 10), "February 2026 has no 29th"),
    ],
)
def test_impossible_dates_are_flagged_not_moved(text: str, today: dt.date, error: str) -> None:
    found = parse_date(text, today)
    assert found is not None
    assert found.value is None
    assert found.error is not None and found.error.startswith(error)


def test_span_text_is_returned() -> None:
    found = parse_date("Could we come on March 3rd at 7?", FRI)
    assert found is not None and found.text == "March 3rd"


@pytest.mark.parametrize(
    "text",
    [
        "party of 7",
        "7 in the evening",
        "May I book a table",
        "may 3 people come",
        "first, I have a question",
        "that's all for today, thanks",
        "good morning",
        "it's 24/7",
        "the 3rd Cousin restaurant",
        "table for 2 at 7:30",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text, FRI) is None


def test_retracted_date_is_skipped() -> None:
    found = parse_date("Did I say March 9th? Make it March 8th.", FRI)
    assert found is not None and found.value == dt.date(2019, 3, 8)


@pytest.mark.parametrize(
    ("text", "same_day"),
    [
        ("tonight at 7", True),
        ("this evening 7:15", True),
        ("yes, for today", True),
        ("tomorrow night", False),
        ("a week from today", False),
        ("Saturday", False),  # said on a Friday
        ("March 1st", False),  # today, but named
    ],
)
def test_same_day_words_are_told_apart_from_named_days(text: str, same_day: bool) -> None:
    found = parse_date(text, FRI)
    assert found is not None and found.value is not None
    assert found.same_day is same_day
    assert (found.value == FRI) if same_day else True


def test_a_month_and_day_said_outright_beats_an_occasion_heard_in_a_name() -> None:
    found = parse_date(
        "a table on Saturday, March 14th at 7 pm. Under New Year", dt.date(2026, 2, 2)
    )
    assert found is not None and found.value == dt.date(2026, 3, 14)
    alone = parse_date("under New Year", dt.date(2026, 2, 2))
    assert alone is not None and alone.value == dt.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("said", "day_first", "expected"),
    [
        ("a table on 4/3", False, dt.date(2019, 4, 3)),  # a US restaurant: April 3rd
        ("a table on 4/3", True, dt.date(2019, 3, 4)),  # elsewhere: the 4th of March
        ("a table on 14/3", False, dt.date(2019, 3, 14)),  # no 14th month: a day first
        ("a table on 3/14", True, dt.date(2019, 3, 14)),  # no 14th month either way
    ],
)
def test_numeric_dates_follow_the_restaurants_country(
    said: str, day_first: bool, expected: dt.date
) -> None:
    found = parse_date(said, FRI, day_first=day_first)
    assert found is not None and found.value == expected


WEDNESDAY = dt.date(2026, 4, 8)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a table for tomorrow Friday at 8", dt.date(2026, 4, 10)),  # "for two" heard "tomorrow"
        ("tonight, Saturday", dt.date(2026, 4, 11)),
        ("tomorrow on Sunday please", dt.date(2026, 4, 12)),
        ("tomorrow, Thursday", dt.date(2026, 4, 9)),  # they agree
        ("tomorrow or Friday, whichever", dt.date(2026, 4, 9)),  # two choices: the first
    ],
)
def test_a_weekday_said_right_after_a_near_day_it_is_not_wins(text: str, value: dt.date) -> None:
    found = parse_date(text, WEDNESDAY)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    ("text", "day"),
    [("could we change it to the 40th at half 7?", 14), ("the 50th please", 15), ("the 90th", 19)],
)
def test_a_day_past_the_31st_is_the_teen_it_sounds_like(text: str, day: int) -> None:
    found = parse_date(text, dt.date(2026, 2, 2))
    assert found is not None and found.value == dt.date(2026, 2, day)


def test_a_40th_birthday_is_no_day_of_the_month() -> None:
    found = parse_date("it's my 40th birthday on the 7th", dt.date(2026, 2, 2))
    assert found is not None and found.value == dt.date(2026, 2, 7)


TUESDAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a fortnight on Saturday, around eight", dt.date(2026, 3, 28)),
        ("Saturday week", dt.date(2026, 3, 21)),
        ("Friday fortnight please", dt.date(2026, 3, 27)),
        ("two weeks on Friday", dt.date(2026, 3, 27)),
        ("in a fortnight", dt.date(2026, 3, 24)),
        ("a week on Saturday", dt.date(2026, 3, 21)),
        ("this Saturday, for the weekend", dt.date(2026, 3, 14)),  # "weekend" is no "week"
    ],
)
def test_weeks_and_fortnights_on_from_a_day(text: str, value: dt.date) -> None:
    found = parse_date(text, TUESDAY)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    ("text", "day", "said"),
    [
        ("Friday the 9th", D(2019, 3, 9), 4),  # the 9th is a Saturday
        ("on Wednesday, March 14th", D(2019, 3, 14), 2),  # a Thursday
        ("the 9th, a Friday", D(2019, 3, 9), 4),
        ("March 9th which is a Sunday", D(2019, 3, 9), 6),
        ("sunday 3/12", D(2019, 3, 12), 6),  # a Tuesday
    ],
)
def test_a_weekday_beside_another_days_date_is_marked(text: str, day: dt.date, said: int) -> None:
    found = parse_date(text, FRI)
    assert found is not None
    assert (found.value, found.weekday_said) == (day, said)


@pytest.mark.parametrize(
    "text",
    ["Saturday the 9th", "Friday or the 9th", "Saturday, March 9th", "the 9th", "Sunday"],
)
def test_a_weekday_that_fits_or_stands_apart_is_not_marked(text: str) -> None:
    found = parse_date(text, FRI)
    assert found is not None and found.value is not None
    assert found.weekday_said is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the Sunday after next", D(2019, 3, 10)),  # said on Friday 1st: not the 3rd, the 10th
        ("Friday after next", D(2019, 3, 15)),  # today is Friday: the coming one is the 8th
    ],
)
def test_a_weekday_after_next(text: str, value: dt.date) -> None:
    found = parse_date(text, FRI)
    assert found is not None and found.value == value
