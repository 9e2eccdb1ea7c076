"""Word error rate of recognised caller speech, and how a replayed caller says a line.

Both sides are normalised the same way before comparing: lower case, no punctuation, digits one
token each and number words as digits, so "555 123 4567" and "five five five one two three..."
count as the same words, and "7:30" as "7 30".
"""

from __future__ import annotations

import re

_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TOKEN = re.compile(r"[a-z]+|\d")
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
    """Comparable tokens: lower case words, single digits (number words mapped to digits)."""
    text = text.lower().replace("a.m.", "am").replace("p.m.", "pm").replace("'", "")
    tokens = _TOKEN.findall(text.replace("-", " "))
    return [_DIGIT_WORDS.get(token, token) for token in tokens]


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
