"""Find the name a reservation goes under ("my name is John Smith", "under Garcia", "S M I T H")."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from resvoice.language.known_names import (
    is_given_name,
    is_listed_name,
    known_name,
    with_irish_o,
    with_said_letters,
)
from resvoice.language.name_parts import LabelledParts, labelled_parts
from resvoice.language.name_words import has_case, is_name_word
from resvoice.language.spelling import letters_of_spellings

__all__ = ["NameMatch", "extract_name", "spelled_name"]


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A person's name, title-cased; `spelled` when the caller spelled it letter by letter.

    `spelling` is the spelled word as heard ("Hcnderso"), kept beside a `value` the known
    names corrected ("Henderson"), so that the same letters spelled again can be taken as
    they are."""

    value: str
    text: str
    spelled: bool = False
    spelling: str | None = field(default=None, compare=False)


_NAME_WORD = r"[A-Za-z][A-Za-z'’-]*"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
_KIN = (
    r"(?:husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|spouse|son|daughter|mom|mum|"
    r"mother|dad|father|boss|friend|brother|sister|colleague|manager|company|family)"
)
# Cues after which a lower-case word is still a name ("my name is jane").
_STRONG_CUES = (
    r"my\s+name\s+is|my\s+name's|(?:the\s+)?names?\s+is|name's|names(?=\s+[A-Z])|"
    r"the\s+name\s+(?:is|will\s+be|would\s+be|should\s+be)|name:?|"
    r"(?:last|first|sur|family)\s*name(?:'s|\s+is)|"
    rf"under\s+(?:my|our|his|her|the)\s+(?:{_KIN}'?s\s+)?(?:last\s+|sur)?name,?\s+(?:is\s+|which\s+is\s+)?|"
    r"under\s+the\s+name(?:\s+of)?|under\s+name|"
    r"(?:put|write|pop|stick|mark|list|have)\s+(?:it|me|us|that|this|the\s+\w+)\s+down\s+"
    r"(?:as|for|under)|(?:put|book|booked|it's|its|it\s+is|reservation|booking|table)\s+under|"
    r"under|call\s+me"
)
# Cues that need a capitalised name in cased text ("it's for Jane Doe", "this is Sam").
_WEAK_CUES = (
    r"(?:it's|its|it\s+is|that's|that\s+is|it\s+will\s+be|it'll\s+be)\s+for|"
    r"this\s+is|i'm|i\s+am|speaking\s+with|you're\s+speaking\s+to|my\s+name's"
)
# "reservation for Lucia Moretti": as often a place ("a reservation for City Tavern"), so only
# while the booking still lacks a name, and only a capitalised name that is no place.
_FOR_CUES = r"(?:reservations?|booking|table|book\s+it|book\s+one|booked)\s+for|for"
_PLACE_WORDS: frozenset[str] = frozenset(
    (
        "restaurant",
        "restaurants",
        "cafe",
        "café",
        "bar",
        "pub",
        "tavern",
        "grill",
        "house",
        "hotel",
        "inn",
        "shop",
        "kitchen",
        "company",
        "bakery",
        "diner",
        "bistro",
        "club",
        "lounge",
        "castle",
        "court",
        "palace",
        "square",
        "street",
        "island",
        "barbecue",
        "bbq",
        "chicken",
        "collective",
        "steakhouse",
        "pizzeria",
        "trattoria",
        "brasserie",
        "cantina",
        "eatery",
        "deli",
        "day",
    )
)
_CUED_RE = re.compile(
    rf"\b(?:(?P<strong>{_STRONG_CUES})|(?P<weak>{_WEAK_CUES})|(?P<for>{_FOR_CUES})|(?P<bare>it's|its|it\s+is))(?:\s+|(?<=\s))"
    rf"{_NAME}",
    re.IGNORECASE,
)
_LEAD_FILLER = (
    r"(?:(?:yes|yeah|yep|sure|ok|okay|so|um+|uh+|er+|erm|ah+|oh|well|right|alright|hi|hello|"
    r"hey|sorry|oops|wait|actually|it's|its|it\s+is|that's|that\s+is|the\s+name\s+is|"
    r"name's|just|and)\W+)*"
)
_LEADING_RE = re.compile(
    rf"^\W*{_LEAD_FILLER}(?P<name>[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){{0,2}})\s*[,.;:-]",
    re.IGNORECASE,
)
_SPELLED_RE = re.compile(r"(?<![A-Za-z'’])(?:[A-Za-z](?:[\s.,-]+|$)){2,}")
_BARE_RE = re.compile(
    rf"^\W*{_LEAD_FILLER}(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    r"(?:\W+(?:please|thanks|thank\s+you|here))?\W*$",
    re.IGNORECASE,
)
_BOOKING_CUE_RE = re.compile(
    r"\b(?:party|table|people|persons?|reservation|book|tonight|tomorrow|today|at\s+\d|"
    r"number|phone|mobile|cell|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\d",
    re.IGNORECASE,
)
_PARTICLES: frozenset[str] = frozenset(
    ("de", "del", "della", "da", "di", "van", "von", "der", "den", "la", "le", "du", "bin", "al")
)
_NOT_LETTERS: frozenset[str] = frozenset(("am", "pm", "ok", "tv", "id", "us", "uk"))


