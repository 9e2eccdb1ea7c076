"""Text as a TTS engine should say it: every number written out the way a person reads it.

`speakable(text)` is shared by all TTS providers; the transcript keeps the written form.
"19:30" and "7:30 PM" -> "seven thirty p.m."; "2026-02-07" -> "Saturday, February seventh";
"March 7th" -> "March seventh"; "(415) 555-0142" -> "four one five, five five five, zero one four
two"; "$12.50" -> "twelve dollars fifty"; "a table for 4" -> "a table for four". Times reuse the
agent's own `speak_time` wording; number words come from `numbers`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from .numbers import DIGIT_WORDS, cardinal_words, ordinal_words, year_words
from .phrases import speak_time

__all__ = ["speakable"]


def speakable(text: str) -> str:
    """Rewrite dates, phone numbers, times, prices, ordinals and numbers as words."""
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


_DIGIT = {str(value): word for word, value in DIGIT_WORDS.items()}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(calendar.day_name)


def _iso_date(m: re.Match[str]) -> str:
    try:
        day = dt.date(int(m["y"]), int(m["mo"]), int(m["d"]))
    except ValueError:
        return m.group(0)  # not a real date: leave it for the number rules
    return f"{day.strftime('%A, %B')} {ordinal_words(day.day)}"


def _written_date(m: re.Match[str]) -> str:
    day = int(m["d"])
    if not 1 <= day <= 31:
        return m.group(0)
    month = calendar.month_name[_MONTHS[m["mo"].lower().rstrip(".")]]
    weekday = f"{m['wd']}, " if m["wd"] else ""
    year = f", {year_words(int(m['y']))}" if m["y"] else ""
    return f"{weekday}{month} {ordinal_words(day)}{year}"


def _phone(m: re.Match[str]) -> str:
    raw = m.group(0)
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return raw
    groups = re.findall(r"\d+", raw)
    if len(groups) == 1:  # no separators: group the way the number is usually written
        rest = digits
        groups = []
        if len(rest) == 11 and rest.startswith("1"):
            groups, rest = ["1"], rest[1:]
        while len(rest) > 4:
            groups, rest = [*groups, rest[:3]], rest[3:]
        groups.append(rest)
    spoken = ", ".join(" ".join(_DIGIT[c] for c in group) for group in groups)
    return f"plus {spoken}" if raw.startswith("+") else spoken


def _time(m: re.Match[str]) -> str:
    hour, minute = int(m["h"]), int(m["m"] or 0)
    suffix = (m["ap"] or "").lower()
    if suffix:
        if hour > 12 or hour == 0:
            return m.group(0)
        hour = hour % 12 + (12 if suffix == "p" else 0)
    elif 1 <= hour <= 12 and m["m"] is not None:  # "7:30": no am/pm to add
        return _clock_words(hour, minute, "")
    elif m["m"] is None:
        return m.group(0)
    spoken = speak_time(dt.time(hour, minute), am="a.m.", pm="p.m.")
    if spoken in ("noon", "midnight"):
        return spoken
    clock, _, half = spoken.partition(" ")
    h, _, mm = clock.partition(":")
    return _clock_words(int(h), int(mm or 0), half)


def _clock_words(hour: int, minute: int, half: str) -> str:
    if minute == 0:
        words = cardinal_words(hour) + ("" if half else " o'clock")
    elif minute < 10:
        words = f"{cardinal_words(hour)} oh {cardinal_words(minute)}"
    else:
        words = f"{cardinal_words(hour)} {cardinal_words(minute)}"
    return f"{words} {half}".rstrip()


def _price(m: re.Match[str]) -> str:
    dollars = int(m["d"].replace(",", ""))
    cents = int((m["c"] or "0").ljust(2, "0"))
    if dollars == 0 and cents:
        return f"{cardinal_words(cents)} cent{'s' if cents != 1 else ''}"
    words = f"{cardinal_words(dollars)} dollar{'s' if dollars != 1 else ''}"
    return f"{words} {cardinal_words(cents)}" if cents else words


def _decimal(m: re.Match[str]) -> str:
    whole, frac = m.group(0).replace(",", "").split(".")
    return f"{cardinal_words(int(whole))} point {' '.join(_DIGIT[c] for c in frac)}"


def _number(m: re.Match[str]) -> str:
    return cardinal_words(int(m.group(0).replace(",", "")))


def _ordinal(m: re.Match[str]) -> str:
    return ordinal_words(int(m["n"]))


def _percent(m: re.Match[str]) -> str:
    return f"{m['n']} percent"


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: tuple[_Rule, ...] = (  # order matters: each rule leaves no digits for the next to misread
    (
        re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?![\d-])", re.ASCII),
        _iso_date,
    ),
    (
        re.compile(
            rf"\b(?:(?P<wd>{_WEEKDAY_RE}),?\s+)?(?:the\s+)?(?P<mo>{_MONTH_RE})\.?\s+"
            rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?",
            re.IGNORECASE | re.ASCII,
        ),
        _written_date,
    ),
    (
        re.compile(
            r"(?<![\w$.,:+])(?:\+\d{1,3}(?:[\s.-]\d{1,4}){2,4}|"
            r"(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[\s.-]\d{4}|\+?\d{10,15})(?![.,:]?\d)",
            re.ASCII,
        ),
        _phone,
    ),
    (
        re.compile(
            r"\b(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?(?![\d:])"
            r"(?:\s*(?P<ap>[AaPp])\.?\s?[Mm]\b\.?)?",
            re.ASCII,
        ),
        _time,
    ),
    (re.compile(r"\$(?P<d>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<c>\d{1,2}))?\b", re.ASCII), _price),
    (re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th)\b", re.IGNORECASE | re.ASCII), _ordinal),
    (re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s?%", re.ASCII), _percent),
    (re.compile(r"\b\d{1,3}(?:,\d{3})+\.\d+\b|\b\d+\.\d+\b", re.ASCII), _decimal),
    (re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b", re.ASCII), _number),
)
