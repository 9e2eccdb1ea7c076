"""Confirmation codes: a fresh random one for each booking.

What a code is (its alphabet without look-alikes, its length, how it is written and spoken)
is `resvoice.language.codes`; codes are random (not derived from the id, so a caller cannot
guess a neighbour's) and unique per database (a unique index; a clash, about 1 in 10^8, is
simply drawn again).
"""

from __future__ import annotations

import secrets

from resvoice.language.codes import ALPHABET, CODE_LENGTH, is_code, normalise_code

__all__ = ["ALPHABET", "CODE_LENGTH", "is_code", "new_code", "normalise_code"]


def new_code() -> str:
    """A fresh random confirmation code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
