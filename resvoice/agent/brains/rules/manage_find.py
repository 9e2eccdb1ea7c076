"""Which booking a call about an existing booking means: found through `find_reservation`.

What the caller said of it (this turn and earlier ones: a name, a phone, a day, a confirmation
code) goes to the tool, which applies the privacy rule; one booking found is the call's, several
are listed and the caller picks one ("the Friday one", "the second"), none asks for what could
identify it; after three searches by what the caller said found nothing, a person is offered.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules.manage_phrasing import (
    ANYTHING_ELSE,
    BookingWords,
    not_found_line,
)
from resvoice.agent.brains.rules.manage_words import ORDINAL, identifying_part, name_after_under
from resvoice.agent.events import BrainEvent, ToolCall
from resvoice.language.codes import code_in
from resvoice.language.phrases import join_words
from resvoice.language.slots import extract_slots

__all__ = ["BookingFinder"]


class BookingFinder:
    """Finds the booking one turn means; what to say goes into `say`, what was found into
    `m` (the policy's state under `"manage"`: `rid` and `booking`, or `choices`)."""

    def __init__(
        self,
        text: str,
        ctx: TurnContext,
        m: dict[str, Any],
        say: list[str],
        words: BookingWords,
    ) -> None:
        self.text = text
        self.ctx = ctx
        self.m = m
        self.say = say
        self.words = words

    async def find(self, step: str | None) -> AsyncGenerator[BrainEvent, None]:
        m, ctx = self.m, self.ctx
        if ctx.reservation_id is not None and not self._facts(step):
            call = ToolCall("find_reservation", {"reservation_id": ctx.reservation_id})
        else:
            call = ToolCall("find_reservation", self._facts(step))
        yield call
        data = call.result.data if call.result else {}
        found = list(data.get("reservations", []))
        if len(found) == 1:
            m["rid"], m["booking"] = found[0]["reservation_id"], found[0]
            m["misses"] = 0
            return
        if len(found) > 1 and m.get("action") == "late":
            today = [r for r in found if r["date"] == self.ctx.today.isoformat()]
            found = today if len(today) == 1 else found  # late: for today's table
        if len(found) == 1:
            m["rid"], m["booking"] = found[0]["reservation_id"], found[0]
            return
        if len(found) > 1:
            m["choices"] = found
            m["step"] = "which"
            listed = join_words([self.words.when(r) for r in found], "and")
            self.say.append(f"I see {len(found)} bookings: {listed}. Which one do you mean?")
            return
        given = self._facts(step)
        if given:
            m["misses"] = int(m.get("misses", 0)) + 1
        if data.get("inactive") == "cancelled":
            self.say.append("That booking has already been cancelled.")
            m["step"] = "rebook"
            self.say.append("Would you like to book a new table?")
            return
        if data.get("inactive") == "past":
            self.say.append(f"That booking's time has already passed. {ANYTHING_ELSE}")
            m.clear()
            return
        if not given.keys() & {"name", "phone", "code"}:
            # nothing said yet that could identify a booking (a day alone cannot): ask for it
            m["step"] = "identify"
            self.say.append(
                "Of course. What name is the booking under, and the phone number or "
                "confirmation code it was made with?"
            )
            return
        if m.get("misses", 0) >= 3:
            m.clear()
            self.say.append(
                "I'm sorry, I can't find a booking under that name and number. A member of "
                "our team can help if you'd like to be transferred."
            )
            return
        m["step"] = "identify"
        self.say.append(not_found_line(given))

    def choose(self, choices: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The booking the caller picks among those listed, or None."""
        ctx = self.ctx
        slots = extract_slots(self.text, today=ctx.today, expecting=frozenset({"date", "time"}))
        fitting = [
            c
            for c in choices
            if (slots.date is None or c["date"] == slots.date.isoformat())
            and (slots.time is None or c["time"] == slots.time.strftime("%H:%M"))
        ]
        if (slots.date or slots.time) and len(fitting) == 1:
            return fitting[0]
        ordinal = ORDINAL.search(self.text)
        if ordinal:
            word = ordinal.group(1).lower()
            return (
                choices[0]
                if word in ("first", "earlier", "earliest")
                else (choices[1] if word == "second" else choices[-1])
            )
        return None

    def _facts(self, step: str | None) -> dict[str, Any]:
        """What the caller said about the booking (this turn and earlier ones), as tool args."""
        m, ctx = self.m, self.ctx
        facts: dict[str, Any] = dict(m.get("facts", {}))
        ident = identifying_part(self.text, m.get("action"))
        expecting = frozenset({"name", "phone"}) if step == "identify" else frozenset()
        slots = extract_slots(ident, today=ctx.today, expecting=expecting, region=ctx.phone_region)
        name = slots.name or name_after_under(ident)
        if name:
            facts["name"] = name
        if slots.phone:
            facts["phone"] = slots.phone
        if slots.date and slots.date >= ctx.today:
            facts["date"] = slots.date.isoformat()
        code = code_in(self.text, expected=step == "identify")
        if code and not _is_a_name_word(code, name):  # "Tanaka, 415...": a name, not a code
            facts["code"] = code
        m["facts"] = facts
        return facts


def _is_a_name_word(code: str, name: str | None) -> bool:
    """The code read is a word of the name said with it (a six-letter surname)."""
    return name is not None and code.upper() in {w.upper() for w in name.split()}
