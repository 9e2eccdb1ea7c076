"""A change of head count for a booking that exists: "one of us can't make it", "we'll be six".

Callers rarely say "change the party size". They say who is not coming ("my sister can't
make it", "one person dropped out", "we lost one"), who is joining ("my cousin is coming too"),
or the new count ("so it'll just be four of us", "we're down to three"). `mentions_party_change`
tells that such words are there; `new_party_size` reads the count the booking should become.

One guest not coming is never the booking being called off: `someone_else_drops_out` is how
the intent reader keeps "one of our group can't make it" from reading as a cancellation.
"""

from __future__ import annotations

import re

from resvoice.language.numbers import words_to_digits
from resvoice.language.self_repair import after_self_repair

__all__ = [
    "changes_head_count",
    "mentions_party_change",
    "new_party_size",
    "someone_else_drops_out",
]

_MAX = 20
_PEOPLE = r"(?:people|persons?|guests?|adults?|of\s+us|diners|friends)"
_KIN = (
    r"(?:friends?|wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|sister|brother|mom|"
    r"mum|mother|dad|father|son|daughter|kids?|child|children|colleagues?|co-?workers?|"
    r"cousins?|aunt|uncle|boss|guests?|parents?|grand\w+|in-laws?|neighbou?rs?|sibling|"
    r"niece|nephew|roommate|flatmate|plus[- ]one)"
)
# who, other than the caller's whole group, is not coming
_SOMEONE = (
    rf"(?:\d+\s+(?:{_PEOPLE}|{_KIN})|\d+\s+of\s+(?:us|them|our\s+\w+|the\s+\w+|my\s+\w+)|"
    rf"some(?:one|body)(?:\s+(?:else|in\s+(?:our|my|the)\s+\w+))?|"
    rf"(?:my|our|his|her|their|a|the)\s+(?:\w+\s+)?{_KIN}(?:-in-law|-in-laws)?)"
)
_NOT_COMING = (
    r"(?:(?:can(?:'t|not|\s+not)|won'?t|will\s+not|couldn'?t|isn'?t|aren'?t|is\s+not|are\s+not|"
    r"(?:is|are)\s+(?:unable|not\s+able)\s+to|(?:is|are)\s+no\s+longer|no\s+longer|"
    r"(?:has|have)\s+to\s+(?:drop|miss|skip)|(?:is|are)n?'?t?\s+going\s+to)\s+"
    r"(?:be\s+able\s+to\s+)?(?:\w+\s+)?(?:come|coming|make\s+it|join|joining|attend|be\s+there)|"
    r"(?:not|never)\s+(?:coming|joining|going\s+to\s+make\s+it))"
)
_DROPS = re.compile(
    rf"(?P<who>{_SOMEONE})(?:'s|'re)?\s+(?:\w+\s+){{0,2}}?(?:{_NOT_COMING}|"
    r"(?:dropped|pulled|backed)\s+out|cancel(?:l)?ed(?:\s+on\s+(?:me|us))?|bailed|is\s+sick|"
    r"(?:got|is|fell)\s+(?:sick|ill))\b",
    re.IGNORECASE,
)
# "my cousin is joining us", "my mum's coming too" (the verb's "'s" written onto the noun),
# "my brother will come along as well"
_JOINS = re.compile(
    rf"(?P<who>{_SOMEONE})(?:\s+(?:\w+\s+){{0,2}}?(?:is|are|'s|'re|will\s+be|wants\s+to\s+be)"
    r"|(?:'s|'re|'ll\s+be))\s+(?:now\s+|also\s+)?(?:coming|joining|come\s+along|tagging\s+along)\b|"
    rf"(?P<who2>{_SOMEONE})(?:'ll|\s+(?:will|wants\s+to|would\s+like\s+to|can))\s+(?:now\s+|also\s+)?"
    r"(?:come|join\s+us)\s+(?:too|along|as\s+well)\b",
    re.IGNORECASE,
)
_FEWER = re.compile(
    r"\b(?P<n>\d+)\s+(?:\w+\s+)?(?:less|fewer|short|down(?!\s+to))\b|\blost\s+(?P<n2>\d+)\b|"
    r"\b(?:take|knock|drop)\s+(?P<n3>\d+)\s+(?:person|people|guests?)?\s*off\b|"
    r"\b(?:minus|without)\s+(?P<n4>\d+)\b",
    re.IGNORECASE,
)
_MORE = re.compile(
    r"\b(?P<n>\d+)\s+(?:more|extra|additional)\b|"
    r"\b(?:another|an\s+extra|one\s+more)\s+(?:person|guest|friend|adult|one|kid|child)\b|"
    r"\b(?:add|adding|bring|bringing)\s+(?P<n2>\d+)\s+(?:more\s+)?(?:people|persons?|guests?|"
    r"friends?|adults?|kids?|children)\b|\bplus\s+(?P<n3>\d+)\b",
    re.IGNORECASE,
)
# someone brought along by the caller: "can I add my sister", "we'd like to bring my dad too"
_ADDS = re.compile(
    rf"\b(?:add|adding|bring|bringing|squeeze\s+in|fit\s+in)\s+(?P<who>(?:my|our)\s+(?:\w+\s+)?{_KIN})"
    r"(?:-in-law|-in-laws)?\b(?!'s\b|\s+(?:is|are|can'?t|won'?t)\b)",
    re.IGNORECASE,
)
# the caller and who is left: "it'll just be me and my husband now" (the caller counts too)
_ME_AND = re.compile(
    rf"\b(?:just|only)\s+(?:going\s+to\s+be\s+|be\s+)?me\s+and\s+(?P<who>(?:my|our)\s+(?:\w+\s+)?"
    rf"{_KIN})\b",
    re.IGNORECASE,
)
# the new count said outright: "so it'll just be 4 of us", "we're down to 3", "make it 6 people"
_ABSOLUTE = re.compile(
    r"\b(?:we'?ll|we\s+will|we'?re|we\s+are|there'?ll|there\s+will|there'?s|it'?ll|it\s+will|"
    r"it'?s|it\s+is|that'?s|that\s+makes|that\s+leaves|leaves\s+us|now|so)\s+"
    r"(?:(?!at\b|by\b|around\b|about\b|there\b|until\b|till\b|in\b)[a-z']+\s+){0,3}?"
    r"(?:be\s+|down\s+to\s+|up\s+to\s+|going\s+to\s+be\s+)?(?:just\s+|only\s+)?"
    r"(?<![\d\s]\s)(?P<n>\d{1,2})(?![\d:])(?!\s+(?:\w+\s+)?(?:less|fewer|short|more|extra|additional)\b)"
    rf"(?:\s+{_PEOPLE}|\s+instead|\s+now|\s*[,.!?]|\s*$|\s+(?:not|rather|on|for))|"
    r"\b(?:only|just)\s+(?:need|want)\s+(?:a\s+table\s+)?for\s+(?P<n6>\d+)\b|"
    rf"\b(?:reduce|knock|cut|lower)\s+(?:\w+\s+){{0,4}}?(?:down\s+)?to\s+"
    rf"(?:a\s+table\s+for\s+)?(?P<n2>\d+)(?!\s*(?::|pm|am|p\.m|a\.m|o'?clock|\d))\b|"
    rf"\b(?:bring|drop|change|increase|bump|make|put)\s+(?:\w+\s+){{0,4}}?(?:down\s+|up\s+)?to\s+"
    rf"(?:a\s+table\s+for\s+(?P<n7>\d+)\b|(?P<n8>\d+)\s+{_PEOPLE})|"
    rf"\bfrom\s+\d+\s+{_PEOPLE}\s+to\s+(?P<n3>\d+)\b|"
    rf"\b(?P<n4>\d+)\s+{_PEOPLE}\s+(?:instead\s+of|not|rather\s+than)\s+\d+\b|"
    rf"\b(?:a\s+)?table\s+for\s+(?P<n5>\d+)\s+(?:\w+\s+)?(?:instead|now)\b|"
    rf"\bfor\s+(?P<n9>\d+)\s+(?:{_PEOPLE}\s+)?(?:instead\s+of|rather\s+than|not)\s+\d+\b"
    r"(?!\s*(?::|pm|am|p\.m|a\.m|o'?clock))",
    re.IGNORECASE,
)
# "from 5 to 4" counts people only beside words of someone dropping out or joining
_FROM_TO = re.compile(r"\bfrom\s+\d+\s+to\s+(\d+)\b(?!\s*(?::|pm|am|p\.m|a\.m|o'?clock))", re.I)
_INSTEAD = re.compile(
    rf"\b\d+\s+(?:{_PEOPLE}\s+)?(?:instead\s+of|rather\s+than)\s+\d+\b(?!\s*(?::|pm|am|o'?clock))|"
    rf"\b(?:{_PEOPLE}|party|group)\b[^.?!]{{0,30}}\bfrom\s+\d+\s+to\s+\d+\b",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\b(?:one|a)\s+(?:less|fewer)\b|\b(?:party|group)\s+size\b|\bhead\s*count\b|"
    r"\bnumber\s+of\s+(?:people|guests)\b|\b(?:more|fewer|less)\s+(?:people|guests)\b",
    re.IGNORECASE,
)


