"""How many people a caller books for: "party of four", "me and my wife", "2 adults and 2 kids"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import words_to_digits

__all__ = ["PartyMatch", "count_people", "fragment_party", "parse_party_size"]


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
    # who is coming, listed ("me and my wife and our two kids"); a count said outright wins
    listed = _LIST_RE.search(low) if not _UNCOUNTED_RE.search(low) else None
    booking = expect_party_size or bool(_BOOKING_RE.search(low))
    summed = _SUMMED_RE.search(low) if expect_party_size else None
    if summed is not None and 0 < int(summed.group("n")) <= _MAX_PARTY:
        # "there's me, Sarah, Tom and the twins... so five": the count the caller ends on
        return PartyMatch(int(summed.group("n")), summed.group(0).strip(" .!?"), False)
    group = count_people(low) if booking else None
    for strong, pattern in _PARTY_PATTERNS:
        if not strong and group is not None:
            return group
        if pattern is _BARE_RE and not expect_party_size:
            continue
        if pattern is _COMPANION_RE and (_UNCOUNTED_RE.search(low) or not booking):
            continue
        for m in pattern.finditer(low):
            if not strong and _SEARCHING_RE.search(low[: m.start()]):
                continue
            if listed is not None and m.start() < listed.end() and listed.start() < m.end():
                continue  # "3 friends" inside "me and 3 friends" is part of the list
            value = _party_value(m)
            # an explicit zero ("a table for zero people") is kept so validation can say why
            if value is not None and (value > 0 or (strong and value == 0)) and value <= _MAX_PARTY:
                return PartyMatch(value, m.group(0).strip(), strong)
    return group


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
_SUMMED_RE = re.compile(
    rf"(?:\bso|\bthat'?s|\bthat\s+makes|\bwhich\s+makes|\bmaking\s+it|\bmakes)\s+"
    rf"(?:it\s+|us\s+|a\s+total\s+of\s+|just\s+)?{_N}\b{_NOT_TIME}"
    r"(?:\s+(?:of\s+us|people|in\s+total|altogether|total))?\W*$"
)
"""A count a turn ends on, summing up who was listed ("... so five", "that makes 6 of us")."""
_COMPANION_RE = re.compile(
    r"\b(?P<two>(?:me|myself)\s+and\s+my\s+(?:wife|husband|partner|girlfriend|boyfriend|"
    r"date|friend|son|daughter|mom|mother|dad|father|fianc[eé]e?|spouse)|"
    r"my\s+(?:wife|husband|partner|girlfriend|boyfriend|date|friend|fianc[eé]e?|spouse)\s+"
    r"and\s+(?:i|me)|(?:for\s+)?a\s+couple(?!\s+of\s+(?:days|weeks|hours|minutes)))\b"
)
# words of coming to eat: a list of who is coming then counts ("bring the family in, me and
# my wife and our two kids")
_BOOKING_RE = re.compile(
    r"\b(?:table|reserv\w*|book\w*|party|seats?|come\s+in|space|room|bring(?:ing)?\s+(?:\w+\s+){0,3}in|"
    r"(?:be\s+)?coming\s+(?:in|for|to)|dinner|lunch|brunch|dine|dining|eat|"
    r"(?:it|there|we|that)(?:'ll|\s+will|'d|\s+would)\s+be)\b"
)
_SEARCHING_RE = re.compile(r"\b(?:look|looking|search|searching|find|finding|hunt)\s+(?:for\s+)?$")
_PARTY_PATTERNS: tuple[tuple[bool, re.Pattern[str]], ...] = (
    # "one of us is coeliac", "one of us uses a wheelchair": one of the party, not its size
    (
        True,
        re.compile(
            rf"\b{_N}\s+(?:more\s+|other\s+|total\s+)?{_PEOPLE}\b"
            r"(?!\s+(?:is|has|needs|uses|can'?t|won'?t|doesn'?t|was)\b)"
        ),
    ),
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
            # "for one that's vegetarian" counts no one; "for 4 at 10 that night" does
            r"(?!\s+(?:that(?!\s+(?:day|night|evening|afternoon|morning|weekend)\b)|which|nice|"
            r"place|restaurant|good|similar|of\s+(?:them|those|these))\b)"
            # "thank you for 6, 5, 5, 5, 0, 1...": a phone number's digits, "four" heard "for"
            r"(?!(?:[\s,.-]+\d+){3,})"
        ),
    ),
    (False, _COMPANION_RE),
    (False, _BARE_RE),
)


def fragment_party(text: str) -> PartyMatch | None:
    """A bare number said as a fragment of its own in a request for a table: "Table. Two.
    Tomorrow, half seven." Only for text whose time is already read (and hidden), so the
    lone number cannot be the hour."""
    low = words_to_digits(text).lower()
    if not _BOOKING_RE.search(low):
        return None
    for part in re.split(r"[.!?;,]", low):
        m = re.fullmatch(r"\s*(?:(?:just|only|um+|uh+)\s+)?(\d{1,2})\s*", part)
        if m is not None and 0 < int(m.group(1)) <= 20:
            return PartyMatch(int(m.group(1)), m.group(1), False)
    return None


def count_people(text: str) -> PartyMatch | None:
    """The size of a party the caller lists by who is coming: "me and my wife and our two
    kids" is 4, "my husband, my parents and I" is 4, "me and 3 friends" is 4.

    Every member of the list must be countable (a bare "my kids" is not: how many?), and the
    list must hold at least two members, one of them the caller or theirs ("my", "our").
    """
    if _UNCOUNTED_RE.search(text):
        return None
    for m in _LIST_RE.finditer(text):
        members = [part for part in _JOIN_RE.split(m.group(0)) if part]
        counts = [_member_count(part) for part in members]
        selves = sum(1 for part in members if re.fullmatch(_SELF, part.strip()))
        if len(counts) < 2 or None in counts or selves > 1 or selves == len(members):
            continue  # "for me and I'd like..." is one person talking
        return PartyMatch(sum(c for c in counts if c is not None), m.group(0).strip(), True)
    return None


_SELF = r"(?:me|myself|i(?!'))"
_ONE_RELATION = (
    r"(?:wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|spouse|date|friend|mate|son|"
    r"daughter|kid|child|baby|toddler|mom|mum|mother|dad|father|brother|sister|sister-in-law|"
    r"brother-in-law|mother-in-law|father-in-law|grandma|grandmother|grandpa|grandfather|"
    r"nan|aunt|uncle|cousin|niece|nephew|boss|colleague|coworker|co-worker|neighbou?r|"
    r"roommate|flatmate|guest|client|plus[\s-]one)"
)
_MANY_RELATIONS = (
    r"(?:kids|children|sons|daughters|friends|mates|brothers|sisters|cousins|colleagues|"
    r"coworkers|co-workers|clients|guests|nieces|nephews|grandkids|grandchildren|babies|"
    r"toddlers|boys|girls|guys|adults|people|others|teenagers|teens)"
)
_PAIRS = r"(?:parents|grandparents|in-laws|folks)"  # "my parents" is two
_OWNER = r"(?:(?:my|our|his|her|their|the)\s+)"
_MEMBER = (
    rf"(?:{_SELF}|{_OWNER}?{_ONE_RELATION}|{_OWNER}?\d{{1,2}}\s+(?:other\s+)?{_MANY_RELATIONS}|"
    rf"{_OWNER}{_PAIRS}|a\s+{_ONE_RELATION})"
)
_JOIN = r"(?:\s*,\s*(?:and\s+|plus\s+)?|\s+(?:and|plus|with|along\s+with)\s+)"
_LIST_RE = re.compile(rf"\b{_MEMBER}(?:{_JOIN}{_MEMBER})+\b")
_JOIN_RE = re.compile(_JOIN)
# a list of who is coming that ends in people not counted: "me and my wife and our kids"
_UNCOUNTED_RE = re.compile(
    rf"\b{_MEMBER}(?:{_JOIN}{_MEMBER})*{_JOIN}(?:{_OWNER}|some\s+|a\s+few\s+|a\s+bunch\s+of\s+)"
    rf"(?:{_MANY_RELATIONS}|{_ONE_RELATION}s)\b"
)


def _member_count(member: str) -> int | None:
    member = member.strip()
    number = re.search(r"\d{1,2}", member)
    if number:
        return int(number.group(0))
    if re.search(rf"\b{_PAIRS}$", member):
        return 2
    if re.fullmatch(rf"{_SELF}|{_OWNER}?{_ONE_RELATION}|a\s+{_ONE_RELATION}", member):
        return 1
    return None


def _party_value(m: re.Match[str]) -> int | None:
    groups = m.groupdict()
    if groups.get("one"):
        return 1
    if groups.get("two"):
        return 2
    return int(groups["n"])
