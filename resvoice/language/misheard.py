"""Booking words as speech-to-text mishears them, read as the caller meant them.

Whisper tiny.en writes words it half hears as other common words: "cancel my reservation" comes
back "cancel my renovation", "cancel my working", "on my Saturday working", "I have a
reformation on Friday", "I have renovation", "add two more people to my book in", "I'd like to
work a table", "please work it"; "one person" comes back "1%", "instead of four" "instead on
4", "five of us" "5 on us"; "cancel tomorrow" comes back "Council tomorrow", "did we book for"
"did we look for", "an hour later" "in our later", "squeeze in two more" "squeeze into more",
"just ringing to confirm" "just bringing to confirm", "Hiya," "Higher,"; casual
"gonna"/"wanna" are "going to"/"want to". In a call to a restaurant those readings mean nothing
else, so the rules brain reads them as the words they were; only inside the phrase where they
occur ("my renovation", "work a table", a single digit's "%" not followed by money words),
never a word alone.
"""

from __future__ import annotations

import re

__all__ = ["as_meant"]


def as_meant(text: str) -> str:
    """`text` with misheard booking words read as meant ("my renovation" -> "my
    reservation", "work a table" -> "book a table"); anything else unchanged."""
    text = _CASUAL_RE.sub(lambda m: _CASUAL[m.group(0).lower()], text)
    text = _RESERVATION_RE.sub(r"\g<lead>reservation", text)
    text = _BOOK_IN_RE.sub(r"\g<lead>booking", text)
    text = _PERCENT_PERSON_RE.sub(r"\g<n> person", text)
    text = _INSTEAD_ON_RE.sub("instead of ", text)
    text = _BOOKING_RE.sub(r"\g<verb>\g<lead>booking", text)
    text = _CANCEL_RE.sub("cancel", text)
    text = _HIYA_RE.sub("Hiya", text)
    text = _RINGING_RE.sub("ringing ", text)
    text = _DID_WE_BOOK_RE.sub(r"\g<who> book\g<ed> for", text)
    text = _AN_HOUR_RE.sub(r"an hour \g<way>", text)
    text = _OF_US_RE.sub(r"\g<n> of us", text)
    text = _IN_TWO_MORE_RE.sub(r"\g<verb> in two more", text)
    return _BOOK_RE.sub(lambda m: ("Book" if m.group(0)[0].isupper() else "book") + m["rest"], text)


_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_RESERVATION_RE = re.compile(
    r"(?P<lead>\b(?:my|our|a|the|your|his|her|their|that|(?:i|we)\s+(?:have|had|made|got))\s+"
    rf"(?:{_WEEKDAY}'?s?\s+)?)"
    r"(?:renovations?|reformations?|restorations?|registrations?|preservations?|reservoirs?)\b",
    re.IGNORECASE,
)
# casual speech as written out: "we're gonna be late", "I wanna book"
_CASUAL = {"gonna": "going to", "wanna": "want to", "gotta": "got to"}
_CASUAL_RE = re.compile(r"\b(?:gonna|wanna|gotta)\b", re.IGNORECASE)
_BOOK_IN_RE = re.compile(r"(?P<lead>\b(?:my|our|the|your|this|that)\s+)book\s+in\b", re.I)
# "one person can't come" written "1% can't come"; "10% service charge" and "5% off" are kept
_PERCENT_PERSON_RE = re.compile(
    r"(?<![\d.])\b(?P<n>[1-9])\s?%(?!\s*(?:off|discount|service|tip|gratuity|charge|of\b))",
    re.IGNORECASE,
)
_INSTEAD_ON_RE = re.compile(
    r"\binstead\s+on\s+(?=\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)", re.I
)
_BOOKING_RE = re.compile(  # "cancel my working", "change our working"
    r"(?P<verb>\b(?:cancel|change|move|check|confirm|about|with|for|to|on)\s+)"
    r"(?P<lead>(?:my|our|the|this|that)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?)"
    r"working\b",
    re.IGNORECASE,
)
_BOOK_RE = re.compile(
    r"\b(?:work|walk|look|cook)(?P<rest>\s+(?:a|me\s+a|us\s+a)\s+table\b|\s+it\s*(?:please\b|\W*$))",
    re.IGNORECASE,
)

# "Council tomorrow." / "counsel my booking": cancel, before what is cancelled or as first word
_CANCEL_RE = re.compile(
    r"(?:^\W*|\b)(?:council|counsel)(?=\s+(?:my|our|the|it|this|that|tomorrow|tonight|today|"
    rf"{_WEEKDAY}|booking|reservation|table)\b)|^\W*\b(?:council|counsel)\b(?=\W*$)",
    re.IGNORECASE,
)
_HIYA_RE = re.compile(r"^\W*\bhigher\b(?=\s*[,!.])", re.IGNORECASE)  # "Hiya," as the greeting
_RINGING_RE = re.compile(  # "just bringing to confirm tomorrow"
    r"\bbringing\s+(?=(?:to|about)\s+(?:confirm|check|cancel|change|move|ask|say|let|see)\b)",
    re.IGNORECASE,
)
_DID_WE_BOOK_RE = re.compile(  # "did we look for 7 or half 7?"
    r"\b(?P<who>(?:did|have|had)\s+(?:we|i))\s+look(?P<ed>ed)?\s+for\b", re.IGNORECASE
)
_AN_HOUR_RE = re.compile(r"\bin\s+(?:our|hour)\s+(?P<way>later|earlier)\b", re.IGNORECASE)
_OF_US_RE = re.compile(  # "make it 5 on us instead of 4"
    r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+on\s+us\b", re.IGNORECASE
)
_IN_TWO_MORE_RE = re.compile(  # "squeeze into more": "squeeze in two more"
    r"\b(?P<verb>squeeze|fit|get|add)(?:\s+(?:us|them))?\s+into\s+more\b", re.IGNORECASE
)
