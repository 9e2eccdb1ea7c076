"""What the existing-booking policy reads in a caller's words: where a move names its target,
head counts said outright or relative to the booking, notes, declines, choices among offers.

Patterns and small readers for `manage.py`; the intents themselves are `booking_intents.py`,
the slots (dates, times, names, numbers) `resvoice.language`.
"""

from __future__ import annotations

import datetime as dt
import re

from resvoice.language.numbers import parse_number

MOVE_VERB = re.compile(
    r"\b(?:move|moved|moving|change|changed|changing|reschedul\w*|switch\w*|shift\w*|push\w*|"
    r"bump\w*|postpone\w*|bring|brought|come|arrive|swap\w*|delay)\b(?!\s+up\b)",
    re.IGNORECASE,
)
RELATIVE_PARTY = re.compile(
    r"\b(\w+|\d+)\s+(?:more|extra|additional|fewer|less)\b|\b(another|one\s+more|an\s+extra)\s+"
    r"(?:person|guest|friend|adult|one)\b|\b(?:add|adding|bring|bringing)\s+(\w+|\d+)\s+"
    r"(?:people|persons?|guests?)\b|\b(\w+|\d+)\s+(?:people|persons?|guests?|of\s+us)\s+"
    r"(?:can'?t|cannot|won'?t|will\s+not)\s+(?:come|make)",
    re.IGNORECASE,
)
FEWER = re.compile(
    r"\b(?:fewer|less|can'?t\s+(?:come|make)|cannot\s+(?:come|make)|won'?t\s+(?:come|make)|drop)\b",
    re.I,
)
NOTE_TEXT = re.compile(
    r"\b(?:note|request|mention|know)\s*(?:that|:|saying|of)?\s+(?P<note>.+)$|"
    r"\b(?:can|could|may)\s+(?:we|i|you)\s+(?:please\s+)?(?:get|have|add|put|arrange|request|"
    r"reserve)\s+(?P<wish>.+)$",
    re.IGNORECASE,
)
INSTEAD_OF = re.compile(
    r"\b(?:instead\s+of|rather\s+than|not)\s+(?:the\s+|at\s+|on\s+)?[\w:']+(?:\s*(?:pm|am|o'?clock))?|"
    r"\bfrom\s+[\w:']+(?:\s*(?:pm|am|o'?clock))?(?=\s+(?:to|until|till)\b)",
    re.IGNORECASE,
)
NEW_BOOKING = re.compile(r"\b(?:new|make|book|another|fresh)\b", re.IGNORECASE)
EXISTING_ONE = re.compile(
    r"\b(?:already|existing|have\s+one|i\s+booked|we\s+booked|my|our|change|cancel)\b",
    re.IGNORECASE,
)
ABSOLUTE_PARTY = re.compile(
    r"\b(?:we'?ll|we\s+will|we\s+are|we'?re|there'?ll|there\s+will|it'?ll|it\s+will)\s+be\s+"
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    re.IGNORECASE,
)
DECLINE = re.compile(
    r"\b(?:no|nope|don'?t|do\s+not|keep\s+it|leave\s+it|never\s*mind|forget\s+it|not\s+now|"
    r"changed\s+my\s+mind|hold\s+off|wait)\b",
    re.IGNORECASE,
)
WHEN_QUESTION = re.compile(
    r"\b(?:what\s+time|when|what\s+day|which\s+day|what\s+date)\b.*\b(?:is|was|it)\b|"
    r"\bwhat\s+time\b",
    re.IGNORECASE,
)
OTHER_ONE = re.compile(
    r"\b(?:the\s+other\s+(?:one|booking|reservation|table)|that\s+one\s+too|both)\b",
    re.IGNORECASE,
)
PEOPLE = re.compile(r"\b(people|guests|of\s+us|party)\b", re.IGNORECASE)
ORDINAL = re.compile(r"\b(first|earlier|earliest|second|later|latest|last)\b", re.IGNORECASE)
REBOOK = re.compile(r"\b(?:book|rebook|new\s+(?:table|booking|reservation)|another)\b", re.I)


_NEW_WHEN_CUE = re.compile(
    r"\b(?:move|moved|moving|change|changed|switch\w*|reschedul\w*|push\w*|shift\w*|bump\w*|"
    r"postpone\w*|swap\w*|instead|rather|make\s+it|bring\s+it|different\s+(?:day|time|date)|"
    r"later|earlier)\b",
    re.IGNORECASE,
)


def asks_new_when(text: str) -> bool:
    """The words ask for another day or time, so a day said in them may be the new one ("make
    it 4 of us on Saturday instead"); without such a cue the day only says which booking
    ("about our booking on Friday, my mum's coming too")."""
    return _NEW_WHEN_CUE.search(text) is not None


_TIME_ONLY = re.compile(
    r"\b(?:later|earlier|(?:push|pushed|bump|bumped|move|moved|put)\s+(?:\w+\s+){0,3}?back|"
    r"bring\s+(?:\w+\s+){0,3}?forward|(?:another|a\s+different|a\s+later|an\s+earlier)\s+"
    r"(?:time|slot|sitting|seating))\b",
    re.IGNORECASE,
)
_DAY_ONLY = re.compile(
    r"\b(?:another|a\s+different|other)\s+(?:day|date|night|evening)\b|\bnext\s+week\b", re.I
)


def what_moves(text: str) -> str | None:
    """What a move said without its target changes: "time" ("push it back a bit", "a later
    slot"), "day" ("another day"), or None when the words do not say."""
    if _DAY_ONLY.search(text):
        return "day"
    return "time" if _TIME_ONLY.search(text) else None


