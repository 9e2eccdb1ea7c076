"""Find the reservation date a caller names, relative or absolute, and flag impossible ones.

Readings chosen (US English):
- A bare weekday or "this <weekday>" is its next occurrence, today included ("Saturday" said on
  a Saturday is today).
- "next <weekday>" and "<weekday> next week" are that weekday in the next calendar week
  (weeks run Monday to Sunday): said on Wednesday, "next Friday" is nine days later, not two.
- "the Sunday after next" is a week after the coming Sunday (today not counted).
- "this weekend" is the coming Saturday (today on a Saturday or Sunday); "next weekend" is the
  Saturday of next week.
- "the 14th" is this month if the 14th is not past, else next month. A month and day with no
  year that is already past this year is next year, unless it passed within the last 30 days
  ("January 28th" said on February 2nd has passed, and the caller hears so).
- Numeric dates are month/day ("3/14") where the restaurant's country writes them so (the US,
  Canada, the Philippines), day/month elsewhere ("14/3" in London); a first number over 12 is
  a day either way. ISO "2026-03-14" is always accepted.
- A named occasion ("Valentine's Day", "Mother's Day", a US federal holiday) is its next date.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from resvoice.language.holidays import find_holiday

from .numbers import ORDINAL_SUFFIX, ordinal, words_to_digits

__all__ = ["DateMatch", "day_said_as_year", "hours_said_as_ordinals", "parse_date"]


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in text: `value` is None when `error` says why the named date cannot be.

    `same_day` marks today read from a same-day word ("tonight", "this evening") rather than
    from a day the caller named: the notepad takes it as today, but it restates the default
    day of a call rather than choosing one.

    `weekday_said` is the weekday (0 = Monday) said beside a date it is not the weekday of
    ("Friday the 12th" when the 12th is a Saturday): the date as numbered is kept, and the
    caller is told which day it is.
    """

    value: dt.date | None
    text: str
    error: str | None = None
    relative: bool = False
    same_day: bool = False
    weekday_said: int | None = None  # a weekday said with the date that is not its weekday


_MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "mon": 0,
    "tues": 1,
    "tue": 1,
    "wed": 2,
    "thurs": 3,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WD_FULL = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY = rf"(?P<day>\d{{1,2}})(?P<suf>{ORDINAL_SUFFIX})?"