def mentions_party_change(text: str) -> bool:
    """The words change how many are coming (someone drops out or joins, a new count)."""
    spoken = words_to_digits(text)
    return any(
        p.search(spoken) for p in (_DROPS, _JOINS, _FEWER, _MORE, _ABSOLUTE, _CUE, _ADDS, _ME_AND)
    ) and not _WHOLE_GROUP_ONLY.search(spoken)


def changes_head_count(text: str) -> bool:
    """The words change a count already made (someone drops out or joins, "one less",
    "4 instead of 5"), as opposed to a count said for a new booking ("we'll be 4")."""
    spoken = words_to_digits(text)
    relative = (_DROPS, _JOINS, _FEWER, _MORE, _CUE, _INSTEAD, _ADDS, _ME_AND)
    return any(p.search(spoken) for p in relative) and not _WHOLE_GROUP_ONLY.search(spoken)


def someone_else_drops_out(text: str) -> bool:
    """Somebody in the group (not the caller's whole party) will not come."""
    spoken = words_to_digits(text)
    return bool(_DROPS.search(spoken)) and not _WHOLE_GROUP_ONLY.search(spoken)


def new_party_size(text: str, current: int) -> int | None:
    """The head count the booking should become, or None when the words do not say.

    A count corrected in the same breath ("six people, sorry no, five") is the later one."""
    spoken = words_to_digits(text)
    repaired = after_self_repair(spoken)
    if repaired:
        later = _size_in(repaired, current)
        bare = _BARE_COUNT.match(repaired)
        if later is None and bare is not None:
            later = int(bare.group(1))
        if later is not None and 0 < later <= _MAX:
            return later
    return _size_in(spoken, current)


