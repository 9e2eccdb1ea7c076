"""Named days resolve to their next date on or after today."""

import datetime as dt

import pytest

from resvoice.language.holidays import find_holiday, holiday_on

TODAY = dt.date(2026, 2, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a table on Valentine's Day", dt.date(2026, 2, 14)),
        ("valentines day please", dt.date(2026, 2, 14)),
        ("for Mother's Day", dt.date(2026, 5, 10)),
        ("mothers day brunch", dt.date(2026, 5, 10)),
        ("New Year's Eve at 9", dt.date(2026, 12, 31)),
        ("on Thanksgiving", dt.date(2026, 11, 26)),
        ("Memorial Day weekend", dt.date(2026, 5, 25)),
        ("Labor Day", dt.date(2026, 9, 7)),
        ("the fourth of July", dt.date(2026, 7, 4)),
        ("MLK day", dt.date(2027, 1, 18)),  # this year's (January 19th) is past
        ("Presidents' Day", dt.date(2026, 2, 16)),
        ("Christmas Eve", dt.date(2026, 12, 24)),
        ("Easter Sunday", dt.date(2026, 4, 5)),
        ("St. Patrick's Day", dt.date(2026, 3, 17)),
        ("Father's Day", dt.date(2026, 6, 21)),
        ("Juneteenth", dt.date(2026, 6, 19)),
        ("Veterans Day", dt.date(2026, 11, 11)),
        ("Columbus Day", dt.date(2026, 10, 12)),
        ("Halloween", dt.date(2026, 10, 31)),
    ],
)
def test_named_days(text: str, expected: dt.date) -> None:
    found = find_holiday(text, TODAY)
    assert found is not None and found.value == expected


def test_a_past_occasion_is_next_years() -> None:
    found = find_holiday("Valentine's Day", dt.date(2026, 2, 15))
    assert found is not None and found.value == dt.date(2027, 2, 14)


def test_today_counts() -> None:
    found = find_holiday("Valentine's Day", dt.date(2026, 2, 14))
    assert found is not None and found.value == dt.date(2026, 2, 14)


@pytest.mark.parametrize("text", ["a table for two", "my mother and I", "next year", "the eve"])
def test_no_occasion(text: str) -> None:
    assert find_holiday(text, TODAY) is None


def test_floating_holidays_fall_on_their_weekday() -> None:
    for year in range(2024, 2040):
        assert holiday_on("Mother's Day", year).weekday() == 6
        assert holiday_on("Thanksgiving", year).weekday() == 3
        assert holiday_on("Memorial Day", year).weekday() == 0
        assert holiday_on("Memorial Day", year + 0).month == 5
        assert (holiday_on("Memorial Day", year) + dt.timedelta(days=7)).month == 6
        assert holiday_on("Easter Sunday", year).weekday() == 6