# A year written as digits, or digit by digit as speech-to-text writes "two zero two six"
# ("2 0 2 6", "2-0-2-6").
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d|(?:1[\s-]9|2[\s-]0)[\s-]\d[\s-]\d)\b)?"
_NOT_DAY_AFTER = r"(?![:.]\d|\s*(?:am\b|pm\b|o'clock|people|persons?|guests?|of us|in the))"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")),
    (
        "slash",
        re.compile(
            r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/(?P<year>\d{2,4}))?"
            r"(?![\d/])"
        ),
    ),
    (
        "month_day",
        re.compile(rf"\b(?P<mon>{_MON})\.?\s+(?:the\s+)?{_DAY}\b{_NOT_DAY_AFTER}{_YEAR}"),
    ),
    (
        "day_month",
        re.compile(rf"\b(?:the\s+)?{_DAY}\s+(?:day\s+)?(?:of\s+)?(?P<mon>{_MON})\b\.?{_YEAR}"),
    ),
    (
        "day_this_month",
        re.compile(
            rf"\b(?:the\s+)?(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}\s+(?:day\s+)?of\s+"
            r"(?P<which>this|the|next|the next)\s+month\b"
        ),
    ),
    (
        "ordinal",
        re.compile(
            rf"\b(?:(?:the|on)\s+)?(?P<day>\d{{1,2}}){ORDINAL_SUFFIX}\b"
            r"(?!\s+(?:one|ones|1\b(?!\s*(?:[ap]\.?m|o.clock))|restaurant|option|place|choice|street|st\b|avenue|ave\b|floor|time|"
            r"try|attempt|person|people|guest|course|round|choice|seat|row|table|booth|name|names|"
            r"thing|visit|date|anniversary|birthday|half|bit|part|step|letter|initial))"
        ),
    ),
    ("day_after", re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b")),
    (
        "in_n",
        re.compile(
            r"\bin\s+(?P<n>\d{1,2}|a|an|a couple of|a few)\s+(?P<unit>days?|weeks?|fortnights?)"
            r"(?:'?s?\s+time)?\b"
        ),
    ),
    ("after_next", re.compile(rf"\b(?:the\s+)?(?P<wd>{_WD_FULL})\s+after\s+next\b")),
    (
        "week_from",
        # "a week from Friday", British "a week on Saturday", "Saturday week", "a fortnight on
        # Friday", "2 weeks from tomorrow"
        re.compile(
            r"\b(?:a\s+(?P<span>week|fortnight)|(?P<weeks>[1-4])\s+weeks)\s+(?:from\s+|on\s+)?"
            rf"(?P<base>today|tomorrow|tonight|{_WD_FULL})\b|"
            rf"\b(?P<base2>{_WD_FULL})\s+(?P<span2>week|fortnight)\b"
        ),
    ),
    ("weekend", re.compile(r"\b(?P<which>this|next|the)\s+weekend\b")),
    (
        "wd_week",
        re.compile(rf"\b(?:on\s+)?(?P<wd>{_WD_FULL}),?\s+(?:of\s+)?(?P<which>this|next)\s+week\b"),
    ),
    (
        "which_wd",
        re.compile(
            rf"\b(?P<which>this|next|this coming|coming|the next|this next)\s+"
            rf"(?P<wd>{_WD_FULL}|mon|tues?|wed|thu|thurs|fri|sat|sun)\b"
        ),
    ),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:evening|afternoon|morning)|later\s+on)\b")),
    ("tomorrow", re.compile(r"\b(?:tomorrow|tmrw|tomorow)(?:\s+(?:night|evening|afternoon))?\b")),
    ("weekday", re.compile(rf"\b(?P<wd>{_WD_FULL}|tues|thurs)\b")),
    # "sat, 4 ppl", "on fri": a short day name where it cannot be a word ("we sat down")
    (
        "weekday",
        re.compile(
            r"(?<!\bi\s)(?<!\bwe\s)(?<!\bhe\s)(?<!\bshe\s)(?<!\bthey\s)(?<!\bjust\s)"
            r"\b(?P<wd>mon|tue|wed|thu|fri|sat|sun)\b\.?(?=\s*[,.!?;]|\s*$|\s+(?:at|night|"
            r"evening|for|\d))|\bon\s+(?P<wd2>mon|tue|wed|thu|fri|sat|sun)\b"
        ),
    ),
)
# A date the caller is taking back or only quoting: "not Friday", "did I say March 9th".
_RETRACTED_RE = re.compile(
    r"\b(?:not|n't|say|said|instead\s+of|rather\s+than|than|from)\s+(?:on\s+|for\s+|the\s+)?$"
)
_SIGN_OFF_RE = re.compile(
    r"\b(?:that'?s|that\s+is|that\s+will\s+be|that'll\s+be|be)\s+(?:all|it|everything)\b|"
    r"\b(?:all|it)\s+(?:i\s+need\s+)?for\s+today\b|\bgood\s+(?:morning|afternoon|evening)\b|"
    r"\b(?:job|help|work|everything)\s+for\s+today\b"
)
_CLEAN_RE = re.compile(r"\b(\w+)\.(?=\s)")
_MAY_SAFE_RE = re.compile(
    rf"\bmay\.?\s+(?:the\s+)?\d{{1,2}}(?:{ORDINAL_SUFFIX}|,?\s+(?:19|20)\d\d)|\d\s+(?:of\s+)?may\b"
)


