"""How many people a caller books for: "party of four", "me and my wife", "2 adults and 2 kids"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import words_to_digits

__all__ = ["PartyMatch", "parse_party_size"]


@dataclass(frozen=True, slots=True)
class PartyMatch:
    """A party size found in text; `strong` when a people word or "party of" names it."""

    value: int
    text: str
    strong: bool


def parse_party_size(text: str, *, expect_party_size: bool = False) -> PartyMatch | None:
    """Find how many people the caller books for.

    "party of four", "for 4 people", "table for two", "just the two of us", "me and my wife",
    "2 adults and 2 kids" (parts are summed). A plain "for 4" counts unless a time
    follows the number ("for 7:30", "for 7pm"); a bare "four" counts only when
    `expect_party_size` (the agent just asked how many).

    Returns:
        The first, most certain mention, or None.
    """
    low = words_to_digits(text).lower()
    parts = [(int(m.group("n")), m) for m in _PART_RE.finditer(low)]
    if len(parts) > 1:
        first, last = parts[0][1], parts[-1][1]
        total = sum(n for n, _ in parts)
        return PartyMatch(total, low[first.start() : last.end()], True) if total > 0 else None
    for strong, pattern in _PARTY_PATTERNS:
        if pattern is _BARE_RE and not expect_party_size:
            continue
        if pattern is _COMPANION_RE and not (expect_party_size or _BOOKING_RE.search(low)):
            continue
        for m in pattern.finditer(low):
            if not strong and _SEARCHING_RE.search(low[: m.start()]):
                continue
            value = _party_value(m)
            # an explicit zero ("a table for zero people") is kept so validation can say why
            if value is not None and (value > 0 or (strong and value == 0)) and value <= _MAX_PARTY:
                return PartyMatch(value, m.group(0).strip(), strong)
    return None


_MAX_PARTY = 200
_N = r"(?P<n>\d{1,3})"
_PEOPLE = (
    r"(?:people|persons?|peeps|guests?|adults?|pax|ppl|diners|heads|covers|seats|"
    r"of\s+us|folks|friends|individuals|members|ladies|gentlemen|guys|girls)"
)
_NOT_TIME = (
    r"(?![:.]\d|\d|\s*(?:a\.?m\b|p\.?m\b|o\W?\s?clock|at\s+night|"
    r"(?:in\s+the\s+|at\s+)?(?:morning|afternoon|evening|night)\b(?!\s+(?:at\s+)?\d)|"
    r"(?:st|nd|rd|th)\b|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|dollars|bucks|"
    r"stars?|percent|miles?|blocks?|of\s+(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|this|next)\b))"
)
_PART_RE = re.compile(
    r"\b(?P<n>\d{1,2})\s+(?:adults?|kids|children|child|toddlers?|babies|baby|infants?|"
    r"seniors?|teens|teenagers)\b"
)
_BARE_RE = re.compile(
    rf"^\W*(?:(?:um+|uh+|so|yeah|yes|ok(?:ay)?|well|it's|it\s+is|it'll\s+be|there's|"
    rf"just|only|oh|we'?ll\s+be|we\s+are|we're|about|maybe|probably|like|sorry|actually|no|"
    rf"make\s+(?:it|that)|change\s+(?:it|that)\s+to|i\s+meant|i\s+mean)\W+)*{_N}\b{_NOT_TIME}"
    r"(?:\W+(?:please|thanks|thank\s+you|total|altogether|in\s+total|all\s+together|i\s+think|"
    r"maybe|probably|then|now|instead|actually))*\W*$"
)
_COMPANION_RE = re.compile(
    r"\b(?P<two>(?:me|myself)\s+and\s+my\s+(?:wife|husband|partner|girlfriend|boyfriend|"
    r"date|friend|son|daughter|mom|mother|dad|father|fianc[eé]e?|spouse)|"
    r"my\s+(?:wife|husband|partner|girlfriend|boyfriend|date|friend|fianc[eé]e?|spouse)\s+"
    r"and\s+(?:i|me)|(?:for\s+)?a\s+couple(?!\s+of\s+(?:days|weeks|hours|minutes)))\b"
)
_BOOKING_RE = re.compile(r"\b(?:table|reserv\w*|book\w*|party|seats?|come\s+in|space|room)\b")
_SEARCHING_RE = re.compile(r"\b(?:look|looking|search|searching|find|finding|hunt)\s+(?:for\s+)?$")
_PARTY_PATTERNS: tuple[tuple[bool, re.Pattern[str]], ...] = (
    (True, re.compile(rf"\b{_N}\s+(?:more\s+|other\s+|total\s+)?{_PEOPLE}\b")),
    (
        True,
        re.compile(rf"\b(?:seat|seats|accommodate|fit|feed)\s+(?:up\s+to\s+)?{_N}\b{_NOT_TIME}"),
    ),
    (
        True,
        re.compile(
            rf"\b(?:party|group|table|reservation|booking|seating|seats?|spots?|room)\s+"
            rf"(?:of|for)\s+(?:a\s+|about\s+|like\s+|just\s+)?{_N}\b{_NOT_TIME}"
        ),
    ),
    (
        True,
        re.compile(
            rf"\b(?:we\s+are|we're|we'll\s+be|we\s+will\s+be|there\s+(?:are|will\s+be|'ll\s+be)|"
            rf"there'll\s+be|it's\s+going\s+to\s+be|total\s+of|count\s+of|"
            rf"number\s+of\s+(?:people|persons|guests|seats|diners)\s+(?:is|will\s+be|would\s+be|:)?)\s+"
            rf"(?:just\s+|only\s+|about\s+)?{_N}\b{_NOT_TIME}"
        ),
    ),
    (
        True,
        re.compile(
            r"\b(?P<one>just\s+(?:me|myself|for\s+me|for\s+myself)|only\s+me|by\s+myself|"
            r"the\s+only\s+1\s+(?:going|coming|eating|dining|attending)|"
            r"on\s+my\s+own|solo|alone)\b"
        ),
    ),
    (
        False,
        re.compile(
            rf"\bfor\s+(?:just\s+|only\s+|about\s+)?{_N}\b{_NOT_TIME}"
            r"(?!\s+(?:that|which|nice|place|restaurant|good|similar|of\s+(?:them|those|these))\b)"
        ),
    ),
    (False, _COMPANION_RE),
    (False, _BARE_RE),
)


def _party_value(m: re.Match[str]) -> int | None:
    groups = m.groupdict()
    if groups.get("one"):
        return 1
    if groups.get("two"):
        return 2
    return int(groups["n"])