def identifying_part(text: str, action: str | None) -> str:
    """The words about which booking: before a move's target ("move my Friday one | to 8"), and
    a name given after it ("change my booking to 8pm please, | it's under Julia Stone for
    Thursday")."""
    start = _target_start(text)
    if start is None:
        return text
    named = _NAME_AFTER_TARGET.search(text, start)
    return text[:start] if named is None else f"{text[:start]} {text[named.start() :]}"


_NAME_AFTER_TARGET = re.compile(
    r"\b(?:it'?s\s+(?:booked\s+)?under|booked\s+under|under\s+the\s+name|in\s+the\s+name\s+of|"
    r"the\s+name\s+(?:is|was|on\s+it\s+is)|name'?s|it'?s\s+for)\b",
    re.IGNORECASE,
)


def target_part(text: str) -> str:
    """The words naming what a booking should become."""
    start = _target_start(text)
    if start is not None:
        return text[start:]
    verb = MOVE_VERB.search(text)
    return text if verb is None else text[verb.end() :]


def _target_start(text: str) -> int | None:
    """Where the target begins: the first "to/for/at/instead..." after the last move verb of
    the first sentence that has both ("can we switch our Friday dinner | to Sunday instead?
    Same time is fine."; "Plans changed. Can we swap our Friday dinner | for Sunday?"), else a
    bare "make it/instead" where no sentence has a move verb."""
    offset = 0
    moved = False
    for sentence in _SENTENCE.split(text):
        begin = text.find(sentence, offset)
        offset = begin + len(sentence)
        verbs = list(MOVE_VERB.finditer(sentence))
        if not verbs:
            continue
        moved = True
        target = _TARGET_IN_SENTENCE.search(sentence, verbs[-1].end())
        if target:
            return begin + target.start()
    if moved:
        return None
    bare = _BARE_TARGET.search(text)
    return bare.start() if bare else None


_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_TARGET_IN_SENTENCE = re.compile(
    r"\b(?:to|until|till|instead|for|at|into|onto|like|say|around|maybe|by|over\s+to)\b|"
    r"\bmake\s+it\b",
    re.IGNORECASE,
)
_BARE_TARGET = re.compile(r"\b(?:make\s+it|have\s+it|do)\b(?=[^.?!]*\b(?:instead|rather)\b)", re.I)


_UNDER = re.compile(
    r"\b(?:under|for|in\s+the\s+name\s+(?:of\s+)?|name\s+(?:is|was)\s+|name's|"
    r"this\s+is|it's|it\s+is)\s*(?:the\s+name\s+)?"
    r"(?P<name>[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)?)"
)
_NOT_NAMES = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "tonight",
        "today",
        "tomorrow",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "i",
    }
)


def name_after_under(text: str) -> str | None:
    """ "under Miller", "it's for Maria Lopez on Saturday": a capitalised name after a cue."""
    for match in _UNDER.finditer(text):
        words = [w for w in match.group("name").split() if w.lower() not in _NOT_NAMES]
        if words and words == match.group("name").split()[: len(words)]:
            return " ".join(words)
    return None


def absolute_party(text: str) -> int | None:
    """ "so we'll be 3", "could you make it four of us?": the new head count, said outright."""
    match = ABSOLUTE_PARTY.search(text) or _MAKE_IT_PARTY.search(text)
    return parse_number(match.group(1)) if match else None


_MAKE_IT_PARTY = re.compile(
    r"\bmake\s+it\s+(?:a\s+table\s+)?(?:for\s+)?"
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:of\s+us|people|persons|guests|adults)\b",
    re.IGNORECASE,
)


def relative_party(text: str, current: int) -> int | None:
    match = RELATIVE_PARTY.search(text)
    if match is None:
        return None
    if match.group(2):
        return current + 1
    word = match.group(1) or match.group(3) or match.group(4)
    count = parse_number(word) if word else None
    if count is None or count > 20:
        return None
    if FEWER.search(text):
        return max(1, current - count)
    return current + count


def note_text(text: str) -> str | None:
    match = NOTE_TEXT.search(text)
    if match is None:
        return None
    note = (match.group("note") or match.group("wish") or "").strip(" .!?")
    if _BACK_REFERENCE.fullmatch(note):  # "it's her birthday, could you note that down?"
        note = _REQUEST_TAIL.sub("", _GREETING.sub("", text[: match.start()])).strip(" ,.!?")
    note = re.sub(r"^(?:that\s+)?(?:it'?s|it\s+is)\s+", "", note, flags=re.IGNORECASE)
    return note[:200] or None


_BACK_REFERENCE = re.compile(
    r"(?:(?:that|it|this)\b\s*)?(?:(?:down|in|on\s+(?:the|my|our)\s+(?:booking|reservation)|"
    r"for\s+me|please)\b\s*)*",
    re.IGNORECASE,
)
"""What a request to note something says when the thing came before it ("note that down")."""
_GREETING = re.compile(r"^\W*(?:(?:hi|hello|hey|hiya|oh|so|yes|yeah|um|uh)\b[\s,.!]*)+", re.I)
_REQUEST_TAIL = re.compile(
    r"[\s,.;-]*(?:(?:so|and|please)\s+)?(?:(?:can|could|would|will)\s+(?:you|we|i)\s*"
    r"(?:please\s+)?(?:make\s+a\s+)?)?$",
    re.IGNORECASE,
)


def choose_time(text: str, offered: list[dt.time], yes: bool) -> dt.time | None:
    if not offered:
        return None
    match = ORDINAL.search(text)
    if match:
        word = match.group(1).lower()
        if word in ("first", "earlier", "earliest"):
            return offered[0] if word == "first" else min(offered)
        if word == "second" and len(offered) > 1:
            return offered[1]
        return max(offered)
    if yes and len(offered) == 1:
        return offered[0]
    return None
