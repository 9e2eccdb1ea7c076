"""The rules policy for a call about a booking that already exists.

Find the booking (the tools apply the privacy rule: what comes back is the caller's, nothing
else), ask which one when there are several, then cancel, move, change the party size, add a
note, say when it is, or note that the guest is running late. Every change is checked first
(`dry_run`), read back, and made only on the caller's yes; a refused change says why and
offers the nearest free times. After a cancellation the caller may book again in the same
call: the new-booking flow takes over with the name and phone of the cancelled booking. After
the call's own booking, a change goes to that booking, and a further table starts another.

This module is the dialogue's steps, turn by turn: which booking is meant is
`manage_find.py`, the change the caller asks for `manage_change.py`, and what is done with
the booking `manage_act.py`.

Its state lives in the brain's per-call state under `"manage"` (JSON values only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncGenerator
from typing import Any

from resvoice.agent.booking_intents import about_a_booking, actions, booking_intent, no_text_wanted
from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules.manage_act import BookingActions, finished
from resvoice.agent.brains.rules.manage_change import ChangeReading
from resvoice.agent.brains.rules.manage_find import BookingFinder
from resvoice.agent.brains.rules.manage_phrasing import ANYTHING_ELSE, BookingWords, confirm_again
from resvoice.agent.brains.rules.manage_words import (
    DECLINE,
    EXISTING_ONE,
    NEW_BOOKING,
    OTHER_ONE,
    REBOOK,
    WHEN_QUESTION,
)
from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED
from resvoice.agent.events import BrainEvent, ToolCall
from resvoice.agent.intents import Intents
from resvoice.language.affirm import is_yes
from resvoice.language.party_changes import changes_head_count
from resvoice.language.slots import Extraction, extract_slots, special_requests

__all__ = ["ManageDialogue"]

_BOOK_VERB = re.compile(r"\b(?:book|reserve)\b", re.IGNORECASE)
_NEW_TABLE = re.compile(r"\b(?:book|reserve|table|reservation|booking)\b", re.IGNORECASE)
"""Words that name a table or a booking: with them the caller says which (new or theirs)."""
_THEIRS = re.compile(
    r"\b(?:our|my|we|we'?ve|we'?re|us|i'?ve|booked|booking|reservation|table|thing|confirm|"
    r"check|remind|cancel|change|move|push|bring|squeeze|fit|more|extra|earlier|later|late|"
    r"forward|back)\b",
    re.IGNORECASE,
)
"""Words about a table the caller has, or a change to one."""
_NEW_ONE = re.compile(
    r"\b(?:a\s+table|book\s+(?:a|us|me|for|in|one)|reserve\s+(?:a|one)|make\s+a\s+(?:booking|"
    r"reservation)|new\s+(?:booking|reservation|table)|another\s+(?:table|booking|reservation)|"
    r"table\s+for|available|availability|any\s+(?:space|room|tables?))\b",
    re.IGNORECASE,
)
"""Words asking for a new table."""
_NEW_NAME = re.compile(
    r"\b(?:change|switch|update)\s+(?:\w+\s+){0,4}?(?:name|names)\b(?!\s+(?:is|was))",
    re.IGNORECASE,
)
"""A change of the name a booking is under ("change the name on my booking to Paul's")."""
_ALL_OF_THEM = re.compile(r"\b(?:both|all\s+(?:of\s+)?(?:them|my|our|the)|each)\b", re.I)
"""Every booking found ("cancel both of my bookings", "all of them")."""
_MOVE_SAID = re.compile(
    r"\b(?:move|moving|reschedul\w*|push|bump|bring\s+(?:it\s+)?forward|switch|shift)\b",
    re.IGNORECASE,
)
"""A move asked for outright, not only read from "instead of" ("six now instead of four")."""
_NOT_BOOKED = re.compile(
    r"\b(?:haven'?t|have\s+not|didn'?t|did\s+not|don'?t|do\s+not)\s+(?:\w+\s+)?"
    r"(?:booked|book|made\s+(?:a|one|the)|have\s+(?:a|one))\b|\bnot\s+(?:booked\s+)?yet\b",
    re.IGNORECASE,
)
"""Words saying there is no booking yet ("I haven't booked yet", "we don't have one")."""
_ANOTHER = re.compile(
    r"\b(?:another|second|also|too|as\s+well|one\s+more|separate|different)\b", re.IGNORECASE
)
"""Words making a table asked for one more, beside the booking already made."""


class ManageDialogue:
    """One caller turn of the existing-booking policy; sentences go into `say`."""

    def __init__(self, text: str, ctx: TurnContext, intents: Intents, say: list[str]) -> None:
        self.text = text
        self.ctx = ctx
        self.intents = intents
        self.say = say
        self.m: dict[str, Any] = _manage_state(ctx)
        self.rebook: dict[str, Any] | None = None  # set when the caller books again
        words = BookingWords(ctx.today)
        self.change = ChangeReading(text, ctx, intents, self.m)
        self.finder = BookingFinder(text, ctx, self.m, say, words)
        self.actions = BookingActions(text, ctx, self.m, say, words, self.change)

    @staticmethod
    def wants(text: str, ctx: TurnContext) -> bool:
        """Whether this turn belongs to the existing-booking policy."""
        m = _manage_state(ctx)
        if m.get("step"):
            return True
        intent = booking_intent(text)
        new_booking = bool(ctx.state.get("booking")) or bool(ctx.notepad.filled())
        if about_a_booking(text) and not new_booking:
            return True
        if intent is None:
            return False
        if intent.is_request:
            return True
        if intent.action is None:
            return False
        if m.get("rid") is not None or ctx.reservation_id is not None:
            return True  # the call is already about a booking ("cancel it", "move it to 8")
        if intent.action == "party" and changes_head_count(text):
            # "one of us can't make it": a booking the caller has (not "book for 3, one more
            # might join", nor "my daughter is coming ... Sunday around six": a new table's
            # day and time, with no word of one they have)
            if not intent.existing and _day_and_time(text, ctx):
                return False
            return not new_booking and (intent.existing or not _BOOK_VERB.search(text))
        return intent.action in ("cancel", "move") and not new_booking

    @staticmethod
    def refuses_a_new_name(text: str, ctx: TurnContext, say: list[str]) -> bool:
        """ "Can you change the name on my booking to Paul's?": the team changes a booking's
        name, not the phone agent; said so (and a transfer offered), nothing guessed."""
        if not _NEW_NAME.search(text):
            return False  # most turns: no name to change, and no intent to read for it
        m = _manage_state(ctx)
        intent = booking_intent(text)
        if not (m.get("rid") or ctx.reservation_id or (intent and intent.existing)):
            return False
        say.append(
            "I'm sorry, I can't change the name on a booking over the phone; the booking "
            "stays as it is. A member of our team can change it if you'd like to be "
            "transferred."
        )
        ctx.state[TRANSFER_OFFERED] = True
        finished(m)
        return True

    @staticmethod
    def asks_another_table(text: str, ctx: TurnContext) -> bool:
        """After this call's booking, a further table ("could I also book one for Saturday?",
        "another table for Sunday too"): a second booking, not a change to the first."""
        return bool(
            ctx.reservation_id is not None
            and not _manage_state(ctx).get("pending")
            and _NEW_ONE.search(text)
            and _ANOTHER.search(text)
        )

    @staticmethod
    def follow_booking_made(ctx: TurnContext) -> None:
        """The booking this call just made is the one a change asks of next ("actually, make
        it 8", "oh, and it's a birthday"), as after a change to a booking the caller had."""
        ctx.state["manage"] = {"step": "anything"}

    @staticmethod
    def may_be_a_note(text: str, ctx: TurnContext, slots: Extraction) -> bool:
        """A need and a day, nothing else of a booking, from a caller whose number may hold a
        booking that day ("we'll have the baby with us on Tuesday, could we get a high
        chair?"): worth looking for that booking before starting a new one. `slots` are the
        values as said (a question's day is kept off the notepad, not out of this)."""
        return bool(
            _a_day_from_their_phone(ctx, slots)
            and not (slots.party_size or slots.time or slots.name or slots.phone)
            and special_requests(text)
            and not _NEW_TABLE.search(text)
        )

    @staticmethod
    def may_be_about_their_booking(text: str, ctx: TurnContext, slots: Extraction) -> bool:
        """A day and words about a table the caller has ("our Friday table", "confirm
        tomorrow", "squeeze in two more on Saturday"), with none of a new booking's details or
        words, from a caller whose number may hold a booking that day: worth looking for it
        before starting a new one, however garbled the rest ("Council tomorrow.")."""
        return bool(
            _a_day_from_their_phone(ctx, slots)
            and not (slots.party_size or slots.name or slots.phone)
            and (slots.time is None or "?" in text or actions(text))
            and _THEIRS.search(text)
            and not _NEW_ONE.search(text)
        )

    async def their_booking_that_day(
        self, day: dt.date, action: str | None = None
    ) -> AsyncGenerator[BrainEvent, None]:
        """Look for the caller's booking on `day`; when there is exactly one, take up `action`
        on it (a need as a note, read back and made on the caller's yes), or what the turn
        asks of it, or ask whether to change or cancel it. Says nothing otherwise."""
        if no_text_wanted(self.text):
            self.ctx.state["no_text"] = True
        date = day.isoformat()
        call = ToolCall("find_reservation", {"date": date})
        yield call
        found = call.result.data.get("reservations", []) if call.result else []
        that_day = [r for r in found if r.get("date") == date]
        if len(that_day) != 1:
            return
        asked = actions(self.text)
        self.m.update(
            rid=that_day[0]["reservation_id"],
            booking=that_day[0],
            action=action or (asked[0] if asked else None),
        )
        async for event in self.actions.act(None):
            yield event

    async def run(self) -> AsyncGenerator[BrainEvent, None]:
        m, change = self.m, self.change
        if no_text_wanted(self.text):
            self.ctx.state["no_text"] = True
        step = m.pop("step", None)
        asked = actions(self.text)
        if step == "identify" and not asked and self._new_booking_instead():
            m.clear()  # asked who the booking is under, the caller gives a new table's details
            return
        if step in ("identify", "which", "kind") and not asked and "goodbye" in self.intents:
            m.clear()  # asked which booking, "okay, thanks, bye": the caller is leaving
            self.say.append(f"Thank you for calling {self.ctx.profile.restaurant.name}. Goodbye!")
            return
        if step == "confirm":
            # "lovely, yes", "go on then": agreement needs no leading "yes" (affirm.is_yes)
            agreed = "yes" in self.intents or is_yes(self.text)
            if agreed and not change.new_values(m.get("action")):
                async for event in self.actions.execute():
                    yield event
                return
            declined = (
                "no" in self.intents or "goodbye" in self.intents or DECLINE.search(self.text)
            )
            if declined and not change.new_values(m.get("action")) and not asked:
                m["pending"] = None
                m["action"] = None
                self.say.append(f"Okay, I've left your booking as it is. {ANYTHING_ELSE}")
                return
            if m.get("pending") and not asked and not change.new_values(m.get("action")):
                # neither a yes nor a no (a detail, a question): the change still waits for one
                m["step"] = "confirm"
                again = int(m.get("confirm_again", 0))
                m["confirm_again"] = again + 1
                question = m.get("asked_confirm") or "Shall I go ahead with that change?"
                self.say.append(confirm_again(str(question), again))
                return
        if step == "kind":
            if NEW_BOOKING.search(self.text) and not EXISTING_ONE.search(self.text):
                m.clear()
                self.rebook = {}
                return
            if not asked:
                asked = []
        if step in ("rebook", "anything") and OTHER_ONE.search(self.text) and m.get("done"):
            # "and the other one too": the same again, for the caller's other booking
            asked = asked or [m["done"]]
            m["rid"], step = None, None
            m.pop("booking", None)
        if step == "rebook":
            if ("yes" in self.intents or REBOOK.search(self.text)) and "no" not in self.intents:
                self._start_rebooking()
                return
            if not asked:
                m.clear()
                self.say.append(
                    f"Thank you for calling {self.ctx.profile.restaurant.name}. Goodbye!"
                    if "no" in self.intents or "goodbye" in self.intents
                    else ANYTHING_ELSE
                )
                return
        if step == "what" and not asked and WHEN_QUESTION.search(self.text):
            asked = ["check"]
        if step == "anything" and not asked:
            # "actually 8:30?" goes on with the booking; "and one for Saturday too" is a new one
            new_table = bool(_NEW_ONE.search(self.text))
            asked = [] if new_table else change.implied_action()
            number = None if asked or new_table else change.bare_number()
            if number is not None:
                m["step"] = "anything"
                self.say.append(f"Would that be {number} o'clock, or {number} people?")
                return
            if not asked:
                m.clear()
                if self.intents.found & {"no", "goodbye", "thanks"}:
                    self.say.append(
                        f"Thank you for calling {self.ctx.profile.restaurant.name}. Goodbye!"
                    )
                return  # otherwise not about the booking any more: the general policy answers
        if step in ("what", "what_change") and not asked and change.declines():
            self.say.append(f"Okay, I've left your booking as it is. {ANYTHING_ELSE}")
            finished(m)
            return
        if asked:
            # "move it to Saturday and add one more": a move said outright carries a new head
            # count with it ("we'll be six now instead of four" moves nothing)
            both = "move" in asked and "party" in asked and _MOVE_SAID.search(self.text)
            m["action"] = "move" if both else asked[0]
            if m.get("rid") is None:
                m["request"] = self.text  # acted on once the booking is found
        elif step is None and m.get("rid") is None and about_a_booking(self.text):
            intent = booking_intent(self.text)
            if intent is None or not intent.existing:
                m["step"] = "kind"
                self.say.append(
                    "Of course. Is it about a booking you already have, or would you like to "
                    "make a new one?"
                )
                return
        if m.get("rid") is None and step == "which" and m.get("choices"):
            chosen = self.finder.choose(m["choices"])
            if chosen is not None:
                m["rid"], m["booking"], m["choices"] = chosen["reservation_id"], chosen, None
        if m.get("rid") is None and m.get("choices") and self._all_of_them():
            self.actions.cancel_all(m.pop("choices"))  # "cancel both", asked which
            return
        if m.get("rid") is None:
            said = len(self.say)
            async for event in self.finder.find(step):
                yield event
            if m.get("choices") and self._all_of_them():
                del self.say[said:]  # "cancel both of my bookings": no need to ask which
                self.actions.cancel_all(m.pop("choices"))
                return
            if m.get("rid") is None:
                return
        async for event in self.actions.act(step):
            yield event

    def _all_of_them(self) -> bool:
        """ "Cancel both of my bookings", "all of them": every booking found, to cancel."""
        return self.m.get("action") == "cancel" and bool(_ALL_OF_THEM.search(self.text))

    def _new_booking_instead(self) -> bool:
        """ "Oh, I haven't booked yet. Two people Saturday at 7 please": a new table asked for,
        with nothing that finds a booking (a name, a number)."""
        slots = self.change.slots()
        asked = _NOT_BOOKED.search(self.text) or _NEW_ONE.search(self.text)
        return bool(asked and not (slots.name or slots.phone))

    def _start_rebooking(self) -> None:
        """Hand over to the new-booking flow with the guest's name and phone."""
        cancelled = self.m.get("cancelled") or self.m.get("booking") or {}
        self.m.clear()
        self.rebook = {"name": cancelled.get("name"), "phone": cancelled.get("phone")}
        self.ctx.state["booking"] = True


def _a_day_from_their_phone(ctx: TurnContext, slots: Extraction) -> bool:
    """A day said by a caller whose number may hold a booking, before any booking (new or
    theirs) is in hand: where a booking of theirs on that day is worth looking for."""
    m = _manage_state(ctx)
    return bool(
        ctx.caller_id
        and slots.date
        and not (m.get("rid") or m.get("step"))
        and not (ctx.state.get("booking") or ctx.notepad.filled())
    )


def _day_and_time(text: str, ctx: TurnContext) -> bool:
    slots = extract_slots(text, today=ctx.today)
    return slots.date is not None and slots.time is not None


def _manage_state(ctx: TurnContext) -> dict[str, Any]:
    state = ctx.state.get("manage")
    if not isinstance(state, dict):
        state = {}
        ctx.state["manage"] = state
    return state
