"""Words for the phone: times and lists as a person says them. One place for both the agent's
replies and the restaurant documents it reads out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def speak_time(value: dt.time, *, am: str = "AM", pm: str = "PM") -> str:
    """'7 PM', '7:30 PM', 'noon', 'midnight'; `am`/`pm` choose the suffixes' spelling."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "noon"
    hour = value.hour % 12 or 12
    suffix = am if value.hour < 12 else pm
    return f"{hour} {suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d} {suffix}"


def join_words(items: Sequence[str], word: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c' (or 'a, b or c' with word='or')."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