def parse_date(text: str, today: dt.date, *, day_first: bool = False) -> DateMatch | None:
    """Find the first date named in `text`, resolved against `today`.

    Args:
        text: the caller's words (numbers may be spoken or written).
        today: the restaurant's local date.
        day_first: "4/3" is the 4th of March (most of the world) rather than April 3rd.

    Returns:
        A DateMatch (with `error` set and `value` None for impossible dates such as
        "February 30th"), or None when no date is named.
    """
    spoken = _weekday_over_near_day(day_said_as_year(words_to_digits(text)), today)
    low = _CLEAN_RE.sub(r"\1 ", spoken.lower())
    if len(low) != len(spoken):  # a few non-ASCII letters change length when lowered
        spoken = low
    # A month and day said outright beats an occasion's name: "Saturday, March 14th ... under
    # New Year" (a name heard as words) is March 14th.
    calendar = _scan(low, spoken, today, day_first, _CALENDAR_KINDS)
    if calendar is not None:
        return calendar
    named = find_holiday(spoken, today)
    if named is not None and not _RETRACTED_RE.search(low[: low.find(named.text.lower())]):
        return DateMatch(named.value, named.text, relative=True)
    return _scan(low, spoken, today, day_first)


_NEAR_DAY_THEN_WEEKDAY_RE = re.compile(
    rf"\b(?P<near>today|tonight|tomorrow)\b(?P<gap>[\s,]+(?:on\s+|this\s+)?)(?P<wd>{_WD_FULL})\b",
    re.IGNORECASE,
)


def _weekday_over_near_day(text: str, today: dt.date) -> str:
    """ "for tomorrow Wednesday" when tomorrow is Thursday: the weekday, said on purpose, not
    the near day ("for two" is often heard "for tomorrow"); when they agree, either reads the
    same. Only a near day right before the weekday ("tomorrow, Friday"), not "tomorrow or
    Friday"."""

    def weekday(m: re.Match[str]) -> str:
        near = m.group("near").lower()
        day = today + dt.timedelta(days=1 if near == "tomorrow" else 0)
        if _WEEKDAYS[m.group("wd").lower()] == day.weekday():
            return m.group(0)
        return m.group("wd")

    return _NEAR_DAY_THEN_WEEKDAY_RE.sub(weekday, text)


# "Wednesday the 18th" written "Wednesday, 2018" by Whisper: no one says a year straight
# after a weekday, with no month between, so the number is the day of the month
_THE_DAY_AS_YEAR_RE = re.compile(
    rf"\b(?P<wd>{_WD_FULL})\s*,?\s+20(?P<day>0[1-9]|[12]\d|3[01])\b(?![\d:])", re.IGNORECASE
)


def day_said_as_year(text: str) -> str:
    """`text` with a weekday's "2018" read as "the 18th" ("Wednesday, 2018" -> "Wednesday the
    18th"), a day of the month past the 31st as the teen it sounds like ("the 40th" -> "the
    14th": "fourteenth" and "fortieth" are heard alike), and "at 6th" as the hour it was said
    for; run before other numbers are read, so none of them takes the "2018"."""
    text = _TENS_FOR_TEEN_RE.sub(lambda m: f"1{m.group('unit')}th", text)
    text = hours_said_as_ordinals(text)
    return _THE_DAY_AS_YEAR_RE.sub(_as_day_of_month, text)


def hours_said_as_ordinals(text: str, *, anywhere: bool = False) -> str:
    """`text` with an hour the recogniser wrote as an ordinal read as the hour: "for 4 at 6th"
    (after "at"), or with `anywhere` (the agent asked what time) "8th is fine". "The 6th", "on
    the 6th" and "6th of December" stay days."""
    pattern = _HOUR_AS_ORDINAL_RE if anywhere else _HOUR_AT_ORDINAL_RE
    return pattern.sub(lambda m: m.group("hour"), text)


_HOUR_AS_ORDINAL_RE = re.compile(
    rf"(?<!\bthe\s)(?<!\bon\s)\b(?P<hour>[1-9]|1[0-2]){ORDINAL_SUFFIX}\b(?!\s*(?:of\b|{_MON}))",
    re.IGNORECASE,
)
_HOUR_AT_ORDINAL_RE = re.compile(
    rf"(?<=\bat\s)(?P<hour>[1-9]|1[0-2]){ORDINAL_SUFFIX}\b(?!\s*(?:of\b|{_MON}))",
    re.IGNORECASE,
)


