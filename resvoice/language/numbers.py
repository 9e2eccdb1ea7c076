"""Number words both ways: what a caller says to integers, and integers to what a person says.

Words to numbers: `parse_number`, `parse_ordinal`, `words_to_digits` (a rewriter that turns
spoken numbers in a sentence into digits) and `sound_alike_numbers` (numbers speech-to-text
wrote as other words: "a table for for"). Numbers to words: `cardinal_words`, `ordinal_words`
and `year_words`, used to speak text aloud (`speakable`). Both read one table of number words.
"""

from __future__ import annotations

import re

__all__ = [
    "DIGIT_WORDS",
    "ORDINAL_SUFFIX",
    "cardinal_words",
    "ordinal_words",
    "parse_number",
    "parse_ordinal",
    "sound_alike_numbers",
    "words_to_digits",
    "year_words",
]

DIGIT_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_UNITS = DIGIT_WORDS
_TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORD_UNITS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_ORD_OTHER: dict[str, int] = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_CARDINALS: dict[str, int] = {**_UNITS, **_TEENS, **_TENS}
_ORDINALS: dict[str, int] = {**_ORD_UNITS, **_ORD_OTHER}

# The English ordinal suffix regex, shared with dates.
ORDINAL_SUFFIX = r"(?:st|nd|rd|th)"


