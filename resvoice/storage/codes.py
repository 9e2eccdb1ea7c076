"""Confirmation codes: six characters from an alphabet a caller cannot mishear or misread.

No 0/O, 1/I/L, 2/Z, 5/S, 6/G/B, 8 - the pairs people confuse on paper and on the phone. Codes
are random (not derived from the id, so a caller cannot guess a neighbour's) and unique per
database (a unique index; `new_code` is simply drawn again on the rare collision).
"""

from __future__ import annotations

import re
import secrets

__all__ = ["ALPHABET", "CODE_LENGTH", "is_code", "new_code", "normalise_code"]

ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_LENGTH = 6
_CODE = re.compile(f"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def new_code() -> str:
    """A fresh random confirmation code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """Upper case without spaces, dashes or dots: "k7m-pa3" -> "K7MPA3"."""
    return re.sub(r"[\s.\-]", "", text).upper()


def is_code(text: str) -> bool:
    """Whether `text` (normalised) is a well-formed confirmation code."""
    return bool(_CODE.match(normalise_code(text)))