def extract_name(
    text: str, *, expect_name: bool = False, name_open: bool = False, again: str | None = None
) -> NameMatch | None:
    """Find the caller's name, title-cased, or None.

    A name is taken only where it looks like one in context: after a cue ("my name is",
    "it's for", "put it down as", "under my husband's name, ..."), leading a sentence that goes
    on with booking details ("Harriet Vance, 503 ..."), or alone when the agent just asked
    for it; and every word of it must pass `is_name_word` (no filler, greeting, interjection
    or everyday word; a capital where the text has capitals).

    Args:
        text: the caller's words.
        expect_name: the agent just asked for a name, so a bare "John Smith" is one.
        name_open: the booking still lacks a name, so a bare capitalised first and last name
            ("Um, Greta Lindqvist") is one even when the agent asked for something else.
        again: the spelling (as heard) taken earlier in the call; see `spelled_name`.
    """
    text = letters_of_spellings(text)
    cased = has_case(text)
    titled = _titled(text) if (expect_name or name_open) and cased else None
    text = _without_titles(text, cased)
    found = _part_then_whole(_found(text, cased, expect_name, name_open, again), text) or titled
    parts = labelled_parts(text, cased=cased)
    if parts.first is None and parts.last is None:
        return found
    return _with_labelled_parts(found, parts, text, cased, name_open, again)


def _part_then_whole(found: NameMatch | None, text: str) -> NameMatch | None:
    """ "smith john smith", "lorenzo lorenzo bianchi": a part of the name, then the whole name
    it is part of, said without a pause a comma would show; "The name's Bond, James Bond."
    after a cue that stops at the comma; the whole name."""
    if found is None:
        return None
    words = found.value.split()
    if len(words) >= 3 and words[0].lower() in (words[1].lower(), words[-1].lower()):
        return NameMatch(" ".join(words[1:]), found.text, found.spelled, found.spelling)
    if len(words) == 1 and not found.spelled:
        word = re.escape(words[0])
        m = re.search(rf"\b{word}\s*,\s*(?P<first>[A-Za-z'’-]+)\s+{word}\b", text, re.I)
        if m is not None and is_name_word(m.group("first"), cased=has_case(text)):
            return NameMatch(f"{_title(m.group('first'))} {found.value}", m.group(0))
    return found


def _titled(text: str) -> NameMatch | None:
    """A name after a title ("my boss, Mr. Takahashi"): how a person is named, wherever it is
    said, while the booking wants a name. The title is left off."""
    m = _TITLED_NAME_RE.search(text)
    if m is None:
        return None
    name = _clean(m.group("name"), need_capital=True, whole=True)
    return NameMatch(name, m.group("name")) if name else None


def _with_labelled_parts(
    found: NameMatch | None,
    parts: LabelledParts,
    text: str,
    cased: bool,
    name_open: bool,
    again: str | None,
) -> NameMatch | None:
    """The whole name when the caller labelled a part of it: "Delacroix, first name Simone",
    "Simone. Last name is Okafor, O-K-A-F-O-R." A spelling near a labelled word is that part,
    as spelled."""
    first, last = parts.first, parts.last
    if found is not None and found.spelled and " " not in found.value:
        for label in (last, first):
            if label and _alike(label, found.value):
                first, last = (first, found.value) if label == last else (found.value, last)
                break
    if first is None or last is None:
        labelled = first or last or ""
        at = parts.first_at if first else parts.last_at
        other = found
        if other is None or other.value.lower() == labelled.lower():
            other = _found(text[:at], cased, True, name_open, again) if at else None
        if other is None or other.value.lower() == labelled.lower():
            return found
        if " " in other.value:
            return other  # a whole name said before the label
        first, last = (first, other.value) if first else (other.value, last)
    value = " ".join(_title(w) for w in f"{first} {last}".split())
    if found is None:
        return NameMatch(value, value)
    return NameMatch(value, found.text, spelled=found.spelled, spelling=found.spelling)


