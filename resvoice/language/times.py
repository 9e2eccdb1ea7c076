"""Find the clock time a caller names ("7:30pm", "730", "half past six", "evening 6") in text.

Speech-to-text writes "seven thirty" as "730", "7.30" or "7 30"; a glued quarter hour ("530",
"1045") in a booking sentence ("Sunday, 530") is read as a time even without a cue.

A bare number is only a time when the agent just asked for one (`expect_time`) or a cue says
so ("at 7", "7 o'clock"); numbers that count people ("for 4", "party of 7") or name days
("the 7th") are never times. Hours without am/pm or a part of the day are read with
`evening_bias` (1-11 are pm, for a dinner service) or, without it, as a lunch-and-dinner
restaurant would hear them (1-9 pm, 10-11 am, 12 noon).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .numbers import words_to_digits

__all__ = ["TimeMatch", "parse_time"]


@dataclass(frozen=True, slots=True)
class TimeMatch:
    """A time found in text; `explicit` is False when am/pm had to be guessed."""

    value: dt.time
    text: str
    explicit: bool


_H = r"(?P<h>[01]?\d|2[0-3])"
_MM = r"(?P<m>[0-5]\d)"
_AP = r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)"
_PER = r"(?P<per>morning|afternoon|evening|night|tonight|noon)"
# A part of the day followed by a number is that number's prefix ("for 2 in the evening 6:30").
_PER_AFTER = rf"(?:\s+(?:in\s+the\s+|at\s+|this\s+|tomorrow\s+|today\s+)?{_PER}(?!\s+(?:at\s+)?\d))"
_STREET = (
    r"(?!\s+(?:[A-Za-z]+\s+)?(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|"
    r"way|place|court|ct|plaza|square|highway|hwy)\b)"
)
_OCLOCK = r"(?:\s*o\W?\s?clock)"
_NOT_COUNT = (
    r"(?![\d:]|\.\d|\s*(?:st|nd|rd|th)\b|\s*(?:people|persons?|guests?|of\s+us|adults?|kids|"
    r"children|pax|ppl|diners|seats?|heads|stars?|minutes?|mins?|hours?|days?|weeks?|dollars|"
    r"bucks|percent|miles?|blocks?)\b)"
) + _STREET
_NOT_AFTER_NUM = r"(?<![\d$£€./:#-])"
_REL = (
    r"(?P<rel>half[\s,]+(?:past|after)|quarter[\s,]+(?:past|after|to|till|til|of|before)|"
    r"(?P<mins>\d{1,2})\s+(?:minutes?\s+)?(?:past|after|to|till|before))"
)
# right after a day ("tomorrow", "Friday", "the 14th"), as lookbehinds: the day stays in the
# text for the date, only "and 8" is the time's
_AFTER_A_DAY = "(?:{})".format(
    "|".join(
        f"(?<={day})"
        for day in (
            "tomorrow",
            "tonight",
            "today",
            *(f"{d}day" for d in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")),
            *(rf"\d{suffix}" for suffix in ("st", "nd", "rd", "th")),
        )
    )
)
_CUE = (
    r"(?:\bat|\baround|\babout|\bby|@|\bbetween|\bfrom|\buntil|\btill|\bstarting|"
    r"\bapproximately|\bsay|\bmaybe|\bfor)"
)

# (tier, pattern): lower tiers are more certain and win over higher ones.
_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # "half past midnight", "quarter to noon": minutes either side of 12
    (0, re.compile(rf"\b{_REL}\s+(?P<twelve>noon|midday|mid-day|midnight)\b")),
    (0, re.compile(r"\b(?P<noon>noon|midday|mid-day|midnight|lunchtime)\b")),
    (0, re.compile(rf"\b{_REL}\s+{_H}{_OCLOCK}?{_AP}?{_PER_AFTER}?\b")),
    # British "half seven" is half past seven (never "half of seven" or "half 7 people")
    (
        0,
        re.compile(
            rf"(?<![\w-])(?P<half>half)\s+(?!past|after|an?\b|of\b){_H}{_AP}?{_PER_AFTER}?\b{_NOT_COUNT}"
        ),
    ),
    (0, re.compile(rf"{_NOT_AFTER_NUM}\b{_H}(?:[:.]|\s)?{_MM}{_AP}{_PER_AFTER}?")),
    # "8:30", "8.30", and Whisper's European "8,30" (no space: "8, 30 people" is two numbers)
    # a comma after it only where digits follow ("6:30, Omar Said" is a time; "5,55,0142" not)
    (
        0,
        re.compile(rf"{_NOT_AFTER_NUM}(?<!\d,)\b{_H}[:.,]{_MM}(?![\d:]|,\s*\d){_AP}?{_PER_AFTER}?"),
    ),
    (0, re.compile(rf"{_NOT_AFTER_NUM}\b{_H}{_OCLOCK}?{_AP}{_PER_AFTER}?")),
    (0, re.compile(rf"{_NOT_AFTER_NUM}\b{_H}{_OCLOCK}{_PER_AFTER}?")),
    (0, re.compile(rf"{_NOT_AFTER_NUM}\b{_H}(?:\s|[:.])?{_MM}?{_PER_AFTER}\b")),
    (
        0,
        re.compile(
            rf"\b(?:{_PER.replace('?P<per>', '?P<per2>')})[\s,]+"
            rf"(?:at\s+|around\s+|about\s+|like\s+)?{_H}(?:[:.]{_MM})?\b{_NOT_COUNT}"
        ),
    ),
    (
        1,
        re.compile(
            rf"{_CUE}\s+(?:around\s+|about\s+|approximately\s+|like\s+)?{_H}(?:[\s:.]?{_MM})?"
            rf"\b{_NOT_COUNT}(?:\s*ish)?"
        ),
    ),
    (1, re.compile(rf"\b{_H}(?:[:.]?{_MM})?\s*ish\b")),
    # "the day after tomorrow and 8": Whisper's "and" for "at" right after a day is a time
    (
        1,
        re.compile(
            rf"{_AFTER_A_DAY}\s+and\s+(?P<h>1[0-2]|[1-9])(?:[:.]{_MM})?{_AP}?\b{_NOT_COUNT}"
        ),
    ),
    # Whisper's "730" / "1045" for "seven thirty": a time on its own when the minutes are a
    # quarter hour and no digits follow (a phone group would); see `_glued_time`.
    (
        1,
        re.compile(
            rf"{_NOT_AFTER_NUM}\b(?P<h>1[0-2]|[1-9])(?P<glued>15|30|45)\b(?!\s*[\d,.-]\s*\d){_NOT_COUNT}"
        ),
    ),
    (2, re.compile(rf"{_NOT_AFTER_NUM}\b{_H}(?:[\s:.]?{_MM})?\b{_NOT_COUNT}")),
)
_COUNT_BEFORE_RE = re.compile(
    r"(?:party\s+of|table\s+for|group\s+of|\bbe|\bwe're|\bwe\s+are|\bthe|number|\bno\.?|"
    r"\broom|\bsuite|#)\s+(?:around\s+|about\s+|like\s+)?$"
)
_FOR_COUNT_RE = re.compile(r"\b(?:table|party|reservation|booking|book|seats?|group)\s*$")
# Words that make a glued "530" part of a booking rather than any number at all.
_BOOKING_RE = re.compile(
    r"\b(?:table|people|party|book\w*|reserv\w*|tonight|tomorrow|today|dinner|lunch|time|"
    r"instead|earlier|later|move|push|come|arrive|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
# "eightish", "seven-ish": the hour word and "ish" apart, so the number reads as a number
_ISH_RE = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}(?::\d\d)?)"
    r"-?(?=ish\b)",
    re.IGNORECASE,
)
_NEGATED_RE = re.compile(r"\b(?:not|n't)\s+(?:at\s+|for\s+|around\s+)?$")


def parse_time(
    text: str, *, expect_time: bool = False, evening_bias: bool = True
) -> TimeMatch | None:
    """Find the clock time named in `text`.

    Args:
        text: the caller's words.
        expect_time: the agent just asked for a time, so a bare "seven" is one.
        evening_bias: read bare hours 1-11 as pm (a dinner restaurant).

    Returns:
        The most certain time mentioned (first of equals), or None.
    """
    low = words_to_digits(_ISH_RE.sub(r"\1 ", text)).lower()
    best: tuple[int, int, TimeMatch] | None = None
    for tier, pattern in _PATTERNS:
        if tier == 2 and not expect_time:
            break
        if best is not None and best[0] < tier:
            break
        for m in pattern.finditer(low):
            found = _candidate(tier, m, low, expect_time, evening_bias)
            if found is not None and (best is None or (tier, m.start()) < best[:2]):
                best = (tier, m.start(), found)
    return best[2] if best else None


def _candidate(
    tier: int, m: re.Match[str], low: str, expect_time: bool, evening_bias: bool
) -> TimeMatch | None:
    before = low[: m.start()]
    if _NEGATED_RE.search(before):
        return None
    groups = m.groupdict()
    span = m.group(0).strip()
    if groups.get("twelve"):
        # "quarter to midnight" is 11:45 pm, "half past midnight" 12:30 am
        hour, minute = _relative(groups["rel"], groups.get("mins"), 12)
        side = _TWELVE_SIDE[groups["twelve"] == "midnight", hour == 12]
        value = _resolve(hour, minute, side, None, False) if hour > 0 else None
        return TimeMatch(value, span, True) if value is not None else None
    if groups.get("noon"):
        word = groups["noon"]
        return TimeMatch(dt.time(0 if word == "midnight" else 12, 0), span, True)
    if (
        tier == 1
        and m.group(0).startswith("for")
        and (not expect_time or _FOR_COUNT_RE.search(before))
    ):
        return None
    if tier == 2 and _COUNT_BEFORE_RE.search(before):
        return None
    if groups.get("glued") and (_COUNT_BEFORE_RE.search(before) or not _BOOKING_RE.search(low)):
        return None
    hour = int(groups["h"])
    minute = int(groups.get("m") or groups.get("glued") or 0)
    if groups.get("half"):
        minute = 30
    if groups.get("rel"):
        hour, minute = _relative(groups["rel"], groups.get("mins"), hour)
        if hour < 0:
            return None
    ap = groups.get("ap")
    period = groups.get("per") or groups.get("per2")
    value = _resolve(hour, minute, ap, period, evening_bias)
    if value is None:
        return None
    explicit = bool(ap or period) or hour >= 13 or hour == 0
    return TimeMatch(value, span, explicit)


# am or pm of a time minutes either side of midnight (True) or noon, by whether its hour is 12
_TWELVE_SIDE = {(True, True): "a", (True, False): "p", (False, True): "p", (False, False): "a"}


def _relative(rel: str, mins: str | None, hour: int) -> tuple[int, int]:
    if hour < 1 or hour > 12:
        return -1, 0
    if rel.startswith("half"):
        return hour, 30
    delta = 15 if rel.startswith("quarter") else int(mins or 0)
    if not 0 < delta < 60:
        return -1, 0
    if delta % 5 and "minute" not in rel:
        return -1, 0  # "ten to nine", never "9 to 9" (a range, or digits of a number)
    if rel.endswith(("past", "after")):
        return hour, delta
    return (hour - 2) % 12 + 1, 60 - delta


def _resolve(
    hour: int, minute: int, ap: str | None, period: str | None, evening_bias: bool
) -> dt.time | None:
    if hour > 23 or minute > 59:
        return None
    if hour >= 13 or hour == 0:
        return dt.time(hour, minute)
    if ap == "a":
        return dt.time(0 if hour == 12 else hour, minute)
    if ap == "p":
        return dt.time(hour if hour == 12 else hour + 12, minute)
    if period is not None:
        if period == "noon":
            return dt.time(12, minute) if hour == 12 else None
        if period == "morning":
            return dt.time(hour, minute)
        if period == "afternoon":
            return dt.time(hour if hour == 12 else hour + 12, minute)
        return dt.time(0 if hour == 12 else hour + 12, minute)
    if hour == 12:
        return dt.time(12, minute)
    if evening_bias or hour <= 9:
        return dt.time(hour + 12, minute)
    return dt.time(hour, minute)
