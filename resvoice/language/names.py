"""Find the name a reservation goes under ("my name is John Smith", "under Garcia", "S M I T H")."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NameMatch", "extract_name", "spelled_name"]


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A person's name, title-cased; `spelled` when the caller spelled it letter by letter."""

    value: str
    text: str
    spelled: bool = False


_NAME_WORD = r"[A-Za-z][A-Za-z'’-]*"
_CUED_RE = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name's|name\s+is|name's|names\s+is|names(?=\s+[A-Z])|the\s+name\s+is|name:?|"
    r"(?:last|first|sur|family)\s*name\s+is|this\s+is|it's\s+under|its\s+under|"
    r"it\s+is\s+under|under\s+the\s+name(?:\s+of)?|under\s+name|put\s+it\s+under|"
    r"reservation\s+under|booked\s+under|booking\s+under|under|call\s+me|i'm|i\s+am|"
    r"speaking\s+with|you're\s+speaking\s+to|(?P<weak>it's|its|it\s+is))\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})",
    re.IGNORECASE,
)
# Cues strong enough that a lower-case name after them is still a name.
_STRONG_CUE_RE = re.compile(r"name|under|call\s+me", re.IGNORECASE)
_LEADING_RE = re.compile(r"^\s*(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){0,2})\s*,")
_SPELLED_RE = re.compile(r"(?<![A-Za-z])(?:[A-Za-z](?:[\s.,-]+|$)){2,}")
_BARE_RE = re.compile(
    rf"^\W*(?:(?:yes|yeah|sure|ok|okay|it's|its|it\s+is|that's|that\s+is|um+|uh+|oh|so|"
    rf"the\s+name\s+is|name's|just)\W+)*(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    r"(?:\W+(?:please|thanks|thank\s+you))?\W*$",
    re.IGNORECASE,
)
_BOOKING_CUE_RE = re.compile(
    r"\b(?:party|table|people|persons?|reservation|book|tonight|tomorrow|today|at\s+\d|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d)\b",
    re.IGNORECASE,
)
_STOP_WORDS = """
    a an the and or but for of to at on in by with from is are was be it its it's this that
    yes yeah yep yup no nope nah hi hello hey high ok okay sure thanks thank please sorry actually
    well um uh oh so just right alright great perfect fine good cool awesome wonderful
    i me my we us our you your he she they them his her their
    table booking reservation reserve book party people person persons guests tonight today
    tomorrow morning afternoon evening night noon lunch dinner breakfast brunch time date
    monday tuesday wednesday thursday friday saturday sunday weekend week month
    january february march april may june july august september october november december
    calling looking wondering trying hoping going here there not also still only
    one two three four five six seven eight nine ten eleven twelve dozen couple
    correct wrong fine free available open closed done finished ready interested new
    name number phone email cancel change confirm make need want like would could can will
"""
_STOP: frozenset[str] = frozenset(_STOP_WORDS.split())
_FILLER_TAIL: frozenset[str] = frozenset(
    (
        "and",
        "for",
        "at",
        "on",
        "in",
        "with",
        "please",
        "thanks",
        "from",
        "to",
        "party",
        "table",
        "i",
        "calling",
        "here",
    )
)


def extract_name(text: str, *, expect_name: bool = False) -> NameMatch | None:
    """Find the caller's name, title-cased, or None.

    Args:
        text: the caller's words.
        expect_name: the agent just asked for a name, so a bare "John Smith" is one.
    """
    spelled = _spelled(text)
    cued = _cued(text, expect_name)
    if spelled is not None and (expect_name or cued is not None):
        return spelled
    if cued is not None:
        return cued
    leading = _LEADING_RE.match(text)
    if leading and (expect_name or _BOOKING_CUE_RE.search(text[leading.end() :])):
        name = _clean(leading.group("name"), need_capital=True)
        if name:
            return NameMatch(name, leading.group("name"))
    if expect_name:
        bare = _BARE_RE.match(text)
        if bare:
            name = _clean(bare.group("name"), need_capital=False)
            if name:
                return NameMatch(name, bare.group("name"))
    return None


def spelled_name(text: str) -> NameMatch | None:
    """A name spelled letter by letter anywhere in `text` ("N O V A K", "n-o-v-a-k"): how a
    caller corrects a name the agent read back wrong."""
    return _spelled(text)


def _cued(text: str, expect_name: bool) -> NameMatch | None:
    for m in _CUED_RE.finditer(text):
        if m.group("weak") and not expect_name:
            continue
        cue = m.group(0)[: m.start("name") - m.start()]
        strong = _STRONG_CUE_RE.search(cue) is not None
        name = _clean(m.group("name"), need_capital=not strong)
        if name:
            return NameMatch(name, m.group("name"))
    return None


def _spelled(text: str) -> NameMatch | None:
    for m in _SPELLED_RE.finditer(text):
        letters = re.sub(r"[^A-Za-z]", "", m.group(0))
        if len(letters) >= 3 or (len(letters) == 2 and letters.isupper() and "I" not in letters):
            return NameMatch(letters.capitalize(), m.group(0).strip(" ,.-"), spelled=True)
    return None


def _clean(raw: str, *, need_capital: bool) -> str | None:
    """Keep the leading words that look like a name; refuse stop words and numbers."""
    words: list[str] = []
    for word in raw.split():
        bare = word.strip("'’-")
        if bare.lower() in _STOP or bare.lower() in _FILLER_TAIL:
            break
        if need_capital and not bare[:1].isupper():
            break
        words.append(bare)
    if not words:
        return None
    return " ".join(_title(w) for w in words)


def _title(word: str) -> str:
    """ "o'brien" -> "O'Brien", "smith-jones" -> "Smith-Jones", "McDonald" kept."""
    if any(c.isupper() for c in word[1:]) and word[:1].isupper():
        return word
    parts = re.split(r"(['’-])", word.lower())
    return "".join(p.capitalize() if len(p) > 1 or p.isalpha() else p for p in parts)
