"""What the existing-booking policy says about a booking: its day and time, read-backs, asks.

Short, speakable sentences from a booking as the tools return it (a JSON view), for
`manage.py`; `today` turns dates into "today" and "tomorrow".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from resvoice.agent.notepad import speak_date, speak_time
from resvoice.language.phrases import speak_note

__all__ = [
    "ANYTHING_ELSE",
    "BookingWords",
    "ask_new_value_again",
    "clock",
    "confirm_again",
    "not_found_line",
    "on",
]

Booking = dict[str, Any]

ANYTHING_ELSE = "Is there anything else I can help with?"


class BookingWords:
    """Sentences about bookings, for a call on `today`."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def read_back(self, booking: Booking, args: dict[str, Any], deposit: Any) -> str:
        """The change about to be made, asked as a question."""
        after = dict(booking)
        after.update({k: v for k, v in args.items() if k in ("date", "time", "party_size")})
        if "special_requests" in args:
            return (
                f"I'll add a note to your booking {self.when(booking)}: "
                f"{speak_note(args['special_requests'])}. Is that right?"
            )
        parts: list[str] = []
        if "date" in args or "time" in args:
            parts.append(f"move your table from {self.at(booking)} to {self.at(after)}")
        if "party_size" in args:
            whose = "it" if parts else f"your booking {self.when(booking)}"
            parts.append(
                f"change {whose} from {booking['party_size']} to {args['party_size']} guests"
            )
        extra = f" {deposit}" if deposit else ""
        return f"Just to confirm: {' and '.join(parts)}?{extra} Shall I make that change?"

    def ask_new_value(self, booking: Booking, action: str, moving: str | None = None) -> str:
        """What the booking should become, when the caller has not said; `moving` is what a
        move asked for changes ("time": "push it back a bit", "day": "another day")."""
        have = f"I have {self.table(booking)}."
        if action == "party":
            return f"{have} How many guests will you be?"
        if action == "note":
            return f"{have} What would you like me to note on the booking?"
        if moving == "time":
            return f"{have} What time would you like instead?"
        if moving == "day":
            return f"{have} Which day would you like instead, and at what time?"
        return f"{have} What day and time would you like instead, or how many guests?"

    def table(self, booking: Booking) -> str:
        """'your table for 4 on Saturday, February 7th at 7 PM'."""
        return f"your table for {booking['party_size']} {self.when(booking)}"

    def when(self, booking: Booking) -> str:
        """'on Saturday, February 7th at 7 PM' ('today at 7 PM')."""
        return f"{on(self.day(booking))} at {speak_time(clock(booking['time']))}"

    def at(self, booking: Booking) -> str:
        """'Saturday, February 7th at 7 PM' ('today at 7 PM')."""
        return f"{self.day(booking)} at {speak_time(clock(booking['time']))}"

    def day(self, booking: Booking) -> str:
        return speak_date(dt.date.fromisoformat(booking["date"]), self.today)


def ask_new_value_again(action: str, times: int) -> str:
    """The change asked for again, another way, when the answer gave nothing to use; from
    the second time on, a person is offered."""
    if action == "party":
        need = "How many people will there be in total? Just the number is fine."
    elif action == "note":
        need = "What should I write on the booking? For example, a high chair or a birthday."
    else:
        need = (
            "Sorry, I still need the new day or time, for example Saturday at 8 PM, or the "
            "new number of guests. Or say no to keep the booking as it is."
        )
    if times >= 1:
        return f"{need} If it's easier, I can put you through to a member of our team."
    return need


def confirm_again(asked: str, times: int) -> str:
    """A change still waits for a yes or no after an answer that was neither: its question
    again, shorter and never word for word the line before; then a person is offered."""
    question = re.split(r"(?<=[.?!])\s+", asked)[-1]
    if times % 3 == 0:
        return f"Thank you. {question}"
    if times % 3 == 1:
        return (
            f"{question} Please say yes or no; or, if it's easier, I can put you through to a "
            "member of our team."
        )
    return asked


def not_found_line(given: dict[str, Any]) -> str:
    """No booking fits what the caller said (a name, a number or a code among it)."""
    return (
        "I'm sorry, I can't find a booking under that name and number. Could you give me the "
        "phone number the booking was made with, or your confirmation code?"
    )


def clock(value: str) -> dt.time:
    """An 'HH:MM' of a booking view as a time."""
    return dt.time.fromisoformat(value)


def on(when: str) -> str:
    """'on Saturday, ...', but plain 'today' and 'tomorrow'."""
    return when if when in ("today", "tomorrow") else f"on {when}"