_TENS_FOR_TEEN_RE = re.compile(
    r"(?<=\bthe\s)(?P<unit>[4-9])0th\b(?!\s+(?:birthday|anniversary|year|wedding|time|floor))",
    re.IGNORECASE,
)


def _as_day_of_month(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    return f"{m.group('wd')} the {ordinal(day)}"


_CALENDAR_KINDS = frozenset(("iso", "slash", "month_day", "day_month"))


def _scan(
    low: str, spoken: str, today: dt.date, day_first: bool, kinds: frozenset[str] | None = None
) -> DateMatch | None:
    """The first date the patterns (of `kinds`, or all) find; most specific pattern first."""
    for kind, pattern in _PATTERNS:
        if kinds is not None and kind not in kinds:
            continue
        for m in pattern.finditer(low):
            if _RETRACTED_RE.search(low[: m.start()]) or _names_a_place(kind, m, spoken):
                continue
            if kind == "today" and _SIGN_OFF_RE.search(low):
                continue
            try:
                found = _resolve(kind, m, today, low, spoken, day_first=day_first)
            except (OverflowError, ValueError):  # past year 9999: no such date
                continue
            if found is not None:
                return _with_weekday_said(found, kind, m, low)
    return None


_WEEKDAY_BEFORE_RE = re.compile(rf"\b(?P<wd>{_WD_FULL})[\s,]*(?:on\s+)?$")
_WEEKDAY_AFTER_RE = re.compile(
    rf"^[\s,]*(?:(?:which|that|it)(?:\s+is|'s)\s+)?(?:a\s+|the\s+)?(?P<wd>{_WD_FULL})\b"
)


def _with_weekday_said(found: DateMatch, kind: str, m: re.Match[str], low: str) -> DateMatch:
    """`found` marked when a weekday said right beside its day of the month is another day's
    ("Friday the 12th", "December 12th, a Friday")."""
    if found.value is None or kind not in (*_CALENDAR_KINDS, "ordinal", "day_this_month"):
        return found
    beside = _WEEKDAY_BEFORE_RE.search(low[: m.start()]) or _WEEKDAY_AFTER_RE.match(low[m.end() :])
    if beside is None or _WEEKDAYS[beside.group("wd")] == found.value.weekday():
        return found
    return dataclasses.replace(found, weekday_said=_WEEKDAYS[beside.group("wd")])


def _names_a_place(kind: str, m: re.Match[str], spoken: str) -> bool:
    """ "the 3rd Cousin" is a restaurant: an ordinal followed by a capitalised word."""
    if kind != "ordinal":
        return False
    after = spoken[m.end() :].lstrip(" ")
    word = after.split(" ", 1)[0].strip(".,!?")
    return word[:1].isupper() and word.lower() not in _MONTHS and word.lower() not in _WEEKDAYS


def _resolve(
    kind: str,
    m: re.Match[str],
    today: dt.date,
    low: str,
    spoken: str,
    *,
    day_first: bool = False,
) -> DateMatch | None:
    span = spoken[m.start() : m.end()].strip()
    if kind in ("iso", "slash", "month_day", "day_month"):
        month = int(m.group("month")) if kind in ("iso", "slash") else _MONTHS[m.group("mon")]
        day = int(m.group("day"))
        if span == "24/7":
            return None  # "open 24/7" names no date
        if kind == "slash" and (day_first or month > 12) and day <= 12:
            month, day = day, month  # "14/3", or "4/3" where days come first
        if _is_modal_may(kind, m, low):
            return None
        if not 1 <= month <= 12:
            return None
        year = _year(m.group("year"))
        return _absolute(year, month, day, today, span)
    if kind == "day_this_month":
        delta = 1 if "next" in m.group("which") else 0
        year, month = _add_months(today.year, today.month, delta)
        return _in_month(year, month, int(m.group("day")), span)
    if kind == "ordinal":
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            return None
        delta = 0 if day >= today.day else 1
        year, month = _add_months(today.year, today.month, delta)
        return _in_month(year, month, day, span)
    return _relative(kind, m, today, span)


def _relative(kind: str, m: re.Match[str], today: dt.date, span: str) -> DateMatch | None:
    if kind == "today":
        return DateMatch(today, span, relative=True, same_day=True)
    if kind == "tomorrow":
        return DateMatch(today + dt.timedelta(days=1), span, relative=True)
    if kind == "day_after":
        return DateMatch(today + dt.timedelta(days=2), span, relative=True)
    if kind == "in_n":
        raw = m.group("n")
        n = {"a": 1, "an": 1, "a couple of": 2, "a few": 3}.get(raw) or int(raw)
        unit = m.group("unit")
        days = n * 14 if unit.startswith("fortnight") else n * 7 if unit.startswith("week") else n
        return DateMatch(today + dt.timedelta(days=days), span, relative=True)
    if kind == "week_from":
        base = m.group("base") or m.group("base2")
        weeks = (
            2 if "fortnight" in (m.group("span"), m.group("span2")) else int(m.group("weeks") or 1)
        )
        if base in ("today", "tonight"):
            start = today
        elif base == "tomorrow":
            start = today + dt.timedelta(days=1)
        else:
            start = _upcoming(today, _WEEKDAYS[base])
        return DateMatch(start + dt.timedelta(days=7 * weeks), span, relative=True)
    if kind == "after_next":  # "the Sunday after next": a week after the coming Sunday
        coming = today + dt.timedelta(days=(_WEEKDAYS[m.group("wd")] - today.weekday() - 1) % 7 + 1)
        return DateMatch(coming + dt.timedelta(days=7), span, relative=True)
    if kind == "weekend":
        if m.group("which") == "next":
            return DateMatch(_next_week(today, 5), span, relative=True)
        sat = today if today.weekday() == 6 else _upcoming(today, 5)
        return DateMatch(sat, span, relative=True)
    wd = _WEEKDAYS[m.groupdict().get("wd") or m.group("wd2")]
    which = m.group("which") if kind != "weekday" else None
    if which is not None and "next" in which and "this" not in which:
        return DateMatch(_next_week(today, wd), span, relative=True)
    return DateMatch(_upcoming(today, wd), span, relative=True)


def _is_modal_may(kind: str, m: re.Match[str], low: str) -> bool:
    """ "may 3 people come" is the verb; only "May 3rd" / "3 of May" name the month."""
    if kind not in ("month_day", "day_month") or m.group("mon") != "may":
        return False
    return _MAY_SAFE_RE.search(low) is None


def _upcoming(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _next_week(today: dt.date, weekday: int) -> dt.date:
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    return monday + dt.timedelta(days=weekday)


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    year = int(raw.replace(" ", "").replace("-", ""))
    return year + 2000 if year < 100 else year


_JUST_GONE = dt.timedelta(days=30)
"""A month and day this recent in the past is that past day (the caller is told it has passed),
not the same day next year."""


def _absolute(year: int | None, month: int, day: int, today: dt.date, span: str) -> DateMatch:
    if year is not None:
        return _in_month(year, month, day, span)
    found = _in_month(today.year, month, day, span)
    if found.value is not None and today - _JUST_GONE <= found.value < today:
        return found  # "January 28th" on February 2nd: a day just gone, not one a year away
    if found.value is not None and found.value < today:
        return _in_month(today.year + 1, month, day, span)
    if found.value is None and month == 2 and day == 29:
        year = today.year if (today.month, today.day) <= (2, 29) else today.year + 1
        return _in_month(year, month, day, span)
    return found


def _in_month(year: int, month: int, day: int, span: str) -> DateMatch:
    name = calendar.month_name[month]
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return DateMatch(dt.date(year, month, day), span)
    if month == 2 and day == 29:
        return DateMatch(None, span, error=f"February {year} has no 29th ({year} is no leap year)")
    return DateMatch(None, span, error=f"{name} has no {ordinal(day)}")


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1
