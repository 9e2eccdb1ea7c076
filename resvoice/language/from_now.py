"""A table asked for relative to now: "right now", "in 20 minutes", "in half an hour"."""

from __future__ import annotations

import datetime as dt
import re

from .numbers import words_to_digits

__all__ = ["from_now"]

_NOW = re.compile(
    # "that's right now" / "all right now" is agreement, not a table now
    r"\b(?:(?<!\bthat's\s)(?<!\bthats\s)(?<!\bis\s)(?<!\ball\s)right\s+now|right\s+away|"
    r"straight\s+away|(?<!\bright\s)now(?:\s+(?:please|if\s+possible))?\s*[?.!]?$|"
    r"(?:at\s+the\s+)?moment\s*[?.!]?$|walk(?:ing)?\s+in\s+now|come\s+(?:in\s+|over\s+|by\s+)?now|"
    r"immediately|asap|as\s+soon\s+as\s+(?:possible|you\s+can|we\s+can))\b",
    re.IGNORECASE,
)
_IN = re.compile(
    r"\bin\s+(?:(?:about|around|like|roughly|maybe|another)\s+)?"
    r"(?:(?P<half>half\s+an?\s+hour)|(?P<quarter>(?:a\s+)?quarter\s+of\s+an?\s+hour)|"
    r"(?P<hour>an\s+hour(?:\s+and\s+a\s+half)?|(?P<hours>\d{1,2})\s+hours?)|"
    r"(?P<minutes>\d{1,3})\s+(?:minutes?|mins?))\b",
    re.IGNORECASE,
)


def from_now(text: str) -> dt.timedelta | None:
    """How long from now the caller wants the table, or None when they give no such time.

    "right now", "as soon as possible" are zero; "in 20 minutes", "in half an hour", "in an
    hour and a half" their length. "we'll be there in 10 minutes" about a booking they hold is
    the caller's business, not this function's.
    """
    low = words_to_digits(text).lower()
    match = _IN.search(low)
    if match is not None:
        if match["half"]:
            return dt.timedelta(minutes=30)
        if match["quarter"]:
            return dt.timedelta(minutes=15)
        if match["minutes"]:
            return dt.timedelta(minutes=int(match["minutes"]))
        if match["hours"]:
            return dt.timedelta(hours=int(match["hours"]))
        return dt.timedelta(minutes=90 if "half" in match["hour"] else 60)
    return dt.timedelta(0) if _NOW.search(low) else None
