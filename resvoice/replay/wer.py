"""Word error rate of recognised caller speech, and how a replayed caller says a line.

Both sides are normalised the same way before comparing, as ASR evaluations do (the Whisper
paper's English normaliser is the model): what differs only in how it is written is not an
error. Lower case, no punctuation; hesitations ("um", "er") dropped; number words read as
numerals ("seven thirty" and "7:30", "twenty-five" and "25", "fourteenth" and "14th");
"double 5" and "triple 0" as the digits they stand for, and "double L" as the letters; every
numeral one digit a token, so "555 123 4567" and "five five five one two three..." match;
common spellings one way ("okay" and "OK", "alright" and "all right", British and American).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_HESITATIONS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "hmm", "hm", "mm", "mmm", "mhm"})
_REPEATS = {"double": 2, "triple": 3}
_SPELLINGS = {
    "okay": "ok", "alright": "all right", "mister": "mr", "missus": "mrs", "doctor": "dr",
    "favourite": "favorite", "colour": "color", "centre": "center", "theatre": "theater",
    "cancelled": "canceled", "cancelling": "canceling", "travelling": "traveling",
    "organise": "organize", "organised": "organized", "apologise": "apologize",
    "realise": "realize", "realised": "realized",
    "recognise": "recognize", "flavour": "flavor", "neighbour": "neighbor",
    "honour": "honor", "programme": "program", "jewellery": "jewelry", "grey": "gray",
}  # fmt: skip
_WHOLE = {"uh-huh": "uhhuh", "mm-hmm": "mmhmm", "mhm-hmm": "mmhmm", "a.m.": "am", "p.m.": "pm"}
_TOKEN = re.compile(r"[a-z]+|\d+")
_NUMBER = re.compile(r"(?<![\d:.$])\d{3,}(?:[ -]\d{3,})*(?![\d:])")


def caller_words(text: str) -> str:
    """The line as a caller says it: runs of three or more digits one digit at a time, a pause
    between groups ("555 123 4567" -> "5 5 5, 1 2 3, 4 5 6 7"); everything else as written."""

    def spell(match: re.Match[str]) -> str:
        groups = re.split(r"[ -]", match.group(0))
        if len(groups) == 1 and len(groups[0]) == 10:  # 5551234567: say it as 3-3-4
            digits = groups[0]
            groups = [digits[:3], digits[3:6], digits[6:]]
        return ", ".join(" ".join(group) for group in groups)

    return _NUMBER.sub(spell, text)


def normalise(text: str) -> list[str]:
    """Comparable tokens: words as the module says, numerals one digit a token."""
    text = text.lower()
    for written, one in _WHOLE.items():
        text = text.replace(written, one)
    text = text.replace("%", " percent ").replace("&", " and ").replace("'", "").replace("’", "")
    words: list[str] = []
    for word in _TOKEN.findall(text.replace("-", " ")):
        word = _SPELLINGS.get(word, word)
        if word.endswith("ish") and _number_word(word[:-3]):  # "eightish": "eight ish"
            word = f"{word[:-3]} ish"
        words += [w for w in word.split() if w not in _HESITATIONS]
    return [
        token
        for word in _repeats_spelled_out(list(_numerals(words)))
        for token in (list(word) if word.isdigit() else [word])
    ]


def _number_word(word: str) -> bool:
    return word in _UNITS or word in _TEENS or word in _TENS or word in _ORDINALS


def _numerals(words: list[str]) -> Iterator[str]:
    """The words with each run of number words as one numeral ("seven thirty" -> 7, 30;
    "twenty five" -> 25; "nine hundred" -> 900) and ordinal endings dropped ("14th" -> 14)."""
    i = 0
    while i < len(words):
        word = words[i]
        if word in _UNITS and i + 1 < len(words) and words[i + 1] == "hundred":
            value, i = _UNITS[word] * 100, i + 2
            if i + 1 < len(words) and words[i] == "and" and _number_word(words[i + 1]):
                rest, i = _below_hundred(words, i + 1)
                value += rest or 0
            elif i < len(words) and (words[i] in _TENS or words[i] in _TEENS):
                rest, i = _below_hundred(words, i)  # not a bare digit: "nine hundred, one..."
                value += rest or 0
            yield str(value)
            continue
        value_below, after = _below_hundred(words, i)
        if value_below is not None:
            yield str(value_below)
            i = after
            continue
        if word.isdigit() and i + 1 < len(words) and words[i + 1] in _SUFFIXES:
            yield word
            i += 2
            continue
        yield word
        i += 1


def _below_hundred(words: list[str], i: int) -> tuple[int | None, int]:
    """The number words from `i` that make one number under a hundred, and where they end."""
    if i >= len(words):
        return None, i
    word = words[i]
    if word in _TENS:
        following = words[i + 1] if i + 1 < len(words) else ""
        unit = _ORDINALS.get(following) if following in _ORDINALS else _UNITS.get(following)
        if unit is not None and 0 < unit < 10:
            return _TENS[word] + unit, i + 2
        return _TENS[word], i + 1
    for table in (_TEENS, _ORDINALS, _UNITS):
        if word in table:
            return table[word], i + 1
    return None, i


def _repeats_spelled_out(words: list[str]) -> Iterator[str]:
    """ "double 5" as "5 5", "triple 0" as "0 0 0", "double L" as "l l"; "double" before
    anything longer (a "double check") stays a word."""
    i = 0
    while i < len(words):
        times = _REPEATS.get(words[i])
        if times is not None and i + 1 < len(words) and len(words[i + 1]) == 1:
            yield from [words[i + 1]] * times
            i += 2
            continue
        yield words[i]
        i += 1


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference length) after normalising both."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, other in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1], len(ref)


def word_error_rate(pairs: list[tuple[str, str]]) -> float | None:
    """Corpus WER over (reference, hypothesis) pairs; None when there are no reference words."""
    errors = total = 0
    for reference, hypothesis in pairs:
        e, n = word_errors(reference, hypothesis)
        errors, total = errors + e, total + n
    return round(errors / total, 4) if total else None