# what follows a self-repair may be the count alone: "..., sorry no, five (people)"
_BARE_COUNT = re.compile(rf"^\W*(?:just\s+|only\s+)?(\d{{1,2}})(?:\s+{_PEOPLE})?\W*$", re.I)


def _size_in(spoken: str, current: int) -> int | None:
    """`new_party_size` of words already turned to digits."""
    left = _ME_AND.search(spoken)
    if left is not None and not _UNCOUNTED.search(left.group("who")):
        return min(_MAX, 1 + _count(left.group("who")))
    absolute = _ABSOLUTE.search(spoken)
    if absolute is not None:
        value = int(
            next(
                g for g in absolute.group("n", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9") if g
            )
        )
        return value if 0 < value <= _MAX else None
    from_to = _FROM_TO.search(spoken)
    if from_to is not None and (_DROPS.search(spoken) or _JOINS.search(spoken)):
        return int(from_to.group(1)) if 0 < int(from_to.group(1)) <= _MAX else None
    fewer = _FEWER.search(spoken)
    if fewer is not None:
        return max(1, current - int(next(g for g in fewer.group("n", "n2", "n3", "n4") if g)))
    more = _MORE.search(spoken)
    if more is not None:
        count = next((g for g in more.group("n", "n2", "n3") if g), "1")
        return min(_MAX, current + int(count))
    drops = _DROPS.search(spoken)
    if drops is not None and not _UNCOUNTED.search(drops.group("who")):
        return max(1, current - _count(drops.group("who")))
    adds = _ADDS.search(spoken)
    if adds is not None and not _UNCOUNTED.search(adds.group("who")):
        return min(_MAX, current + _count(adds.group("who")))
    joins = _JOINS.search(spoken)
    if joins is not None:
        return min(_MAX, current + _count(joins.group("who") or joins.group("who2")))
    return None


# "my friends can't come": how many is not said
_UNCOUNTED = re.compile(r"^(?!\s*\d).*\b(?:friends|kids|children|colleagues|cousins|guests)\b")
# "we can't come" / "none of us can make it": the whole group, not a head count
_WHOLE_GROUP_ONLY = re.compile(
    r"^\W*(?:(?:hi|hello|hey|sorry|so|unfortunately|well)\W+)*(?:we|i)\s+(?:\w+\s+){0,2}?"
    rf"{_NOT_COMING}\W*$|\band\s+(?:i|me)\s+(?:\w+\s+)?{_NOT_COMING}|\bnone\s+of\s+us\b|\b(?:all|both)\s+of\s+us\b|\beveryone\b|\bnobody\b",
    re.IGNORECASE,
)


def _count(who: str) -> int:
    """How many people "1 of us", "2 friends", "my sister", "my parents" are (1 unless said)."""
    number = re.match(r"\s*(\d+)", who)
    if number:
        return int(number.group(1))
    return 2 if re.search(r"\b(?:parents|in-laws)\b", who) else 1
