"""The change a caller asks of a booking they already have, read from their words.

"move it to 8", "make it six of us", "an hour later", "add a note: a high chair", "the 7:30
one" (of the times just offered): what the booking should become, as `change_reservation`
arguments, against the booking as the tools return it. Also whether a turn goes on with the
booking without naming an action ("actually 8:30?") and whether it declines to change it.
"""

from __future__ import annotations

import re
from typing import Any

from resvoice.agent.booking_intents import ManageAction
from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules.manage_phrasing import clock
from resvoice.agent.brains.rules.manage_values import party_from, shifted
from resvoice.agent.brains.rules.manage_words import (
    DECLINE,
    INSTEAD_OF,
    PEOPLE,
    WHEN_QUESTION,
    absolute_party,
    asks_new_when,
    choose_time,
    note_text,
    relative_party,
    target_part,
)
from resvoice.agent.intents import Intents
from resvoice.language.numbers import words_to_digits
from resvoice.language.slots import Extraction, extract_slots, is_correction

__all__ = ["ChangeReading"]

_BETTER = re.compile(r"\b(?:would|'d)\s+be\s+(?:better|easier|great|perfect)\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?<![\d:.])\b(\d{1,2})\b(?![\d:.]|\s*(?:am|pm|o'?clock|people))", re.I)


class ChangeReading:
    """One turn's words about the booking in `m` (the policy's state under `"manage"`)."""

    def __init__(self, text: str, ctx: TurnContext, intents: Intents, m: dict[str, Any]) -> None:
        self.text = text
        self.ctx = ctx
        self.intents = intents
        self.m = m

    def slots(self) -> Extraction:
        """Every booking value the turn's words give, read as said."""
        return extract_slots(self.text, today=self.ctx.today)

    def implied_action(self) -> list[ManageAction]:
        """After a change, "and a high chair too" / "actually 8:30?" go on with the booking."""
        slots = self.slots()
        if WHEN_QUESTION.search(self.text):
            return ["check"]
        if slots.special_requests:
            return ["note"]
        if slots.date or slots.time:
            return ["move"]
        if slots.party_size and (PEOPLE.search(self.text) or slots.is_correction):
            return ["party"]  # "make it six of us", "sorry, can you make it for three"
        return []

    def bare_number(self) -> int | None:
        """A number a caller corrects to with nothing saying what it counts ("actually, make
        that 8 instead", "8 would be better"): an hour or a head count, to be asked."""
        if not is_correction(self.text) and not _BETTER.search(self.text):
            return None
        numbers = _BARE_NUMBER.findall(words_to_digits(self.text))
        if len(numbers) != 1 or not 1 <= int(numbers[0]) <= 12:
            return None
        return int(numbers[0])

    def declines(self) -> bool:
        """ "no, leave it", "that's all, thanks": nothing to change after all."""
        said_no = bool(
            self.intents.found & {"no", "goodbye"}
            or DECLINE.search(self.text)
            or (self.intents.found & {"thanks"} and len(self.text.split()) <= 4)
        )
        return said_no and not self.new_values(self.m.get("action"))

    def requested_values(self, action: str | None) -> dict[str, Any]:
        """The change asked for this turn, else the one asked before the booking was found
        ("move my Friday booking to 8", then the name it is under)."""
        request = self.m.pop("request", None)
        args = self.new_values(action)
        if args or not request or request == self.text:
            return args
        return self._values_in(request, action)

    def new_values(self, action: str | None) -> dict[str, Any]:
        """The change this turn asks for, as `change_reservation` arguments."""
        return self._values_in(self.text, action)

    def _values_in(self, text: str, action: str | None) -> dict[str, Any]:
        """The change `text` asks for, as `change_reservation` arguments."""
        m, ctx = self.m, self.ctx
        if "booking" not in m:
            return {}
        booking = m["booking"]
        target = target_part(text) if m.get("rid") is not None else text
        target = INSTEAD_OF.sub(" ", target)  # "8 instead of 7": the 7 is the old time
        expecting: set[str] = set()
        if action == "party":
            expecting.add("party_size")
        if action == "move" or m.get("offered"):
            expecting.add("time")
        slots = extract_slots(target, today=ctx.today, expecting=frozenset(expecting))
        args: dict[str, Any] = {}
        offered = [clock(t) for t in m.get("offered") or []]
        chosen = choose_time(text, offered, "yes" in self.intents)
        if chosen is not None:
            args["time"] = chosen.strftime("%H:%M")
            if m.get("offered_date"):
                args["date"] = m["offered_date"]
        if action in ("move", None) or (
            action == "party" and slots.party_size is None and asks_new_when(text)
        ):
            if slots.date and slots.date.isoformat() != booking["date"]:
                args["date"] = slots.date.isoformat()
            if slots.time and slots.time.strftime("%H:%M") != booking["time"]:
                args.setdefault("time", slots.time.strftime("%H:%M"))
        if action in ("move", None) and chosen is None:
            args.update(shifted(text, booking))  # "an hour later", "the day after"
            args = {k: v for k, v in args.items() if v != booking.get(k)}
        current = int(booking["party_size"])
        relative = (
            party_from(text, current) or absolute_party(text) or relative_party(text, current)
        )
        if action == "party" or relative is not None:
            size = relative if relative is not None else slots.party_size
            if size is not None and size != booking["party_size"]:
                args["party_size"] = size
        elif (
            action in ("move", None)
            and slots.party_size not in (None, booking["party_size"])
            and PEOPLE.search(target)
        ):
            args["party_size"] = slots.party_size
        if action == "note":
            note = slots.special_requests or note_text(text)
            if note:
                args["special_requests"] = note
        return args
