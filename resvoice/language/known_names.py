"""Which real name a spelling most likely is, when the recogniser misheard some of its letters.

Callers spell a surname the agent read back wrong, and Whisper mishears spelled letters in
predictable ways: letters that sound alike (the E-set B C D E G P T V Z, M/N, F/S/X, A/J/K,
I/Y, Q/U/W), junk letters glued on at either end from the words around the spelling, a
dropped last letter, a hallucinated run of one letter, "double" written "W". `known_name`
weighs a heard spelling against the US Census 1990 name lists (`data/`, built by
`bench.corpora.census_names`) with those slips made cheap, and names a known name only when one
is clearly the best; a spelling that is itself a known name, or is short, or has no clear best,
is taken as heard.

The lists load once per process (~0.3 s, ~10 MB RSS; `preload` does it off the event loop);
a lookup then takes about a millisecond (figures in `docs/recognisers.md`).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import gzip
import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "is_given_name",
    "is_listed_name",
    "known_name",
    "preload",
    "with_irish_o",
    "with_said_letters",
]

# Letters Whisper confuses when they are spoken one at a time: each maps to its class's first.
_SOUND_ALIKE = ("BCDEGPTVZ", "MN", "FSX", "AJK", "IY", "QUW")
_CLASS = {letter: group[0] for group in _SOUND_ALIKE for letter in group}
_CLASSES = sorted({*_CLASS.values(), *"HLOR"})

_JUNK = 0.7  # a letter heard before or after the spelling (up to two each end)
_ALIKE = 0.3  # a letter heard as one that sounds like it
_DROPPED_LAST = 0.6  # the name's last letter not heard
_GAP = 1.0  # a letter added or dropped inside the name
_RARE = 0.06  # per doubling of a name's rank: of two names as close, the commoner wins
_PER_LETTER, _ALLOWED_BASE = 0.2, 0.4
_GATE = 0.02  # per doubling of rank: a rare name must be matched more closely
_AS_NAME = 0.3  # how much less name-like than the correction the heard letters may read
_MAX_JUNK = 2
_MIN_LENGTH = 4  # shorter spellings are taken as heard
_MARGIN = 0.4  # how much better than the next candidate the best must be
_SAID = 0.6  # the word said before the spelling, alike a candidate, counts this much for it
_SAID_BACKS = 0.75  # alike this much, the said word backs a name the letters alone would not
_RUN_RE = re.compile(r"(.)\1{2,}")
_DOUBLE_AS_W_RE = re.compile(r"W([A-VX-Z])")
"""A spelling's "double T" comes back as "W-T" (double-u): the doubled letter, when that makes a
known name and the letters as heard do not ("M-O-R-E-W-T-I" -> Moretti)."""


def known_name(heard: str, *, said: str | None = None) -> str | None:
    """The known name the spelled letters `heard` most likely are, title-cased, or None.

    None when the letters are fewer than four, already spell a known name, or no known name
    is both close enough (within a cost that grows with the name's length) and clearly closer
    than any other. An apostrophe the caller's spelling had ("O'Conor") stays where the known
    name has the same letters around it; none is added (the census writes O'Connor OCONNOR).
    """
    letters = re.sub(r"[^A-Z]", "", heard.upper())
    if len(letters) < _MIN_LENGTH:
        return None
    lexicon = _lexicon()
    if lexicon.knows(letters):
        return None
    collapsed = _RUN_RE.sub(r"\1\1", letters)  # no name has three of a letter in a row
    if collapsed != letters and lexicon.knows(collapsed):
        return _shaped(collapsed, heard)
    doubled = _DOUBLE_AS_W_RE.sub(r"\1\1", collapsed)  # "double T" written "W-T"
    if doubled != collapsed and lexicon.knows(doubled):
        return _shaped(doubled, heard)
    best = _closest(collapsed, lexicon, said)
    return _shaped(best, heard) if best is not None else None


def with_said_letters(heard: str, said: str) -> str | None:
    """The spelled letters `heard` with the word `said` just before them filling the slips
    between letters that sound alike ("Lindquist, L-I-N-V-Q-V-I-S-T" -> Lindqvist: the V
    heard for D, where the word has D; the V for U stays, a difference the caller spelled).

    Only for a word as long as the spelling that differs from it in at most a quarter of its
    letters, when the spelling is no listed name and the letters taken read more like a name;
    None otherwise. The E-set and M/N are the slips Whisper makes on spelled letters.
    """
    letters = re.sub(r"[^A-Z]", "", heard.upper())
    word = re.sub(r"[^A-Z]", "", said.upper())
    if len(letters) < _MIN_LENGTH or len(word) != len(letters):
        return None
    lexicon = _lexicon()
    if lexicon.knows(letters):
        return None
    differ = sum(a != b for a, b in zip(letters, word, strict=True))
    if not differ or differ > max(1, len(letters) // 4):
        return None
    merged = "".join(
        b if any(a in group and b in group for group in _LETTER_SLIPS) else a
        for a, b in zip(letters, word, strict=True)
    )
    if merged == letters or lexicon.name_likeness(merged) <= lexicon.name_likeness(letters):
        return None
    return _shaped(merged, heard)


_LETTER_SLIPS = ("BCDEGPTVZ", "MN")
"""Spelled letters Whisper hears as one another on the phone voices (the E-set, M and N)."""


def with_irish_o(name: str) -> str:
    """ "Oneill" -> "O'Neill": an Irish O' surname (`_IRISH_O`) spelled without its apostrophe,
    as the census writes it (OCONNOR), written as the family writes it; any other name as is."""
    if len(name) > 3 and name[:1] in "Oo" and name[1:].upper() in _IRISH_O:
        return f"O'{name[1:].capitalize()}"
    return name


_IRISH_O = frozenset((
    "BRIEN", "BRYAN", "CALLAGHAN", "CONNELL", "CONNELLY", "CONNOR", "DOHERTY", "DONNELL",
    "DONOGHUE", "DRISCOLL", "DWYER", "FLAHERTY", "GORMAN", "GRADY", "HALLORAN", "HANLON", "HARA",
    "HARE", "HEARN", "KANE", "KEEFE", "KELLY", "LOUGHLIN", "MAHONEY", "MAHONY", "MALLEY", "MEARA",
    "NEAL", "NEIL", "NEILL", "REILLY", "ROURKE", "SHAUGHNESSY", "SHEA", "SULLIVAN", "TOOLE",
))  # fmt: skip
"""Irish surnames written with O' before them, that the census writes as one word."""


def is_given_name(word: str) -> bool:
    """Whether `word` is a first name on the census lists ("Mark", "Siobhan" is not)."""
    return word.upper().replace("'", "").replace("’", "") in _lexicon().given


def is_listed_name(word: str) -> bool:
    """Whether `word` is a surname or a first name on the census lists."""
    letters = word.upper().replace("'", "").replace("’", "")
    return bool(letters) and _lexicon().knows(letters)


def preload() -> None:
    """Load the name lists now: a front end calls it off the event loop at start-up, so the
    first spelling in a call does not hold the loop while they load (~0.3 s)."""
    _lexicon()


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The known names by their letters' sound-alike classes (`_key`), packed for memory: one
    sorted text of lines "KEY NAME6 NAME16", each name with how rare it is (its rank's bit
    length on its list), found by bisection over the lines' offsets, with a bitmap of the keys'
    hashes to answer most misses at once. A dict of tuples takes several times the memory."""

    table: str
    starts: array[int]
    bitmap: bytes
    given: frozenset[str]
    trigrams: Counter[str]  # letter triples over the names, "^^H" .. "ON$"
    pairs: Counter[str]  # the first two letters of those triples

    def names(self, key: str) -> list[tuple[str, int]]:
        """The names whose letters have the classes `key`, each with its rarity."""
        slot = hash(key) & _BITMAP_MASK
        if not self.bitmap[slot >> 3] & (1 << (slot & 7)):
            return []
        table = self.table
        at = bisect.bisect_left(self.starts, key, key=lambda s: table[s : table.find(" ", s)])
        if at == len(self.starts):
            return []
        start = self.starts[at]
        end = table.find("\n", start)
        key_found, *entries = table[start : end if end >= 0 else len(table)].split(" ")
        if key_found != key:
            return []
        return [(e.rstrip(_DIGITS), int(e.lstrip(_UPPER))) for e in entries]

    def knows(self, letters: str) -> bool:
        return any(name == letters for name, _ in self.names(_key(letters)))

    def name_likeness(self, letters: str) -> float:
        """How much `letters` read like a name: the mean log-probability of each letter after
        the two before it, over the listed names (about -2.2 for a listed name, -2.8 for an
        unlisted real one, -3.7 for a misheard spelling)."""
        marked = f"^^{letters}$"
        triples = [marked[i - 2 : i + 1] for i in range(2, len(marked))]
        return sum(
            math.log((self.trigrams[t] + 0.1) / (self.pairs[t[:2]] + 2.8)) for t in triples
        ) / len(triples)


_DIGITS = "0123456789"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BITMAP_MASK = (1 << 20) - 1


@functools.cache
def _lexicon() -> _Lexicon:
    folder = resources.files("resvoice.language").joinpath("data")
    entries: list[str] = []  # "KEY NAMErarity"
    given: frozenset[str] = frozenset()
    trigrams: Counter[str] = Counter()
    for file in ("surnames.txt.gz", "given.txt.gz"):
        names = gzip.decompress(folder.joinpath(file).read_bytes()).decode().split()
        entries += (f"{_key(n)} {n}{rank.bit_length()}" for rank, n in enumerate(names, 1))
        trigrams.update(
            m[i - 2 : i + 1] for m in (f"^^{n}$" for n in names) for i in range(2, len(m))
        )
        given = frozenset(names)
    pairs: Counter[str] = Counter()
    for triple, count in trigrams.items():
        pairs[triple[:2]] += count
    entries.sort()
    lines: list[str] = []
    line_names: set[str] = set()  # a name on both lists is kept once
    for entry in entries:
        key, name = entry.split(" ")
        bare = name.rstrip(_DIGITS)
        if lines and lines[-1].startswith(key + " "):
            if bare not in line_names:
                lines[-1] += " " + name
                line_names.add(bare)
        else:
            lines.append(entry)
            line_names = {bare}
    del entries
    starts = array("I", [0])
    bitmap = bytearray((_BITMAP_MASK + 1) >> 3)
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
        slot = hash(line[: line.index(" ")]) & _BITMAP_MASK
        bitmap[slot >> 3] |= 1 << (slot & 7)
    starts.pop()
    return _Lexicon("\n".join(lines), starts, bytes(bitmap), given, trigrams, pairs)


def _key(letters: str) -> str:
    return "".join(_CLASS.get(c, c) for c in letters)


def _closest(heard: str, lexicon: _Lexicon, said: str | None = None) -> str | None:
    """The one known name clearly closest to `heard`, or None (see `known_name`).

    A name's cost is what the slips from it to `heard` cost, plus a little for how rare it is
    (of two names as close, the commoner is likelier); the slips alone must stay within what
    the name's length allows (less for a rarer name). And the heard letters must read less like
    a name than the correction: what Whisper makes of a spelled name seldom does ("HCNDERSO",
    "SICW"), while an unlisted real name does ("Mahmoudi" beside Mahmoud)."""
    slips: dict[str, float] = {}
    rarity: dict[str, int] = {}
    for lead in range(_MAX_JUNK + 1):
        for tail in range(_MAX_JUNK + 1):
            core = heard[lead : len(heard) - tail]
            if len(core) < _MIN_LENGTH - 1:
                continue
            junk = _JUNK * (lead + tail)
            for name, cost, rare in _near(core, lexicon):
                if junk + cost < slips.get(name, float("inf")):
                    slips[name], rarity[name] = junk + cost, rare
    if not slips:
        return None
    word = re.sub(r"[^A-Z]", "", (said or "").upper())
    heard_alike = {n: _said_alike(word, n) for n in slips} if len(word) >= 3 else {}

    def score(name: str) -> float:
        return slips[name] + _RARE * rarity[name] - _SAID * heard_alike.get(name, 0.0)

    ranked = sorted(slips, key=score)
    best = ranked[0]
    if slips[best] > _allowed(best, rarity[best]):
        return None
    if len(ranked) > 1 and score(ranked[1]) - score(best) < _MARGIN:
        return None
    backed = heard_alike.get(best, 0.0) >= _SAID_BACKS
    if not backed and lexicon.name_likeness(heard) > lexicon.name_likeness(best) - _AS_NAME:
        return None  # it reads like a name of its own ("Mahmoudi", not "Mahmoud" misheard)
    return best


def _said_alike(word: str, name: str) -> float:
    """How alike the word said before a spelling and a name are, 0..1, letter for letter
    ("Tren" and TRAN 0.75; the said word is heard as a word, not letter by letter, so its
    letters tell the sound-alike ones apart: TRAN, not BRAN)."""
    return difflib.SequenceMatcher(None, word, name).ratio()


def _allowed(name: str, rarity: int) -> float:
    """The most the slips may cost: a slip or two in a short name, more in a long one."""
    return _PER_LETTER * len(name) + _ALLOWED_BASE - _GATE * rarity


def _near(core: str, lexicon: _Lexicon) -> list[tuple[str, float, int]]:
    """Known names whose letters match `core` class for class, or after one letter of the
    heard side dropped or one added: each with what the slips cost, and its rarity."""
    found: list[tuple[str, float, int]] = []
    key = _key(core)
    for name, rarity in lexicon.names(key):
        found.append((name, _alike_cost(core, name), rarity))
    for i in range(len(core)):  # a letter heard that the name lacks
        shorter = core[:i] + core[i + 1 :]
        for name, rarity in lexicon.names(key[:i] + key[i + 1 :]):
            found.append((name, _GAP + _alike_cost(shorter, name), rarity))
    for i in range(len(core) + 1):  # a letter of the name not heard
        gap = _DROPPED_LAST if i == len(core) else _GAP
        for cls in _CLASSES:
            for name, rarity in lexicon.names(key[:i] + cls + key[i:]):
                cost = gap + _alike_cost(core[:i] + name[i] + core[i:], name)
                found.append((name, cost, rarity))
    return [found_name for found_name in found if len(found_name[0]) >= _MIN_LENGTH]


def _alike_cost(heard: str, name: str) -> float:
    """Letters of the same length and classes: what the sound-alike slips between them cost."""
    return _ALIKE * sum(a != b for a, b in zip(heard, name, strict=True))


def _shaped(name: str, heard: str) -> str:
    """The census name (upper case, no marks) written as the caller spelled it: capitalised,
    with the apostrophe or hyphen of their spelling where the letters before it agree."""
    mark = re.search(r"[A-Za-z](['’-])(?=[A-Za-z])", heard)
    if mark is not None:
        before = re.sub(r"[^A-Za-z]", "", heard[: mark.start(1)]).upper()
        if name.startswith(before):
            name = f"{name[: len(before)]}{mark.group(1)}{name[len(before) :]}"
    parts = re.split(r"(['’-])", name.lower())
    return "".join(p.capitalize() if p.isalpha() else p for p in parts)
