"""A value swapped for one already said: "eight instead of seven", "half eight, not seven".

Callers change a booking detail by naming the new value beside the old one, without saying
which detail it is ("could we do eight instead of seven?"). `swapped` finds such a pair; the
caller of it decides, from what is already on the booking, whether the old value was the hour
or the head count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .numbers import words_to_digits
from .times import parse_time

__all__ = ["Swap", "swapped"]


@dataclass(frozen=True, slots=True)
class Swap:
    """`new` in place of `old`; `time` is `new` read as a clock time (None when it cannot be
    one), `count` the bare number of `new` (None when it is not a whole number 1-99)."""

    old: int
    time: dt.time | None
    count: int | None


def swapped(text: str, *, evening_bias: bool = True) -> Swap | None:
    """The new value and the old number it replaces, or None when the words name no swap."""
    spoken = words_to_digits(text)
    m = _SWAP_RE.search(spoken)
    if m is None:
        return None
    new = m.group("new").strip()
    found = parse_time(new, expect_time=True, evening_bias=evening_bias)
    count = int(new) if new.isdigit() and 0 < int(new) < 100 else None
    return Swap(old=int(m.group("old")), time=found.value if found else None, count=count)


_NEW = (
    r"(?P<new>(?:half\s+(?:past\s+)?)?\d{1,2}(?::\d\d|\s+\d\d|\s+thirty|\s+fifteen|\s+forty[\s-]five)?"
    r"(?:\s*(?:pm|p\.m\.|am|a\.m\.|o'?clock))?)"
)
_SWAP_RE = re.compile(
    rf"\b{_NEW}\s*,?\s+(?:instead\s+of|rather\s+than|not)\s+(?:at\s+)?(?P<old>\d{{1,2}})\b"
    r"(?![:\d])",
    re.IGNORECASE,
)
