"""Confirmation codes: what one is, said back letter by letter, and heard in what a caller says.

Six characters from an alphabet without the pairs people confuse on paper and on the phone
(no 0/O, 1/I/L, 2/Z, 5/S, 6/G/B, 8).

"K7MPA3" is read as "K, 7, M, P, A, 3" (the alphabet has no look-alikes, so plain letters are
enough; a caller who asks gets the phonetic form, "K as in Kilo"). A caller may give it as
"K 7 M P A 3", "k7mpa3", "kilo seven mike papa alpha three" or "K as in kilo, 7, ...".
"""

from __future__ import annotations

import re

__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "code_in",
    "is_code",
    "normalise_code",
    "spell_code",
    "spell_code_phonetic",
]

ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_LENGTH = 6
_CODE = re.compile(f"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def normalise_code(text: str) -> str:
    """Upper case without spaces, dashes or dots: "k7m-pa3" -> "K7MPA3"."""
    return re.sub(r"[\s.\-]", "", text).upper()


def is_code(text: str) -> bool:
    """Whether `text` (normalised) is a well-formed confirmation code."""
    return bool(_CODE.match(normalise_code(text)))


_PHONETIC = {
    "A": "Alpha", "C": "Charlie", "D": "Delta", "E": "Echo", "F": "Foxtrot", "H": "Hotel",
    "J": "Juliet", "K": "Kilo", "M": "Mike", "N": "November", "P": "Papa", "Q": "Quebec",
    "R": "Romeo", "T": "Tango", "U": "Uniform", "V": "Victor", "W": "Whiskey", "X": "X-ray",
    "Y": "Yankee",
}  # fmt: skip
_WORDS = {word.lower(): letter for letter, word in _PHONETIC.items()}
_WORDS |= {"xray": "X", "juliett": "J", "alfa": "A", "whisky": "W"}
_DIGITS = {"three": "3", "four": "4", "seven": "7", "nine": "9"}
_AS_IN = re.compile(r"\b(as\s+in|like)\s+[a-z-]+", re.IGNORECASE)
_CODE_WORDS = re.compile(r"\b(code|confirmation|reference|ref)\b", re.IGNORECASE)


def spell_code(code: str) -> str:
    """'K7MPA3' -> 'K, 7, M, P, A, 3'."""
    return ", ".join(code)


def spell_code_phonetic(code: str) -> str:
    """'K7' -> 'K as in Kilo, 7'."""
    return ", ".join(f"{c} as in {_PHONETIC[c]}" if c in _PHONETIC else c for c in code)


def code_in(text: str, *, expected: bool = False) -> str | None:
    """The confirmation code a caller says, or None.

    A run of single letters, digits or phonetic words six long is a code anywhere; a six
    character word counts only when it holds a digit or the caller speaks of a code
    (`expected`: the agent just asked for it), since "father" is spelt in the alphabet too.
    """
    spoken = _AS_IN.sub(" ", text)
    context = expected or bool(_CODE_WORDS.search(text))
    tokens = [_chars(t, context) for t in re.split(r"[^A-Za-z0-9-]+", spoken) if t]
    for start in range(len(tokens)):
        run: list[str] = []
        for chars in tokens[start:]:
            if chars is None:
                break
            run.extend(chars)
            if len(run) >= CODE_LENGTH:
                break
        if len(run) == CODE_LENGTH:
            return "".join(run)
    return None


def _chars(token: str, context: bool) -> list[str] | None:
    """The code characters one token stands for, or None when it is an ordinary word."""
    lowered = token.lower().replace("-", "")
    if lowered in _WORDS:
        return [_WORDS[lowered]]
    if lowered in _DIGITS:
        return [_DIGITS[lowered]]
    upper = token.replace("-", "").upper()
    if not upper or any(c not in ALPHABET for c in upper):
        return None
    if len(upper) == 1:
        return [upper]
    if any(c.isdigit() for c in upper) and len(upper) <= CODE_LENGTH:
        return list(upper)  # "K7", "MPA3": pieces of a code said in groups
    if len(upper) == CODE_LENGTH and context:
        return list(upper)  # a whole code said as one word, where a code is expected
    return None
