"""Which meal a caller means ("for lunch", "tomorrow evening"), whether they ask for the
earliest or the latest table ("what's the latest you have?", "as early as possible"), and a
time the table must come before or after ("anything earlier than 6?", "after 8")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from resvoice.language.times import parse_time

__all__ = ["Bound", "Edge", "Meal", "edge_asked", "meal_asked", "time_bound"]

Meal = Literal["breakfast", "brunch", "lunch", "dinner"]
Edge = Literal["earliest", "latest"]
Bound = Literal["before", "after"]

_MEALS: tuple[tuple[Meal, re.Pattern[str]], ...] = (
    ("brunch", re.compile(r"\bbrunch\b", re.IGNORECASE)),
    ("breakfast", re.compile(r"\b(?:breakfast|in\s+the\s+morning|morning)\b", re.IGNORECASE)),
    (
        "lunch",
        re.compile(
            r"\b(?:lunch(?:time)?|luncheon|midday|mid-day|in\s+the\s+afternoon|afternoon)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "dinner",
        re.compile(
            r"\b(?:dinner|supper|tonight|evening|at\s+night|(?:tomorrow|friday|saturday|sunday|"
            r"monday|tuesday|wednesday|thursday)\s+night)\b",
            re.IGNORECASE,
        ),
    ),
)
# "what's on the lunch menu" is about food, not about when; "good evening" is a greeting
_NOT_A_TIME = re.compile(
    r"\b(?:lunch|dinner|brunch|breakfast)\s+(?:menu|specials?|prices?|dishes|options)\b|"
    r"\bgood\s+(?:morning|afternoon|evening|night)\b",
    re.IGNORECASE,
)
_EDGE_NOUN = r"(?:time|table|slot|booking|reservation|seating|sitting|spot|opening)"
_LATEST = re.compile(
    r"\b(?:what(?:'s|\s+is)\s+(?:the\s+)?(?:latest|last)\b|how\s+late\s+(?:can|could|do)\b|"
    rf"(?:the\s+)?latest\s+(?:{_EDGE_NOUN}|you\s+(?:have|can|could|do|take)|i\s+can|we\s+can|"
    r"possible|available|free|for)|as\s+late\s+as\s+(?:possible|you\s+can|you've\s+got)|"
    rf"last\s+(?:available\s+)?{_EDGE_NOUN}\s+(?:you\s+have|available|free|possible|for|on|that)"
    r")",
    re.IGNORECASE,
)
_EARLIEST = re.compile(
    r"\b(?:what(?:'s|\s+is)\s+(?:the\s+)?(?:earliest|first)\b|how\s+early\s+(?:can|could|do)\b|"
    rf"(?:the\s+)?earliest\s+(?:{_EDGE_NOUN}|you\s+(?:have|can|could|do|take)|i\s+can|we\s+can|"
    r"possible|available|free|for)|as\s+early\s+as\s+(?:possible|you\s+can|you've\s+got)|"
    r"as\s+soon\s+as\s+(?:possible|you\s+(?:can|open))|"
    rf"first\s+(?:available\s+)?{_EDGE_NOUN}\s+(?:you\s+have|available|free|possible|for|on|that)"
    r")",
    re.IGNORECASE,
)


def meal_asked(text: str) -> Meal | None:
    """The meal a caller books for or asks about ("a table for lunch" -> "lunch"), or None.

    "tonight" and "this evening" are dinner; a menu question ("the lunch menu") is no meal time.
    """
    cleaned = _NOT_A_TIME.sub(" ", text)
    return next((meal for meal, pattern in _MEALS if pattern.search(cleaned)), None)


def edge_asked(text: str) -> Edge | None:
    """ "latest" or "earliest" when the caller asks for the edge of the day's free times."""
    if _LATEST.search(text):
        return "latest"
    if _EARLIEST.search(text):
        return "earliest"
    return None


def time_bound(text: str, *, evening_bias: bool = True) -> tuple[Bound, dt.time] | None:
    """ "Anything earlier than 6?" -> ("before", 18:00); "after 8", "no earlier than 8" ->
    ("after", 20:00); None when no time bounds the table asked for."""
    m = _BOUND.search(text)
    if m is None:
        return None
    said = parse_time(f"at {m.group('time')}", expect_time=True, evening_bias=evening_bias)
    if said is None:
        return None
    kind: Bound = "after" if m.group("after") else "before"
    return kind, said.value


_BOUND = re.compile(
    r"\b(?:(?P<before>earlier\s+than|sooner\s+than|before|no\s+later\s+than)|"
    r"(?P<after>later\s+than|after|no\s+earlier\s+than))\s+"
    r"(?P<time>(?:\d{1,2}(?::\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|noon)(?:\s*(?:[ap]\.?m\.?|o'?clock|thirty))?)\b(?!\s*(?:people|guests|of\s+us))",
    re.IGNORECASE,
)
"""A clock time the table should come before or after."""
