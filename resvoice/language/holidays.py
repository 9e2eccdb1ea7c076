"""Dates a caller names by occasion: "Valentine's Day", "Mother's Day", "New Year's Eve", the US
federal holidays and the other days restaurants are booked for.

Each occasion resolves to its next occurrence on or after today ("Valentine's Day" said on
February 20th is next year's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["HolidayMatch", "find_holiday", "holiday_on"]


@dataclass(frozen=True, slots=True)
class HolidayMatch:
    """A named day found in text: its date, the words that named it, and its usual name."""

    value: dt.date
    text: str
    name: str


def find_holiday(text: str, today: dt.date) -> HolidayMatch | None:
    """The first named occasion in `text`, as its next date on or after `today`, or None."""
    low = text.lower().replace("’", "'")
    best: tuple[int, HolidayMatch] | None = None
    for name, pattern, rule in _HOLIDAYS:
        m = pattern.search(low)
        if m is None or (best is not None and best[0] <= m.start()):
            continue
        value = rule(today.year)
        if value < today:
            value = rule(today.year + 1)
        best = (m.start(), HolidayMatch(value, text[m.start() : m.end()], name))
    return best[1] if best else None


def holiday_on(name: str, year: int) -> dt.date:
    """The date of the named occasion (as in `HolidayMatch.name`) in `year`."""
    for known, _, rule in _HOLIDAYS:
        if known == name:
            return rule(year)
    raise KeyError(name)


def _fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


def _nth_weekday(month: int, weekday: int, n: int) -> Callable[[int], dt.date]:
    """The n-th `weekday` (0 = Monday) of `month`; n = -1 is the last one."""

    def rule(year: int) -> dt.date:
        if n > 0:
            first = dt.date(year, month, 1)
            return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)

    return rule


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


_S = r"(?:'?s|s')?"  # "mother's", "mothers", "mothers'"
_HOLIDAYS: tuple[tuple[str, re.Pattern[str], Callable[[int], dt.date]], ...] = (
    ("New Year's Eve", _rx(rf"new\s+year{_S}\s+eve"), _fixed(12, 31)),
    ("New Year's Day", _rx(rf"new\s+year{_S}(?:\s+day)?(?!\s+eve)"), _fixed(1, 1)),
    ("Christmas Eve", _rx(r"christmas\s+eve|xmas\s+eve"), _fixed(12, 24)),
    ("Christmas Day", _rx(r"christmas(?:\s+day)?|xmas"), _fixed(12, 25)),
    ("Valentine's Day", _rx(rf"(?:st\.?\s+|saint\s+)?valentine{_S}(?:\s+day)?"), _fixed(2, 14)),
    (
        "St Patrick's Day",
        _rx(rf"(?:st\.?\s+|saint\s+)?patrick{_S}\s+day|paddy{_S}\s+day"),
        _fixed(3, 17),
    ),
    ("Mother's Day", _rx(rf"mother{_S}\s+day|mom{_S}\s+day|mum{_S}\s+day"), _nth_weekday(5, 6, 2)),
    ("Father's Day", _rx(rf"father{_S}\s+day|dad{_S}\s+day"), _nth_weekday(6, 6, 3)),
    (
        "Independence Day",
        _rx(r"independence\s+day|(?:the\s+)?fourth\s+of\s+july|4th\s+of\s+july"),
        _fixed(7, 4),
    ),
    ("Halloween", _rx(r"hallowe'?en"), _fixed(10, 31)),
    ("Thanksgiving", _rx(r"thanksgiving(?:\s+day)?"), _nth_weekday(11, 3, 4)),
    (
        "Martin Luther King Jr. Day",
        _rx(r"(?:martin\s+luther\s+king|mlk)(?:\s+jr\.?)?(?:\s+day)?"),
        _nth_weekday(1, 0, 3),
    ),
    (
        "Presidents' Day",
        _rx(rf"president{_S}\s+day|washington{_S}\s+birthday"),
        _nth_weekday(2, 0, 3),
    ),
    ("Memorial Day", _rx(r"memorial\s+day"), _nth_weekday(5, 0, -1)),
    ("Juneteenth", _rx(r"juneteenth"), _fixed(6, 19)),
    ("Labor Day", _rx(r"labou?r\s+day"), _nth_weekday(9, 0, 1)),
    ("Columbus Day", _rx(r"columbus\s+day|indigenous\s+peoples?'?\s+day"), _nth_weekday(10, 0, 2)),
    ("Veterans Day", _rx(rf"veteran{_S}\s+day|armistice\s+day"), _fixed(11, 11)),
    ("Easter Sunday", _rx(r"easter(?:\s+sunday)?"), _easter),
    ("Cinco de Mayo", _rx(r"cinco\s+de\s+mayo"), _fixed(5, 5)),
)