def _alike(word: str, other: str) -> bool:
    return difflib.SequenceMatcher(None, word.lower(), other.lower()).ratio() >= 0.5


def _found(
    text: str, cased: bool, expect_name: bool, name_open: bool, again: str | None
) -> NameMatch | None:
    """The name in `text` (titles dropped, spellings' letters as letters), labels aside."""
    fuller = _said_again_in_full(text, expect_name)
    if fuller is not None:
        return fuller
    spelled = _spelled(text, again)
    words = text if spelled is None else _without_spelling(text, spelled)
    found = (
        _cued(words, expect_name, cased, name_open)
        or _leading(words, expect_name)
        or _bare(words, expect_name, cased, name_open)
        or (_in_a_list(words) if cased and (name_open or expect_name) else None)
    )
    if spelled is not None and found is not None:
        found = _before_spelling(found, spelled)
    if spelled is not None and (expect_name or found is not None):
        said = found.value.split() if found is not None else []
        spelled_as = {_letters(spelled.value), _letters(spelled.spelling or "")}
        if found is not None and any(_letters(word) in spelled_as for word in said):
            return found  # "Szymanski, S Z Y M A N S K I": the spelling confirms a word
        if found is not None and (len(said) > 1 or _first_name_before(said[0], spelled)):
            # "Maria Garcea, G-A-R-C-I-A"; "Mark, N-H-E-N-B-E-R-S-O": a first name, then the
            # surname spelled
            first = " ".join(said[:-1]) if len(said) > 1 else said[0]
            value = f"{first} {spelled.value}"
            return NameMatch(value, found.text, spelled=True, spelling=spelled.spelling)
        return spelled
    return found


def _first_name_before(word: str, spelled: NameMatch) -> bool:
    """Whether a word said before a spelling is the caller's first name ("Mark", before the
    surname spelled), not their try at the word they then spell ("Rossy R-O-S-S-I"): a given
    name on the census lists, unlike the spelled word."""
    unlike = difflib.SequenceMatcher(None, word.lower(), spelled.value.lower()).ratio() < 0.5
    return unlike and is_given_name(word)


def _said_again_in_full(text: str, expect_name: bool) -> NameMatch | None:
    """ "Patel. Raj Patel.", "Lorenzo. Lorenzo Bianchi.", "Okoye, Chidi Okoye": a surname or a
    first name, then the whole name it is part of; the whole name."""
    if not expect_name:
        return None
    sentences = [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p]
    last = [p for p in re.split(r",\s+", sentences[-1]) if p] if sentences else []
    for parts in (sentences, last):
        if len(parts) != 2:
            continue
        first, second = (extract_name(p, expect_name=True) for p in parts)
        if first is None or second is None:
            continue
        short, full = first.value.split(), second.value.split()
        if len(full) > len(short) and short in (full[-len(short) :], full[: len(short)]):
            return second
    return None


def _without_titles(text: str, cased: bool) -> str:
    """Drop a title before a name ("Mrs. Dorothy Abernathy", "it's Dr Okafor"): the title is
    how the caller is addressed, not part of the name kept on the booking."""
    pattern = _TITLE_CASED_RE if cased else _TITLE_RE
    return pattern.sub("", text)


_TITLES = r"(?:mrs|mr|ms|mx|dr|miss|mister|missus|doctor|professor|prof)"
# with capitals in the text, a title counts only before a capitalised word ("I'll miss it" stays)
_TITLE_CASED_RE = re.compile(rf"\b(?i:{_TITLES})\b\.?\s+(?=[A-Z])")
_TITLE_RE = re.compile(r"\b(?:mrs|mr|ms|dr)\b\.?\s+(?=[a-z])")
# a title written with its capital, as the recogniser writes one before a name ("I'll miss
# Saturday" is no Miss Saturday): the titles of `_TITLES`, capitalised
_TITLED_NAME_RE = re.compile(
    r"\b(?:Mrs|Mr|Ms|Mx|Dr|Miss|Mister|Missus|Doctor|Professor|Prof)\b\.?\s+"
    r"(?P<name>[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+)?)"
)


