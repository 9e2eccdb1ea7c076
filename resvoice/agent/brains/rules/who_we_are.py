"""A caller checking they rang the right place: "Is this the restaurant?", "Am I speaking to
Olive and Ember?", "Olive and something?". The host says who they are; the restaurant's own
name is not a question about the dish that shares a word with it (the Marinated Olives)."""

from __future__ import annotations

import re

from resvoice.agent.brains.rules.asking import asks_outright
from resvoice.agent.brains.rules.menu_talk import read_menu_question
from resvoice.agent.brains.rules.menu_words import words
from resvoice.restaurant.profile import RestaurantProfile

__all__ = ["asked_besides", "asks_who_we_are", "names_us", "who_we_are"]


def asks_who_we_are(profile: RestaurantProfile, text: str, *, opening: bool = False) -> bool:
    """True when `text` asks whether this is the restaurant (by "restaurant" or its name).

    With `opening` (the caller's first words of the call) any "is this ...?" counts: someone
    who just rang and asks "is this all in November?" is checking the number, whatever the
    recogniser made of the name (`names_us` says whether they named us)."""
    if opening and any(
        read_menu_question(profile, m.group(0)) is None for m in _OPENING_RE.finditer(text)
    ):
        return True
    return names_us(profile, text)


def names_us(profile: RestaurantProfile, text: str) -> bool:
    """True when `text` asks whether this is the restaurant by "restaurant" or its name."""
    for m in _CHECK_RE.finditer(text):
        said = words(m.group("what"))
        if said & _PLACE or said & _name_words(profile):
            return True
    # "Olive and something?": the name half-remembered, as a question of its own
    return any(
        words(part) & _name_words(profile) and _HALF_RE.search(part)
        for part in re.split(r"(?<=[.?!])\s+", text)
    )


def asked_besides(profile: RestaurantProfile, text: str) -> str:
    """What the turn asks besides who we are ("Is this Olive and Ember? Do you have
    parking?" -> "Do you have parking?"), or "" when it asks nothing else."""
    rest = " ".join(
        part
        for part in re.split(r"(?<=[.?!])\s+", text.strip())
        if part and not asks_who_we_are(profile, part)
    )
    return rest if asks_outright(rest) else ""


def who_we_are(profile: RestaurantProfile, *, named: bool = True) -> str:
    """Who answered: "Yes, this is ..." when the caller named us, else only "This is ..."."""
    return f"{'Yes, this' if named else 'This'} is {profile.restaurant.name}."


def asks_if_a_machine(text: str) -> bool:
    """ "Am I talking to a robot?", "Are you a real person?", "Is this automated?": asked
    plainly, it is answered plainly (a request for a person is not a question about us)."""
    return bool(_MACHINE_RE.search(text))


def a_machine_answers(profile: RestaurantProfile) -> str:
    """The honest answer: an automated assistant, what it can do, and a person on request."""
    return (
        f"I'm {profile.restaurant.name}'s automated assistant. I can book a table or answer "
        "questions, and I can put you through to a member of our team if you'd prefer."
    )


_MACHINE_RE = re.compile(
    r"\b(?:am\s+i\s+(?:talking|speaking)\s+(?:to|with)|are\s+you|is\s+(?:this|that|it))\s+"
    r"(?:a\s+|an\s+|just\s+a\s+)?(?:robot|bot|machine|computer|recording|automated|"
    r"ai\b|artificial|answering\s+machine|real\s+(?:person|human)|human\b|person\b)",
    re.IGNORECASE,
)


def _name_words(profile: RestaurantProfile) -> frozenset[str]:
    return frozenset(words(profile.restaurant.name) - _FILLER)


_CHECK_RE = re.compile(
    r"\b(?:is\s+(?:this|that)|am\s+i\s+(?:speaking|talking)\s+(?:to|with)|"
    r"have\s+i\s+(?:reached|got|called|dialled|dialed)|did\s+i\s+(?:reach|get|call|dial)|"
    r"i'?m\s+(?:calling|ringing|trying\s+to\s+reach))\s+(?P<what>[^.?!,]{1,40})",
    re.IGNORECASE,
)
# "Hi, is this all in November?" as a sentence of its own (not "is this dish spicy?")
_OPENING_RE = re.compile(
    r"(?:^|[.?!]\s+)(?:(?:hi|hello|hey|oh|um|uh|yes|yeah)\W+)*(?:is\s+(?:this|that)|"
    r"am\s+i\s+(?:speaking|talking)\s+(?:to|with)|have\s+i\s+(?:reached|got|called))\s+"
    r"(?P<what>[^.?!,]{1,40})\?",
    re.IGNORECASE,
)
_HALF_RE = re.compile(r"\b(?:and|&)\s+(?:something|whatever|what's\s+it|um+)\b\W*\??\s*$", re.I)
_PLACE = frozenset({"restaurant", "right", "place"})
_FILLER = frozenset({"and", "the", "of", "a", "restaurant", "cafe", "bar", "kitchen"})
