"""Words for the phone: times and lists as a person says them. One place for both the agent's
replies and the restaurant documents it reads out."""

from __future__ import annotations

import datetime as dt
import re
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


def speak_note(note: str) -> str:
    """A booking's stored note as it is said: "allergy: nut, high chair" -> "a nut allergy and
    a high chair"; "celebration: engagement" -> "an engagement celebration". Stored notes keep
    their labels (staff and transcripts read them); a caller hears what was noted in words."""
    items = [item.strip() for item in re.split(r"[;,]\s*", note) if item.strip()]
    if not items or any(len(item.split()) > 5 for item in items):
        return note.strip()  # a caller's own sentence: said as they put it
    return join_words([_spoken_item(item) for item in items])


def _spoken_item(item: str) -> str:
    label, _, value = item.partition(":")
    if value.strip() and label.strip().lower() in ("allergy", "celebration"):
        item = f"{value.strip()} {label.strip().lower()}"
    words = item.lower().split()
    if (
        len(words) <= 3
        and words[-1] in _COUNTED
        and not re.match(r"(?i)(?:a|an|the|my|our)\b", item)
    ):
        return f"{'an' if item[:1].lower() in 'aeiou' else 'a'} {item}"
    return item  # "vegan", "wheelchair access", a caller's own words


_COUNTED = frozenset(
    ["seat", "chair", "allergy", "celebration", "birthday", "anniversary", "table", "booth"]
)
"""The last words of the notes said with "a": "a high chair", "a nut allergy"."""
