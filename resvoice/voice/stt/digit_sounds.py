"""Digits as a recogniser writes them: the digit words, and the common words Whisper writes for
a digit it half hears inside a spoken number ("five" as "fine" or "time", "three" as "free",
"oh" as "o"). Shared by hearing in context (which rewrites them) and the end of turn (which
counts them, so a number heard as "5-0 free" is still a number in progress)."""

from __future__ import annotations

__all__ = ["DIGIT_WORDS", "SOUNDS_LIKE_DIGIT"]

DIGIT_WORDS = frozenset(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
)

SOUNDS_LIKE_DIGIT = {
    "oh": "0", "o": "0", "won": "1", "to": "2", "too": "2", "tree": "3", "free": "3",
    "for": "4", "fore": "4", "fine": "5", "time": "5", "sex": "6", "ate": "8", "nein": "9",
}  # fmt: skip
"""A homophone read as the digit it stands for; only ever inside a run of digits."""
