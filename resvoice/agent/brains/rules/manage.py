"""The rules policy for a call about a booking that already exists.

Find the booking (the tools apply the privacy rule: what comes back is the caller's, nothing
else), ask which one when there are several, then cancel, move, change the party size, add a
note, say when it is, or note that the guest is running late. Every change is checked first
(`dry_run`), read back, and made only on the caller's yes; a refused change says why and
offers the nearest free times. After a cancellation the caller may book again in the same
call: the new-booking flow takes over with the name and phone of the cancelled booking.

Its state lives in the brain's per-call state under `"manage"` (JSON values only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncGenerator
from typing import Any

from resvoice.agent.booking_intents import (
    ManageAction,
    about_a_booking,
    actions,
    booking_intent,
    late_minutes,
    no_text_wanted,
)
from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules.manage_phrasing import (
    BookingWords,
    ask_new_value_again,
    clock,
    confirm_again,
    not_found_line,
    on,
)
from resvoice.agent.brains.rules.manage_values import arrival_delay, party_from, shifted
from resvoice.agent.brains.rules.manage_words import (
    DECLINE,
    EXISTING_ONE,
    INSTEAD_OF,
    NEW_BOOKING,
    ORDINAL,
    OTHER_ONE,
    PEOPLE,
    REBOOK,
    WHEN_QUESTION,
    absolute_party,
    choose_time,
    identifying_part,
    name_after_under,
    note_text,
    relative_party,
    target_part,
)
from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED
from resvoice.agent.events import BrainEvent, ToolCall
from resvoice.agent.intents import Intents
from resvoice.agent.notepad import speak_date, speak_time
from resvoice.language.codes import code_in
from resvoice.language.party_changes import changes_head_count
from resvoice.language.phrases import join_words
from resvoice.language.slots import extract_slots

__all__ = ["ManageDialogue"]

_ANYTHING_ELSE = "Is there anything else I can help with?"
_BOOK_VERB = re.compile(r"\b(?:book|reserve)\b", re.IGNORECASE)
# where a move names its target: "move my Friday booking | to Saturday at 8"


class ManageDialogue:
    """One caller turn of the existing-booking policy; sentences go into `say`."""

    def __init__(self, text: str, ctx: TurnContext, intents: Intents, say: list[str]) -> None:
        self.text = text
        self.ctx = ctx
        self.intents = intents
        self.say = say
        self.m: dict[str, Any] = _manage_state(ctx)
        self.rebook: dict[str, Any] | None = None  # set when the caller books again
        self.words = BookingWords(ctx.today)
        self.step: str | None = None  # the step this turn answers

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
            # might join")
            return not new_booking and (intent.existing or not _BOOK_VERB.search(text))
        return intent.action in ("cancel", "move") and not new_booking

    # --- the turn -----------------------------------------------------------------------------
    async def run(self) -> AsyncGenerator[BrainEvent, None]:
        m = self.m
        if no_text_wanted(self.text):
            self.ctx.state["no_text"] = True
        step = m.pop("step", None)
        asked = actions(self.text)
        if step == "confirm":
            if "yes" in self.intents and not self._new_values(m.get("action")):
                async for event in self._execute():
                    yield event
                return
            declined = (
                "no" in self.intents or "goodbye" in self.intents or DECLINE.search(self.text)
            )
            if declined and not self._new_values(m.get("action")) and not asked:
                m["pending"] = None
                m["action"] = None
                self.say.append(f"Okay, I've left your booking as it is. {_ANYTHING_ELSE}")
                return
            if m.get("pending") and not asked and not self._new_values(m.get("action")):
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
                    else _ANYTHING_ELSE
                )
                return
        if step == "what" and not asked and WHEN_QUESTION.search(self.text):
            asked = ["check"]
        if step == "anything" and not asked:
            asked = self._implied_action()
            if not asked:
                m.clear()
                if self.intents.found & {"no", "goodbye", "thanks"}:
                    self.say.append(
                        f"Thank you for calling {self.ctx.profile.restaurant.name}. Goodbye!"
                    )
                return  # otherwise not about the booking any more: the general policy answers
        if step in ("what", "what_change") and not asked and self._declines():
            self.say.append(f"Okay, I've left your booking as it is. {_ANYTHING_ELSE}")
            self._finished()
            return
        self.step = step
        if asked:
            m["action"] = asked[0]
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
            chosen = self._choose_booking(m["choices"])
            if chosen is not None:
                m["rid"], m["booking"], m["choices"] = chosen["reservation_id"], chosen, None
        if m.get("rid") is None:
            async for event in self._find(step):
                yield event
            if m.get("rid") is None:
                return
        async for event in self._act():
            yield event

    # --- finding ------------------------------------------------------------------------------

    async def _find(self, step: str | None) -> AsyncGenerator[BrainEvent, None]:
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
            self.say.append(f"That booking's time has already passed. {_ANYTHING_ELSE}")
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
        if code:
            facts["code"] = code
        m["facts"] = facts
        return facts

    def _choose_booking(self, choices: list[dict[str, Any]]) -> dict[str, Any] | None:
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

    # --- acting -------------------------------------------------------------------------------
    async def _act(self) -> AsyncGenerator[BrainEvent, None]:
        m = self.m
        action = m.get("action")
        booking = m["booking"]
        if action is None:
            args = self._new_values(None)
            if args:
                async for event in self._propose(args):
                    yield event
                return
            m["step"] = "what"
            self.say.append(
                f"I have {self.words.table(booking)} under {booking['name']}. Would you like to "
                "change it or cancel it?"
            )
            return
        if action == "check":
            self.say.append(
                f"Your table for {booking['party_size']} is booked "
                f"{self.words.when(booking)}, under {booking['name']}. Your confirmation "
                f"code is {booking['code_spelled']}. {_ANYTHING_ELSE}"
            )
            self._finished()
            return
        if action == "late":
            async for event in self._late():
                yield event
            return
        if action == "cancel":
            m["pending"] = {"kind": "cancel"}
            m["step"] = "confirm"
            m["asked_confirm"] = (
                f"I have {self.words.table(booking)} under {booking['name']}. Shall I cancel it?"
            )
            self.say.append(m["asked_confirm"])
            return
        args = self._requested_values(action)
        if not args:
            again = int(m.get("asked_again", 0)) if self.step == "what_change" else -1
            m["step"] = "what_change"
            m["asked_again"] = again + 1
            if again < 0:
                self.say.append(self.words.ask_new_value(booking, action))
            else:  # the answer gave nothing to use: say what is needed another way
                self.say.append(ask_new_value_again(action, again))
                if again >= 1:
                    self.ctx.state[TRANSFER_OFFERED] = True
            return
        m.pop("asked_again", None)
        async for event in self._propose(args):
            yield event

    async def _late(self) -> AsyncGenerator[BrainEvent, None]:
        m, booking = self.m, self.m["booking"]
        minutes = late_minutes(self.text) or arrival_delay(self.text, booking)
        if minutes is None:
            if m.get("asked_late"):
                minutes = 15  # "a bit late", twice: note the usual grace period
            else:
                m["asked_late"] = True
                m["step"] = "what_change"
                self.say.append("Thanks for letting us know. About how many minutes late?")
                return
        call = ToolCall(
            "change_reservation",
            {"reservation_id": m["rid"], "late_minutes": minutes, "send_text": False},
        )
        yield call
        data = call.result.data if call.result else {}
        if not (call.result and call.result.ok):
            self.say.append(f"I'm sorry, I couldn't note that on the booking. {_ANYTHING_ELSE}")
            self._finished()
            return
        self.say.append(
            f"Thanks for letting us know. I've noted that you'll be about {minutes} minutes "
            f"late for your table at {speak_time(clock(booking['time']))}; it stays at that "
            f"time. {data.get('hold_policy', '')} {_ANYTHING_ELSE}".replace("  ", " ")
        )
        self._finished()

    def _implied_action(self) -> list[ManageAction]:
        """After a change, "and a high chair too" / "actually 8:30?" go on with the booking."""
        slots = extract_slots(self.text, today=self.ctx.today)
        if WHEN_QUESTION.search(self.text):
            return ["check"]
        if slots.special_requests:
            return ["note"]
        if slots.date or slots.time:
            return ["move"]
        if slots.party_size and PEOPLE.search(self.text):
            return ["party"]
        return []

    def _declines(self) -> bool:
        """ "no, leave it", "that's all, thanks": nothing to change after all."""
        said_no = bool(
            self.intents.found & {"no", "goodbye"}
            or DECLINE.search(self.text)
            or (self.intents.found & {"thanks"} and len(self.text.split()) <= 4)
        )
        return said_no and not self._new_values(self.m.get("action"))

    def _requested_values(self, action: str | None) -> dict[str, Any]:
        """The change asked for this turn, else the one asked before the booking was found
        ("move my Friday booking to 8", then the name it is under)."""
        request = self.m.pop("request", None)
        args = self._new_values(action)
        if args or not request or request == self.text:
            return args
        said, self.text = self.text, request
        try:
            return self._new_values(action)
        finally:
            self.text = said

    def _new_values(self, action: str | None) -> dict[str, Any]:
        """The change this turn asks for, as `change_reservation` arguments."""
        m, ctx = self.m, self.ctx
        if "booking" not in m:
            return {}
        booking = m["booking"]
        target = target_part(self.text) if m.get("rid") is not None else self.text
        target = INSTEAD_OF.sub(" ", target)  # "8 instead of 7": the 7 is the old time
        expecting: set[str] = set()
        if action == "party":
            expecting.add("party_size")
        if action == "move" or m.get("offered"):
            expecting.add("time")
        slots = extract_slots(target, today=ctx.today, expecting=frozenset(expecting))
        args: dict[str, Any] = {}
        offered = [clock(t) for t in m.get("offered") or []]
        chosen = choose_time(self.text, offered, "yes" in self.intents)
        if chosen is not None:
            args["time"] = chosen.strftime("%H:%M")
            if m.get("offered_date"):
                args["date"] = m["offered_date"]
        if action in ("move", None) or (action == "party" and slots.party_size is None):
            if slots.date and slots.date.isoformat() != booking["date"]:
                args["date"] = slots.date.isoformat()
            if slots.time and slots.time.strftime("%H:%M") != booking["time"]:
                args.setdefault("time", slots.time.strftime("%H:%M"))
        if action in ("move", None) and chosen is None:
            args.update(shifted(self.text, booking))  # "an hour later", "the day after"
            args = {k: v for k, v in args.items() if v != booking.get(k)}
        current = int(booking["party_size"])
        relative = (
            party_from(self.text, current)
            or absolute_party(self.text)
            or relative_party(self.text, current)
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
            note = slots.special_requests or note_text(self.text)
            if note:
                args["special_requests"] = note
        return args

    async def _propose(self, args: dict[str, Any]) -> AsyncGenerator[BrainEvent, None]:
        m = self.m
        booking = m["booking"]
        call = ToolCall("change_reservation", {"reservation_id": m["rid"], "dry_run": True, **args})
        yield call
        data = call.result.data if call.result else {}
        m["offered"] = None
        if call.result is None or (not call.result.ok and "problems" not in data):
            self.say.append(f"I'm sorry, I couldn't check that change. {_ANYTHING_ELSE}")
            self._finished()
            return
        if not data.get("ok"):
            self._refuse(args, data)
            return
        m["pending"] = {"kind": "change", **args}
        m["step"] = "confirm"
        m["asked_confirm"] = self.words.read_back(booking, args, data.get("deposit"))
        self.say.append(m["asked_confirm"])

    def _refuse(self, args: dict[str, Any], data: dict[str, Any]) -> None:
        m, ctx, booking = self.m, self.ctx, self.m["booking"]
        day = dt.date.fromisoformat(args.get("date", booking["date"]))
        asked = clock(args["time"]) if "time" in args else None
        alternatives = [clock(t) for t in data.get("alternatives", [])]
        keep = f"Your booking stays as it is, {self.words.when(booking)}."
        problems = data.get("problems", [])
        if problems:
            first = problems[0]
            reason = str(first["message"])
            if first["code"] == "outside_hours":
                reason = f"that's outside our hours: {reason}"
            self.say.append(f"I'm sorry, {reason}. {keep}")
        else:
            when = speak_date(day, ctx.today)
            what = f"{speak_time(asked)} {on(when)}" if asked else when
            party = args.get("party_size", booking["party_size"])
            self.say.append(
                f"I'm sorry, {what} is taken: no table for {party} is free then. {keep}"
            )
        if alternatives:
            listed = join_words([speak_time(t) for t in alternatives], "or")
            self.say.append(
                f"I could do {listed} {on(speak_date(day, ctx.today))}. Would one of those work?"
            )
            m["offered"] = [t.strftime("%H:%M") for t in alternatives]
            m["offered_date"] = day.isoformat()
        else:
            self.say.append("Would another day or time work?")
        m["step"] = "what_change"

    async def _execute(self) -> AsyncGenerator[BrainEvent, None]:
        m, ctx = self.m, self.ctx
        pending = m.pop("pending", None) or {}
        send_text = not ctx.state.get("no_text")
        if pending.get("kind") == "cancel":
            call = ToolCall(
                "cancel_reservation", {"reservation_id": m["rid"], "send_text": send_text}
            )
            yield call
            data = call.result.data if call.result else {}
            if not (call.result and call.result.ok):
                self.say.append(f"I'm sorry, I couldn't cancel that booking. {_ANYTHING_ELSE}")
                self._finished()
                return
            texted = " I've sent you a text to confirm." if data.get("texted") else ""
            self.say.append(
                f"Done: your table {on(self.words.day(m['booking']))} at "
                f"{speak_time(clock(m['booking']['time']))} is cancelled.{texted} "
                "Would you like to book another day or time?"
            )
            m["cancelled"] = m["booking"]
            m["done"] = "cancel"
            m["step"] = "rebook"
            return
        args = {k: v for k, v in pending.items() if k != "kind"}
        call = ToolCall(
            "change_reservation", {"reservation_id": m["rid"], "send_text": send_text, **args}
        )
        yield call
        data = call.result.data if call.result else {}
        if not (call.result and call.result.ok):
            self._refuse(args, data)
            return
        after = data["reservation"]
        m["booking"] = after
        texted = " I've texted you the new details." if data.get("texted") else ""
        deposit = f" {data['deposit']}" if data.get("deposit") else ""
        if set(args) == {"special_requests"}:
            done = f"Done: I've added that to your booking {self.words.when(after)}."
        elif "party_size" in args and not {"date", "time"} & set(args):
            done = (
                f"All done: I've changed your booking to a table for {after['party_size']}, "
                f"{self.words.when(after)}."
            )
        else:
            table, when = after["party_size"], self.words.at(after)
            done = f"All done: I've moved your table for {table} to {when}."
        self.say.append(f"{done}{deposit}{texted} {_ANYTHING_ELSE}")
        self._finished()

    # --- phrasing -----------------------------------------------------------------------------
    def _finished(self) -> None:
        """The action is done; the booking stays identified for whatever the caller asks next."""
        self.m["done"] = self.m.get("action")
        self.m["action"] = None
        self.m["pending"] = None
        self.m["step"] = "anything"

    def _start_rebooking(self) -> None:
        """Hand over to the new-booking flow with the guest's name and phone."""
        cancelled = self.m.get("cancelled") or self.m.get("booking") or {}
        self.m.clear()
        self.rebook = {"name": cancelled.get("name"), "phone": cancelled.get("phone")}
        self.ctx.state["booking"] = True


def _manage_state(ctx: TurnContext) -> dict[str, Any]:
    state = ctx.state.get("manage")
    if not isinstance(state, dict):
        state = {}
        ctx.state["manage"] = state
    return state
