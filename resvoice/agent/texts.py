"""The confirmation texts the agent sends a guest: short, and enough to act on.

Restaurant, what happened, day and date, time, party, the confirmation code, and how to change
it. Plain text, one SMS segment where the names allow.
"""

from __future__ import annotations

from typing import Literal

from resvoice.language.phrases import speak_time
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.records import Reservation

__all__ = ["confirmation_text", "sms_segments", "when_text"]


def confirmation_text(
    kind: Literal["booked", "changed", "cancelled"],
    reservation: Reservation,
    profile: RestaurantProfile,
) -> str:
    """The text for a booking that was just made, changed or cancelled: the fullest wording
    that fits one SMS segment, else the shortest."""
    wordings = _wordings(kind, reservation, profile)
    return next((text for text in wordings if sms_segments(text) == 1), wordings[-1])


def sms_segments(text: str) -> int:
    """How many SMS segments `text` takes: 160 GSM-7 characters in one (153 each when split;
    the extension characters count twice), or 70 UCS-2 characters (67 each when split) as soon
    as one character is outside GSM-7."""
    if all(c in _GSM7 or c in _GSM7_EXTENDED for c in text):
        units = sum(2 if c in _GSM7_EXTENDED else 1 for c in text)
        return 1 if units <= 160 else -(-units // 153)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
    return 1 if units <= 70 else -(-units // 67)


def _wordings(
    kind: Literal["booked", "changed", "cancelled"],
    reservation: Reservation,
    profile: RestaurantProfile,
) -> list[str]:
    """From the fullest to the shortest; each says restaurant, day and date, time, party, code
    and how to change it."""
    name = profile.restaurant.name
    phone = profile.restaurant.phone
    party = f"table for {reservation.party_size}"
    table = f"{party} on {when_text(reservation)}"
    short = f"{party}, {_short_when(reservation)}"
    code = reservation.code
    if kind == "cancelled":
        return [
            f"{name}: your {table} is cancelled (code {code}). To book again, call {phone}.",
            f"{name}: {short} cancelled (code {code}). To book again, call {phone}.",
        ]
    if kind == "changed":
        return [
            f"{name}: booking {code} changed, now a {table}. "
            f"To change or cancel, call {phone} and give code {code}.",
            f"{name}: booking {code} changed, now a {table}. To change or cancel, call {phone}.",
            f"{name}: booking {code} now {short}. To change or cancel, call {phone}.",
        ]
    return [
        f"{name}: your {table} is booked. Confirmation code {code}. "
        f"To change or cancel, call {phone} and give the code.",
        f"{name}: your {table} is booked. Code {code}. To change or cancel, call {phone}.",
        f"{name}: {short} booked. Code {code}. To change or cancel, call {phone}.",
    ]


def _short_when(reservation: Reservation) -> str:
    """'Fri Feb 6, 7 PM'."""
    day = reservation.date
    return f"{day:%a %b} {day.day}, {speak_time(reservation.time)}"


_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def when_text(reservation: Reservation) -> str:
    """'Friday, February 6 at 7 PM'."""
    day = reservation.date
    return f"{day:%A, %B} {day.day} at {speak_time(reservation.time)}"
