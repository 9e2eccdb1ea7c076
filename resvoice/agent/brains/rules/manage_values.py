"""What a caller's words make of a booking they already have, said relative to it.

"push it back an hour" (its time plus 60 minutes), "the day after" (its date plus one),
"one of us can't come" (its head count less one), "we'll be there at 7:20" (a delay of 20
minutes on a 7 PM table). Read against the booking as the tools return it (a JSON view), for
`manage.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from resvoice.language.party_changes import new_party_size
from resvoice.language.shifts import day_relative_to, time_shift
from resvoice.language.times import parse_time

__all__ = ["arrival_delay", "party_from", "shifted"]

Booking = dict[str, Any]


def shifted(text: str, booking: Booking) -> dict[str, str]:
    """`change_reservation` arguments for a move said relative to the booking."""
    args: dict[str, str] = {}
    day = dt.date.fromisoformat(booking["date"])
    minutes = time_shift(text)
    if minutes is not None:
        start = dt.datetime.combine(day, dt.time.fromisoformat(booking["time"]))
        moved = start + dt.timedelta(minutes=minutes)
        args["time"] = moved.strftime("%H:%M")
        if moved.date() != day:
            args["date"] = moved.date().isoformat()
    other = day_relative_to(text, day)
    if other is not None and other != day:
        args["date"] = other.isoformat()
    return args


def party_from(text: str, current: int) -> int | None:
    """The head count the booking should become ("so it'll be 4", "one more"), if said."""
    return new_party_size(text, current)


def arrival_delay(text: str, booking: Booking) -> int | None:
    """Minutes late from an arrival time ("we'll be there around 7:20" on a 7 PM table)."""
    found = parse_time(text)
    if found is None:
        return None
    booked = dt.time.fromisoformat(booking["time"])
    base = booked.hour * 60 + booked.minute
    for hour in (found.value.hour, (found.value.hour + 12) % 24):
        delay = hour * 60 + found.value.minute - base
        if 0 < delay <= 120:
            return delay
    return None