def _alt(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_CARD = rf"(?:(?:{_alt(_TENS)})(?:[\s-]+(?:{_alt(_UNITS)}))?|{_alt(_TEENS)}|{_alt(_UNITS)})"
_ORD = rf"(?:(?:{_alt(_TENS)})[\s-]+(?:{_alt(_ORD_UNITS)})|{_alt(_ORDINALS)})"
_BIG = rf"{_CARD}\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_CARD})?"
_PHRASE_RE = re.compile(
    rf"\b(?:(?P<ord>{_ORD})|(?P<card>{_BIG}|{_CARD})|(?P<dozen>(?:half\s+)?(?:a\s+)?dozen))\b",
    re.IGNORECASE,
)
_LETTERS_RE = re.compile(r"[a-z]+")
_TRIGGERS: frozenset[str] = frozenset({*_CARDINALS, *_ORDINALS, "dozen"})
_DIGIT_ORD_RE = re.compile(rf"^(\d{{1,3}}){ORDINAL_SUFFIX}$", re.IGNORECASE)
_DATED_BEFORE_RE = re.compile(
    r"\b(?:the|jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|"
    r"sep|sept|september|oct|october|nov|november|dec|december)\.?$"
)
_NEXT_WORD_RE = re.compile(r" ([A-Z][\w'.]*)")
_CLOCK_WORD_RE = re.compile(r"(?:[AaPp]\.?[Mm]\b|O'?[Cc]lock|Thirty|Fifteen|Forty|Fourty)")
_FOR_FOR_RE = re.compile(
    r"\b(?P<pre>for|of)\s+for\b(?!\s+(?:a|an|the|me|us|my|our|you|him|her|them|dinner|"
    r"lunch|brunch|breakfast|tonight|today|tomorrow)\b)",
    re.IGNORECASE,
)
_FOR_PEOPLE_RE = re.compile(
    r"\bfor(?=\s+(?:people|persons|guests|adults|of\s+us|pax|diners)\b)", re.IGNORECASE
)
_AT_FOR = r"\b(?P<cue>at|around|about|by)\s+for\b(?=\s*(?:\d|o\W?\s?clock|[ap]\.?m\b"
_AT_FOR_RE = re.compile(_AT_FOR + "))", re.IGNORECASE)
_AT_FOR_END_RE = re.compile(_AT_FOR + r"|\W*$))", re.IGNORECASE)  # "at for" answering "what time?"
_BARE_FOR_RE = re.compile(
    r"^(?P<lead>\W*(?:(?:um+|uh+|so|yeah|yes|just|oh|we'?ll\s+be|we\s+are|we're)\W+)*)for"
    r"(?=(?:\W+(?:please|thanks|thank\s+you|people|of\s+us))*\W*$)",
    re.IGNORECASE,
)
_BARE_THREE_RE = re.compile(
    r"^(?P<lead>\W*(?:(?:um+|uh+|so|yeah|yes|just|oh|sorry|no|we'?ll\s+be|we\s+are|we're)\W+)*)"
    r"(?:free|tree)(?=(?:\W+(?:please|thanks|thank\s+you|people|of\s+us))*\W*$)",
    re.IGNORECASE,
)
# "so we'll be three" heard as "so we'll be free": a head count where a sentence ends on it
_BE_THREE_RE = re.compile(
    r"(?P<lead>\b(?:we'?ll\s+be|we\s+will\s+be|we\s+are|we're|there'?ll\s+be|party\s+of|"
    r"table\s+for|make\s+(?:it|that)))\s+(?:free|tree)"
    r"(?=\s*(?:[.,!?;]|$|people\b|of\s+us\b|now\b|instead\b|please\b))",
    re.IGNORECASE,
)
# "table for four" -> "table 44", "book for eight people" -> "book 4-8 people": Whisper runs
# "for" and the count together. Only right after a booking verb, where no number belongs.
_MERGED_FOR_RE = re.compile(
    r"\b(?P<verb>table|book|reserve)\s+4-?(?P<n>[1-9])\b"
    r"(?![:.]\d|\s*(?:[ap]\.?m\b|o\W?\s?clock|%|percent|dollars))",
    re.IGNORECASE,
)
_MAKE_IT_FIVE_RE = re.compile(r"\b(?P<make>make\s+it|make\s+that)\s+fine\b", re.IGNORECASE)
# "party of 4" heard as "party on 4", "party in 4", "partion 4", "part of 4", "party for 4"
_PARTY_ON_RE = re.compile(
    r"\b(?:party\s+(?:on|in|and|at|off)|partion|parties|part\s+of|party\s*of)"
    r"(?=\s+\d+\b(?!\s*(?:st|nd|rd|th|:\d|[ap]\.?m\b)))",
    re.I,
)
_COUPLE_RE = re.compile(r"^(?:a\s+)?couple(?:\s+of)?$", re.IGNORECASE)
_WORD_SPLIT_RE = re.compile(r"[\s-]+")


def parse_number(text: str) -> int | None:
    """Parse a whole phrase that is one cardinal number: "22", "twenty two", "a dozen", "couple".

    Args:
        text: the phrase, nothing else around it (surrounding spaces are fine).

    Returns:
        The integer, or None when the phrase is not exactly one number.
    """
    phrase = text.strip().lower()
    if phrase.isdigit():
        return int(phrase)
    if _COUPLE_RE.match(phrase):
        return 2
    m = _PHRASE_RE.fullmatch(phrase)
    if m is None or m.group("ord"):
        return None
    if m.group("dozen"):
        return 6 if phrase.startswith("half") else 12
    return _cardinal_value(phrase)


def parse_ordinal(text: str) -> int | None:
    """Parse a whole ordinal phrase: "third", "twenty-first", "21st" -> 3, 21, 21."""
    phrase = text.strip().lower()
    m = _DIGIT_ORD_RE.match(phrase)
    if m:
        return int(m.group(1))
    words = _WORD_SPLIT_RE.split(phrase)
    if len(words) == 1:
        return _ORDINALS.get(words[0])
    if len(words) == 2 and words[0] in _TENS and words[1] in _ORD_UNITS:
        return _TENS[words[0]] + _ORD_UNITS[words[1]]
    return None


def words_to_digits(text: str) -> str:
    """Rewrite spoken numbers as digits, keeping everything else.

    "twenty two" -> "22", "seven thirty" -> "7 30", "twenty-first" -> "21st", "a dozen" -> "12".
    Adjacent separate numbers stay separate so phone digits and clock times survive. "second"
    is rewritten only where it reads as a date ("the second", "second of").
    """
    if _TRIGGERS.isdisjoint(_LETTERS_RE.findall(text.lower())):
        return text  # the common case, and far cheaper than the alternation below
    return _PHRASE_RE.sub(_replace, text)


def sound_alike_numbers(
    text: str, *, expect_party_size: bool = False, expect_time: bool = False
) -> str:
    """Undo what speech-to-text does to counts, only where a number is the only reading.

    "four" written "for": "a table for for", "party of for", "for people", "at for thirty",
    and a bare "for" answering "how many?" (a bare "free" there is "three"). "for four" merged
    into one number: "table 44", "book 4-8 people" (-> "table for 4", "book for 8 people").
    "we'll be free" or "make that free" ending a sentence is "we'll be 3", "make that 3".
    "party of" heard as "party on", "partion" or "part of" before a number; "make it fine" is
    "make it five". Run after `words_to_digits`; every other "for", "free", "fine" and "on" is
    kept.
    """
    text = _MERGED_FOR_RE.sub(r"\g<verb> for \g<n>", text)
    text = _PARTY_ON_RE.sub("party of", text)
    text = _MAKE_IT_FIVE_RE.sub(r"\g<make> 5", text)
    text = _BE_THREE_RE.sub(r"\g<lead> 3", text)
    if expect_party_size:
        text = _BARE_THREE_RE.sub(r"\g<lead>3", text)
    if "for" not in text.lower():
        return text
    text = _FOR_PEOPLE_RE.sub("4", _FOR_FOR_RE.sub(r"\g<pre> 4", text))
    text = (_AT_FOR_END_RE if expect_time else _AT_FOR_RE).sub(r"\g<cue> 4", text)
    if expect_party_size:
        text = _BARE_FOR_RE.sub(r"\g<lead>4", text)
    return text


def cardinal_words(n: int) -> str:
    """0 -> "zero", 42 -> "forty-two", 1250 -> "one thousand two hundred fifty"."""
    if n < 0:
        return f"minus {cardinal_words(-n)}"
    if n < 20:
        return _SMALL_WORDS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS_WORDS[tens] + (f"-{_SMALL_WORDS[unit]}" if unit else "")
    for size, name in (
        (10**9, "billion"),
        (10**6, "million"),
        (1000, "thousand"),
        (100, "hundred"),
    ):
        if n >= size:
            high, rest = divmod(n, size)
            words = f"{cardinal_words(high)} {name}"
            return f"{words} {cardinal_words(rest)}" if rest else words
    raise AssertionError("unreachable")


def ordinal_words(n: int) -> str:
    """1 -> "first", 22 -> "twenty-second", 30 -> "thirtieth"."""
    words = cardinal_words(n)
    head, sep, last = words.rpartition("-" if "-" in words.split(" ")[-1] else " ")
    if last in _ORDINAL_IRREGULAR:
        last = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def year_words(year: int) -> str:
    """2026 -> "twenty twenty-six", 2005 -> "two thousand five", 1999 -> "nineteen ninety-nine"."""
    if year % 1000 == 0 or 2000 <= year < 2010 or not 1000 <= year <= 9999:
        return cardinal_words(year)
    high, low = divmod(year, 100)
    if low == 0:
        return f"{cardinal_words(high)} hundred"
    return f"{cardinal_words(high)} {'oh ' if low < 10 else ''}{cardinal_words(low)}"


def _replace(m: re.Match[str]) -> str:
    word = m.group(0)
    if _names_something(m) or _one_as_a_thing(m):
        return word
    if m.group("ord"):
        if word.lower() in ("first", "second") and not _date_like(m):
            return word
        value = parse_ordinal(word)
        return word if value is None else ordinal(value)
    if m.group("dozen"):
        return "6" if word.lower().startswith("half") else "12"
    return str(_cardinal_value(word))


def _one_as_a_thing(m: re.Match[str]) -> bool:
    """ "that's the one", "have a good one", "which one?": "one" standing for a thing, no number;
    "the one o'clock", "just the one" (a head count) and "one of us" stay numbers."""
    if m.group(0).lower() != "one":
        return False
    if not _THING_BEFORE_RE.search(m.string[: m.start()]):
        return False
    return not _NUMBER_AFTER_RE.match(m.string[m.end() :])


_THING_BEFORE_RE = re.compile(
    r"(?<!\bjust\s)\b(?:the|this|that|which|another|any|every|other|same|each|a\s+(?:good|nice|"
    r"great|lovely|new|different|better|bigger|quiet|quieter))\s+$",
    re.IGNORECASE,
)
_NUMBER_AFTER_RE = re.compile(
    r"\s*(?:o'?clock|[:.]?\d|thirty|fifteen|forty|forty-five|a\.?m\b|p\.?m\b|of\s+(?:us|them)|"
    r"person|people|guest)",
    re.IGNORECASE,
)


def _names_something(m: re.Match[str]) -> bool:
    """A capitalised number word mid-sentence is part of a name: "Picnic on Third",
    "At Seven Restaurant". Dated ordinals ("Saturday the Third") and clock times ("Seven PM")
    stay numbers."""
    word = m.group(0)
    before = m.string[: m.start()].rstrip()
    if not word[:1].isupper() or not before or before[-1] in ".!?:;\"'(":
        return False
    if m.group("ord"):
        return not _date_like(m)
    after = m.string[m.end() :]
    following = _NEXT_WORD_RE.match(after)
    return following is not None and not _CLOCK_WORD_RE.match(following.group(1))


def _date_like(m: re.Match[str]) -> bool:
    """ "first" and "second" are adverbs far more often than dates; keep them unless dated."""
    before = m.string[: m.start()].lower().rstrip()
    after = m.string[m.end() :].lower().lstrip()
    return _DATED_BEFORE_RE.search(before) is not None or after.startswith("of ")


def _cardinal_value(phrase: str) -> int:
    total = 0
    current = 0
    for word in _WORD_SPLIT_RE.split(phrase.lower()):
        if word == "and":
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            current += _CARDINALS[word]
    return total + current


def ordinal(value: int) -> str:
    """ "12th", "21st", "113th": a number as its ordinal is written."""
    if 10 <= value % 100 <= 20:
        return f"{value}th"
    return f"{value}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(value % 10, 'th') }"


_SMALL_WORDS = [
    *DIGIT_WORDS,  # zero .. nine
    "ten", "eleven", "twelve", "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_IRREGULAR = {
    "one": "first", "two": "second", "three": "third", "five": "fifth",
    "eight": "eighth", "nine": "ninth", "twelve": "twelfth",
}  # fmt: skip
