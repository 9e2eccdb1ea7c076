"""What a caller says about a booking they already have, and whether it fits a stored one.

`CallerFacts`: any of the name on the booking, its phone, its date and its confirmation code.
A name matches whole or by its surname alone, ignoring case, or as speech-to-text may have
written it ("Meta" for "Mehta"); a phone by its digits (the last ten when both have as many).
The privacy rule built on these (two facts, or the caller ID) is `desk.py`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from resvoice.storage.records import Reservation

__all__ = ["CallerFacts", "contradicts", "fits", "matches", "same_phone"]


@dataclass(frozen=True)
class CallerFacts:
    """What the caller said about the booking they mean; any may be missing."""

    name: str | None = None
    phone: str | None = None
    date: dt.date | None = None
    code: str | None = None

    def given(self) -> int:
        return sum(v is not None for v in (self.name, self.phone, self.date, self.code))


def matches(reservation: Reservation, facts: CallerFacts) -> int:
    """How many of the stated facts are true of the reservation."""
    return sum(
        (
            facts.name is not None and _same_name(reservation.name, facts.name),
            facts.phone is not None and same_phone(reservation.phone, facts.phone),
            facts.date is not None and reservation.date == facts.date,
            facts.code is not None and reservation.code == facts.code,
        )
    )


def contradicts(reservation: Reservation, facts: CallerFacts) -> bool:
    """A stated fact is false of the reservation (a wrong number, name, date or code)."""
    return (
        (
            facts.name is not None
            and not set(_words(reservation.name)) & set(_words(facts.name))
            and not _sounds_alike(reservation.name, facts.name)
        )
        or (facts.phone is not None and not same_phone(reservation.phone, facts.phone))
        or (facts.date is not None and reservation.date != facts.date)
        or (facts.code is not None and reservation.code != facts.code)
    )


def fits(reservation: Reservation, facts: CallerFacts) -> bool:
    """Nothing the caller said contradicts the reservation (a date or a code they gave)."""
    if facts.date is not None and reservation.date != facts.date:
        return False
    return facts.code is None or reservation.code == facts.code


def _same_name(stored: str, said: str) -> bool:
    """The whole name, or the surname alone, ignoring case."""
    have, heard = _words(stored), _words(said)
    if not have or not heard:
        return False
    return (
        have == heard or (len(heard) == 1 and heard[-1] == have[-1]) or _sounds_alike(stored, said)
    )


def _sounds_alike(stored: str, said: str) -> bool:
    """The surname as speech-to-text wrote it: the same first letter and consonants ("Meta"
    for "Mehta", "Millar" for "Miller"). Still one fact of the two a caller must state."""
    have, heard = _words(stored), _words(said)
    if not have or not heard or len(heard[-1]) < 3:
        return False
    return _skeleton(have[-1]) == _skeleton(heard[-1])


def _skeleton(word: str) -> str:
    rest = re.sub(r"[aeiouyhw']", "", word[1:])
    return word[0] + re.sub(r"(.)\1+", r"\1", rest)


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z']+", name.lower())


def same_phone(a: str, b: str) -> bool:
    da, db = re.sub(r"\D", "", a), re.sub(r"\D", "", b)
    return bool(da) and (da == db or (len(da) >= 10 and len(db) >= 10 and da[-10:] == db[-10:]))
