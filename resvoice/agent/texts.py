"""The confirmation texts the agent sends a guest: short, and enough to act on.

Restaurant, what happened, day and date, time, party, the confirmation code, and how to change
it. Plain text, one SMS segment where the names allow.
"""

from __future__ import annotations

from typing import Literal

from resvoice.language.phrases import speak_time
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.base import Reservation

__all__ = ["confirmation_text", "when_text"]


def confirmation_text(
    kind: Literal["booked", "changed", "cancelled"],
    reservation: Reservation,
    profile: RestaurantProfile,
) -> str:
    """The text for a booking that was just made, changed or cancelled."""
    name = profile.restaurant.name
    phone = profile.restaurant.phone
    table = f"table for {reservation.party_size} on {when_text(reservation)}"
    code = reservation.code
    if kind == "cancelled":
        return f"{name}: your {table} is cancelled (code {code}). To book again, call {phone}."
    if kind == "changed":
        return (
            f"{name}: booking {code} changed, now a {table}. "
            f"To change or cancel, call {phone} and give code {code}."
        )
    return (
        f"{name}: your {table} is booked. Confirmation code {code}. "
        f"To change or cancel, call {phone} and give the code."
    )


def when_text(reservation: Reservation) -> str:
    """'Friday, February 6 at 7 PM'."""
    day = reservation.date
    return f"{day:%A, %B} {day.day} at {speak_time(reservation.time)}"
