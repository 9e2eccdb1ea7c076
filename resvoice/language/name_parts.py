"""A name given in labelled parts: "Delacroix, first name Simone", "Simone. Last name is Okafor".

Callers often give the surname (spelled, perhaps) and add the first name with its label, or the
other way round; the name is both parts, first name first, whichever order they came in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resvoice.language.name_words import is_name_word

__all__ = ["LabelledParts", "labelled_parts"]


@dataclass(frozen=True, slots=True)
class LabelledParts:
    """The first and last name words the caller labelled as such, and where each label starts
    in the text (None where that part was not labelled)."""

    first: str | None = None
    last: str | None = None
    first_at: int | None = None
    last_at: int | None = None


_LABEL = r"(?:'s|\s+is)?[\s,:]+"
_FIRST_RE = re.compile(
    rf"\b(?:my\s+|the\s+|and\s+)?(?:first|given)\s+name{_LABEL}(?P<word>[A-Za-z'’-]+)", re.I
)
_LAST_RE = re.compile(
    rf"\b(?:my\s+|the\s+|and\s+)?(?:last|family|second)\s+name{_LABEL}(?P<word>[A-Za-z'’-]+)|"
    rf"\b(?:my\s+|the\s+|and\s+)?surname{_LABEL}(?P<word2>[A-Za-z'’-]+)",
    re.I,
)


def labelled_parts(text: str, *, cased: bool) -> LabelledParts:
    """The name parts `text` labels ("first name Simone", "surname is Nguyen")."""
    first = _FIRST_RE.search(text)
    last = _LAST_RE.search(text)
    first_word = _word(first, "word", cased)
    last_word = _word(last, "word", cased) or _word(last, "word2", cased)
    return LabelledParts(
        first=first_word,
        last=last_word,
        first_at=first.start() if first_word and first else None,
        last_at=last.start() if last_word and last else None,
    )


def _word(m: re.Match[str] | None, group: str, cased: bool) -> str | None:
    if m is None or m.group(group) is None:
        return None
    word = m.group(group).strip("'’-")
    return word if is_name_word(word, cased=cased) else None