def spelled_name(text: str, *, again: str | None = None) -> NameMatch | None:
    """A name spelled letter by letter anywhere in `text` ("N O V A K", "n-o-v-a-k"): how a
    caller corrects a name the agent read back wrong.

    Letters the recogniser misheard are weighed against the known names (`known_name`:
    "H C N D E R S O" -> "Henderson"). But a name taken from a spelling earlier in the call
    (`again`, as heard) that the caller spells again is taken exactly as spelled: a caller who
    repeats the letters after hearing the known name read back has a name of their own, and
    must be able to book under it."""
    return _spelled(letters_of_spellings(text), again)


def _cued(text: str, expect_name: bool, cased: bool, name_open: bool) -> NameMatch | None:
    for m in _CUED_RE.finditer(text):
        if m.group("bare") and not expect_name:
            continue
        if m.group("for") is not None:
            if not (cased and (expect_name or name_open)):
                continue
            name = _clean(m.group("name"), need_capital=True, after=text[m.end() :])
            if name:
                return NameMatch(name, m.group("name"))
            continue
        strong = m.group("strong") is not None
        need_capital = cased and not strong
        if m.group("weak") and not cased and not expect_name:
            continue
        name = _clean(m.group("name"), need_capital=need_capital or (cased and strong))
        if name is None and strong and cased:
            name = _clean(m.group("name"), need_capital=False)
        if name:
            return NameMatch(name, m.group("name"))
    return None


def _leading(text: str, expect_name: bool) -> NameMatch | None:
    m = _LEADING_RE.match(text)
    if m is None or not (expect_name or _BOOKING_CUE_RE.search(text[m.end() :])):
        return None
    if not m.group("name")[:1].isupper():
        return None
    name = _clean(m.group("name"), need_capital=True, whole=True)
    return NameMatch(name, m.group("name")) if name else None


def _bare(text: str, expect_name: bool, cased: bool, name_open: bool) -> NameMatch | None:
    m = _BARE_RE.match(text)
    if m is None:
        return None
    said = m.group("name").split()
    listed = len(said) == 2 and is_given_name(said[0]) and is_listed_name(said[1])
    need_capital = cased or not (expect_name or (name_open and listed))
    name = _clean(m.group("name"), need_capital=need_capital, whole=True)
    if name is None:
        return None
    words = name.split()
    if not expect_name and not (name_open and len(words) >= 2 and (cased or listed)):
        # unprompted, only a first and last name is clearly one: capitalised, or a listed
        # first name and surname when the text has no capitals ("ben carter")
        return None
    return NameMatch(name, m.group("name"))


def _in_a_list(text: str) -> NameMatch | None:
    """A first and last name said as one item of a list of booking details ("for four on
    Thursday at 6:30, Rachel Green, 917 555 0144"): a piece between commas that is only a
    capitalised name whose first word is a listed first name."""
    for piece in re.split(r"[,;]|(?<=[.!?])\s", text):
        piece = piece.strip(" .!?")
        if not _LISTED_NAME_RE.fullmatch(piece) or not is_given_name(piece.split()[0]):
            continue
        name = _clean(piece, need_capital=True, whole=True)
        if name:
            return NameMatch(name, piece)
    return None


_LISTED_NAME_RE = re.compile(r"[A-Z][a-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){1,2}")


def _before_spelling(found: NameMatch, spelled: NameMatch) -> NameMatch | None:
    """The name without the spelling a cue swept into it ("It's Rossy R-O-S-S-I" -> "Rossy"):
    the spelling is weighed against the words before it, not counted as one of them."""
    at = found.value.lower().find(spelled.text.lower())
    if at < 0:
        return found
    kept = found.value[:at].strip(" ,.-")
    return NameMatch(kept, found.text) if kept else None


_SPELLING_CUE_RE = re.compile(
    r"[\s,]*\b(?:that's|that is|it's|spelled|spelt|spelling)\W*$", re.IGNORECASE
)


