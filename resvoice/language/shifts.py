"""Times and days said relative to one already under discussion.

"push it back by an hour", "half an hour earlier", "bring it forward 30 minutes" move a time
by a signed number of minutes; "the day after", "the Tuesday after that", "that Wednesday",
"a week later" name a day relative to an anchor (the day of the booking being changed, or the
day the caller just asked for). Neither reader guesses: without an amount and one clear
direction there is no shift, and without a relative phrase there is no day.
"""

from __future__ import annotations

import datetime as dt
import re

from resvoice.language.numbers import words_to_digits

__all__ = ["day_relative_to", "day_shift", "lone_weekday_is_today", "time_shift"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD = "|".join(_WEEKDAYS)

# an amount of time: "an hour and a half", "90 minutes", "half an hour", "2 hours", "a quarter
# of an hour", "an hour 15"
_AMOUNT = re.compile(
    r"\b(?:(?P<hours>an?|1|one|\d)\s+(?:and\s+a\s+half\s+hours?|hours?(?:\s+and\s+a\s+half)?)"
    r"(?:\s+(?:and\s+)?(?P<extra>\d{1,2})(?:\s+min(?:ute)?s?)?)?|"
    r"(?P<half>half\s+(?:an\s+)?hour|a\s+half[\s-]hour)|"
    r"(?P<quarter>(?:a\s+)?quarter\s+(?:of\s+)?(?:an\s+)?hour)|"
    r"(?P<minutes>\d{1,3})\s*(?:-\s*)?min(?:ute)?s?)\b",
    re.IGNORECASE,
)
_LATER = re.compile(
    r"\b(?:later|back|delay\w*|postpone\w*|after(?!\s+\d)|push(?:ed|ing)?\s+(?:\w+\s+){0,4}?out)\b",
    re.IGNORECASE,
)
_EARLIER = re.compile(r"\b(?:earlier|forward|sooner|up|before)\b", re.IGNORECASE)
# "up" only as a move ("move it up", "bring it up"), not "come up", "show up", "pick up"
_UP_FALSE = re.compile(r"\b(?:came|come|comes|coming|show|pick|set|up\s+to)\s+up\b|\bup\s+to\b")

_DAY_AFTER = re.compile(
    r"\bthe\s+(?:next|following)\s+(?P<unit>day|week)\b|"
    # "the same time next week", "same day the following week": a week on
    r"\b(?:the\s+)?same\s+(?:time|day)\s+(?:and\s+time\s+)?(?:the\s+)?(?:next|following)\s+"
    r"(?P<unit3>week)\b|"
    r"\bthe\s+(?P<unit2>day|week)\s+(?P<dir>after|before)\b(?!\s+(?:tomorrow|next))",
    re.IGNORECASE,
)
_DAYS = re.compile(r"\b(?P<n>a|an|one|\d)\s+(?P<unit>days?|weeks?)\b", re.IGNORECASE)
_WEEKDAY_AFTER = re.compile(
    rf"\b(?:the\s+)?(?P<wd>{_WD})\s+(?P<dir>after|before)\b(?!\s+(?:\d|noon|lunch|dinner))|"
    rf"\bthe\s+following\s+(?P<wd2>{_WD})\b|"
    rf"\b(?:that|the\s+same)\s+(?:week'?s\s+)?(?P<wd3>{_WD})\b|"
    rf"\b(?:the\s+)?(?P<wd4>{_WD})\s+(?:of\s+)?(?:that|the\s+same)\s+week\b",
    re.IGNORECASE,
)
_NAMED_TODAY = re.compile(
    rf"\b(?:this|next|coming|following|that|last)\s+(?:{_WD})\b|"
    rf"\b(?:{_WD})\s+(?:next|this)\s+week\b|\b(?:today|tonight)\b|"
    rf"\b(?:{_WD})\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b|\bthe\s+\d{{1,2}}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)


def time_shift(text: str) -> int | None:
    """Signed minutes a caller asks to move a time by: "an hour later" is 60, "bring it
    forward half an hour" -30; None without an amount or without one clear direction."""
    spoken = words_to_digits(text)
    amount = _AMOUNT.search(spoken)
    if amount is None:
        return None
    minutes = _minutes(amount)
    if not minutes or minutes > 6 * 60:
        return None
    rest = spoken[: amount.start()] + " " + spoken[amount.end() :]
    later = bool(_LATER.search(rest))
    earlier = bool(_EARLIER.search(_UP_FALSE.sub(" ", rest)))
    if later == earlier:
        return None
    return minutes if later else -minutes


def day_relative_to(text: str, anchor: dt.date) -> dt.date | None:
    """The day named relative to `anchor`: "the day after" (+1), "a week later" (+7),
    "the Tuesday after" (the first Tuesday after it), "that Tuesday" (the Tuesday of its
    week, weeks running Monday to Sunday); None when the words name no such day."""
    spoken = words_to_digits(text)
    weekday = _WEEKDAY_AFTER.search(spoken)
    if weekday is not None:
        name = next(g for g in weekday.group("wd", "wd2", "wd3", "wd4") if g)
        target = _WEEKDAYS.index(name.lower())
        if weekday.group("wd") and weekday.group("dir").lower() == "before":
            return anchor - dt.timedelta(days=(anchor.weekday() - target - 1) % 7 + 1)
        if weekday.group("wd") or weekday.group("wd2"):
            return anchor + dt.timedelta(days=(target - anchor.weekday() - 1) % 7 + 1)
        return anchor + dt.timedelta(days=target - anchor.weekday())
    day = _DAY_AFTER.search(spoken)
    if day is not None:
        unit = (day.group("unit") or day.group("unit2") or day.group("unit3")).lower()
        sign = -1 if (day.group("dir") or "").lower() == "before" else 1
        return anchor + dt.timedelta(days=sign * (7 if unit == "week" else 1))
    shift = day_shift(text)
    return None if shift is None else anchor + dt.timedelta(days=shift)


def day_shift(text: str) -> int | None:
    """Signed days a caller asks to move a booking by: "a day later" 1, "push it back a
    week" 7, "two days earlier" -2; None without an amount and one clear direction."""
    spoken = words_to_digits(text)
    days = _DAYS.search(spoken)
    if days is None:
        return None
    rest = spoken[: days.start()] + " " + spoken[days.end() :]
    later = bool(_LATER.search(rest))
    earlier = bool(_EARLIER.search(_UP_FALSE.sub(" ", rest)))
    if later == earlier:
        return None
    count = days.group("n")
    n = int(count) if count.isdigit() else 1
    n *= 7 if days.group("unit").lower().startswith("week") else 1
    return n if later else -n


def lone_weekday_is_today(text: str, today: dt.date) -> bool:
    """The caller named today's weekday alone ("Tuesday", said on a Tuesday): today, or a
    week from today? A receptionist asks rather than guesses."""
    spoken = words_to_digits(text).lower()
    if _NAMED_TODAY.search(spoken) or _WEEKDAY_AFTER.search(spoken):
        return False
    found = {w for w in _WEEKDAYS if re.search(rf"\b{w}s?\b", spoken)}
    return found == {_WEEKDAYS[today.weekday()]}


def _minutes(amount: re.Match[str]) -> int:
    if amount.group("half"):
        return 30
    if amount.group("quarter"):
        return 15
    if amount.group("minutes"):
        return int(amount.group("minutes"))
    raw = amount.group("hours").lower()
    hours = 1 if raw in ("a", "an", "one") else int(raw)
    whole = amount.group(0).lower()
    minutes = hours * 60 + (30 if "half" in whole else 0)
    if amount.group("extra"):
        minutes += int(amount.group("extra"))
    return minutes