def _without_spelling(text: str, spelled: NameMatch) -> str:
    """The words around a spelling, joined as one phrase ("Siobhan, S I O B H A N, Kelly" ->
    "Siobhan Kelly"), so a name spelled in the middle keeps the words after it."""
    at = text.find(spelled.text)
    if at < 0:
        return text
    before = _SPELLING_CUE_RE.sub("", text[:at]).rstrip(" ,-")
    after = text[at + len(spelled.text) :].lstrip(" ,.-")
    return f"{before} {after}".strip() if after else text[:at].rstrip(" -")


def _letters(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def _spelled(text: str, again: str | None = None) -> NameMatch | None:
    for m in _SPELLED_RE.finditer(text):
        letters = re.sub(r"[^A-Za-z]", "", m.group(0))
        if letters.lower() in _NOT_LETTERS or set(letters.lower()) <= {"a", "i", "o"}:
            continue  # "a", "I" and "oh" are words, not letters of a spelling
        if len(letters) >= 3 or (len(letters) == 2 and letters.isupper() and "I" not in letters):
            heard = letters.capitalize()
            spelled_text = m.group(0).strip(" ,.-")
            said = _WORD_BEFORE_RE.search(text[: m.start()])
            again_as_spelled = _spelled_again(heard, again)
            known = (
                None
                if again_as_spelled
                else known_name(heard, said=said.group(1) if said else None)
            )
            if known is None and said is not None and not again_as_spelled:
                known = with_said_letters(heard, said.group(1))  # "Lindquist, L-I-N-V-Q-V..."
            value = with_irish_o(known or heard)
            return NameMatch(value, spelled_text, spelled=True, spelling=heard)
    return None


_WORD_BEFORE_RE = re.compile(
    r"([A-Za-z'’-]{3,})[\s,.:;-]*"
    r"(?:(?:that's|that\s+is|it's|spelled|spelt)[\s,.:-]*)?$"
)
"""The word said just before a spelling (the caller's try at the name: "Kevin Tren, D-R-A-N")."""


def _spelled_again(heard: str, again: str | None) -> bool:
    """The caller spells again what was taken from their spelling before: the same letters, or
    letters the known names correct to the same name as before (which they have now heard
    read back, and spell anew because it is not theirs)."""
    if again is None:
        return False
    if heard.lower() == again.lower():
        return True
    before = known_name(again)
    return before is not None and before == known_name(heard)


def _clean(raw: str, *, need_capital: bool, whole: bool = False, after: str = "") -> str | None:
    """Keep the leading words that look like a name (`is_name_word`); with `whole`, every
    word must, or there is no name. Words naming a place ("City Tavern", "Roscoff
    Restaurant", an upper-case abbreviation such as "NY") are no name."""
    words: list[str] = []
    raw_words = raw.split()
    for index, word in enumerate(raw_words):
        bare = word.strip("'’-")
        following = raw_words[index + 1 : index + 3]  # "de la Cruz": particles before a name
        if words and bare.lower() in _PARTICLES and any(w[:1].isupper() for w in following):
            words.append(bare.lower())
            continue
        if not is_name_word(bare, cased=need_capital):
            if whole:
                return None
            break
        words.append(bare)
    while words and words[-1] in _PARTICLES:
        words.pop()
    if not words:
        return None
    following = (raw_words[len(words) :] + after.split())[:1]
    if {w.lower().strip(".,!?") for w in [words[-1], *following]} & _PLACE_WORDS:
        return None
    if any(len(w) <= 3 and w.isupper() and not _short_name_in_capitals(w) for w in words):
        return None
    return " ".join(w if w in _PARTICLES else _title(w) for w in words)


_ABBREVIATIONS = _NOT_LETTERS | {"la", "ny", "nyc", "dc", "sf"}


def _short_name_in_capitals(word: str) -> bool:
    """A short word in capitals that is a listed name and no abbreviation: the recogniser writes
    some short surnames so ("the name is WU")."""
    return word.lower() not in _ABBREVIATIONS and is_listed_name(word)


def _title(word: str) -> str:
    """ "o'brien" -> "O'Brien", "smith-jones" -> "Smith-Jones", "McDonald" kept, "WOOD" (the
    recogniser's capitals) -> "Wood"."""
    if any(c.isupper() for c in word[1:]) and word[:1].isupper() and not word.isupper():
        return word
    parts = re.split(r"(['’-])", word.lower())
    # "o'brien" -> "O'Brien", but "giodi's" -> "Giodi's"
    return "".join(
        p.capitalize() if len(p) > 1 or (p.isalpha() and i == 0) else p for i, p in enumerate(parts)
    )
