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
from resvoice.agent.brains.rules import phrasing
from resvoice.agent.events import BrainEvent, ToolCall
from resvoice.agent.intents import Intents
from resvoice.agent.notepad import Notepad, Problem, speak_date, speak_time
from resvoice.language.codes import code_in
from resvoice.language.numbers import parse_number
from resvoice.language.phrases import join_words
from resvoice.language.slots import extract_slots

__all__ = ["ManageDialogue"]

_ANYTHING_ELSE = "Is there anything else I can help with?"
# where a move names its target: "move my Friday booking | to Saturday at 8"
_TARGET = re.compile(
    r"\b(?:to|until|till|instead|for|at|into|onto|like|say|around|maybe|by)\b(?=[^.?!]*$)|"
    r"\bmake\s+it\b",
    re.IGNORECASE,
)
_MOVE_VERB = re.compile(
    r"\b(?:move|moving|change|changing|reschedul\w*|switch|shift|push|bump|postpone|bring|"
    r"come|arrive)\b",
    re.IGNORECASE,
)
_RELATIVE_PARTY = re.compile(
    r"\b(\w+|\d+)\s+(?:more|extra|additional|fewer|less)\b|\b(another|one\s+more|an\s+extra)\s+"
    r"(?:person|guest|friend|adult|one)\b|\b(?:add|adding|bring|bringing)\s+(\w+|\d+)\s+"
    r"(?:people|persons?|guests?)\b|\b(\w+|\d+)\s+(?:people|persons?|guests?|of\s+us)\s+"
    r"(?:can'?t|cannot|won'?t|will\s+not)\s+(?:come|make)",
    re.IGNORECASE,
)
_FEWER = re.compile(
    r"\b(?:fewer|less|can'?t\s+(?:come|make)|cannot\s+(?:come|make)|won'?t\s+(?:come|make)|drop)\b",
    re.I,
)
_NOTE_TEXT = re.compile(
    r"\b(?:note|request|mention|know)\s*(?:that|:|saying|of)?\s+(?P<note>.+)$", re.IGNORECASE
)
_INSTEAD_OF = re.compile(
    r"\b(?:instead\s+of|rather\s+than|not)\s+(?:the\s+|at\s+|on\s+)?[\w:']+(?:\s*(?:pm|am|o'?clock))?",
    re.IGNORECASE,
)
_NEW_BOOKING = re.compile(r"\b(?:new|make|book|another|fresh)\b", re.IGNORECASE)
_EXISTING_ONE = re.compile(
    r"\b(?:already|existing|have\s+one|i\s+booked|we\s+booked|my|our|change|cancel)\b",
    re.IGNORECASE,
)
_ABSOLUTE_PARTY = re.compile(
    r"\b(?:we'?ll|we\s+will|we\s+are|we'?re|there'?ll|there\s+will|it'?ll|it\s+will)\s+be\s+"
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    re.IGNORECASE,
)
_WHEN_QUESTION = re.compile(
    r"\b(?:what\s+time|when|what\s+day|which\s+day|what\s+date)\b.*\b(?:is|was|it)\b|"
    r"\bwhat\s+time\b",
    re.IGNORECASE,
)
_PEOPLE = re.compile(r"\b(people|guests|of\s+us|party)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(first|earlier|earliest|second|later|latest|last)\b", re.IGNORECASE)
_REBOOK = re.compile(r"\b(?:book|rebook|new\s+(?:table|booking|reservation)|another)\b", re.I)


class ManageDialogue:
    """One caller turn of the existing-booking policy; sentences go into `say`."""

    def __init__(self, text: str, ctx: TurnContext, intents: Intents, say: list[str]) -> None:
        self.text = text
        self.ctx = ctx
        self.intents = intents
        self.say = say
        self.m: dict[str, Any] = _manage_state(ctx)
        self.rebook: dict[str, Any] | None = None  # set when the caller books again

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
            if "no" in self.intents and not self._new_values(m.get("action")) and not asked:
                m["pending"] = None
                m["action"] = None
                self.say.append(f"Okay, I've left your booking as it is. {_ANYTHING_ELSE}")
                return
        if step == "kind":
            if _NEW_BOOKING.search(self.text) and not _EXISTING_ONE.search(self.text):
                m.clear()
                self.rebook = {}
                return
            if not asked:
                asked = []
        if step == "rebook":
            if ("yes" in self.intents or _REBOOK.search(self.text)) and "no" not in self.intents:
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
        if step == "what" and not asked and _WHEN_QUESTION.search(self.text):
            asked = ["check"]
        if step == "anything" and not asked:
            asked = self._implied_action()
            if not asked:
                m.clear()
                return  # not about the booking any more: the general policy answers
        if asked:
            m["action"] = asked[0]
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
        if len(found) > 1:
            m["choices"] = found
            m["step"] = "which"
            listed = join_words([self._when(r) for r in found], "and")
            self.say.append(f"I see {len(found)} bookings: {listed}. Which one do you mean?")
            return
        m["misses"] = int(m.get("misses", 0)) + 1
        given = self._facts(step)
        if data.get("inactive") == "cancelled":
            self.say.append("That booking has already been cancelled.")
            m["step"] = "rebook"
            self.say.append("Would you like to book a new table?")
            return
        if data.get("inactive") == "past":
            self.say.append(f"That booking's time has already passed. {_ANYTHING_ELSE}")
            m.clear()
            return
        if not given:
            m["step"] = "identify"
            self.say.append(
                "Of course. What name is the booking under, and the phone number or "
                "confirmation code it was made with?"
            )
            return
        if m["misses"] >= 3:
            m.clear()
            self.say.append(
                "I'm sorry, I can't find a booking under that name and number. A member of "
                "our team can help if you'd like to be transferred."
            )
            return
        m["step"] = "identify"
        self.say.append(
            "I'm sorry, I can't find a booking under that name and number. Could you give me "
            "the phone number the booking was made with, or your confirmation code?"
        )

    def _facts(self, step: str | None) -> dict[str, Any]:
        """What the caller said about the booking (this turn and earlier ones), as tool args."""
        m, ctx = self.m, self.ctx
        facts: dict[str, Any] = dict(m.get("facts", {}))
        ident = _identifying_part(self.text, m.get("action"))
        expecting = frozenset({"name", "phone"}) if step == "identify" else frozenset()
        slots = extract_slots(ident, today=ctx.today, expecting=expecting, region=ctx.phone_region)
        name = slots.name or _name_after_under(ident)
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
        ordinal = _ORDINAL.search(self.text)
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
                f"I have {self._table(booking)} under {booking['name']}. Would you like to "
                "change it or cancel it?"
            )
            return
        if action == "check":
            self.say.append(
                f"Your table for {booking['party_size']} is booked {self._when(booking)}, under "
                f"{booking['name']}. Your confirmation code is {booking['code_spelled']}. "
                f"{_ANYTHING_ELSE}"
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
            self.say.append(
                f"I have {self._table(booking)} under {booking['name']}. Shall I cancel it?"
            )
            return
        args = self._new_values(action)
        if not args:
            m["step"] = "what_change"
            self.say.append(self._ask_new_value(action))
            return
        async for event in self._propose(args):
            yield event

    async def _late(self) -> AsyncGenerator[BrainEvent, None]:
        m, booking = self.m, self.m["booking"]
        minutes = late_minutes(self.text)
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
            f"late for your table at {speak_time(_clock(booking['time']))}; it stays at that "
            f"time. {data.get('hold_policy', '')} {_ANYTHING_ELSE}".replace("  ", " ")
        )
        self._finished()

    def _implied_action(self) -> list[ManageAction]:
        """After a change, "and a high chair too" / "actually 8:30?" go on with the booking."""
        slots = extract_slots(self.text, today=self.ctx.today)
        if _WHEN_QUESTION.search(self.text):
            return ["check"]
        if slots.special_requests:
            return ["note"]
        if slots.date or slots.time:
            return ["move"]
        if slots.party_size and _PEOPLE.search(self.text):
            return ["party"]
        return []

    def _new_values(self, action: str | None) -> dict[str, Any]:
        """The change this turn asks for, as `change_reservation` arguments."""
        m, ctx = self.m, self.ctx
        if "booking" not in m:
            return {}
        booking = m["booking"]
        target = _target_part(self.text) if m.get("rid") is not None else self.text
        target = _INSTEAD_OF.sub(" ", target)  # "8 instead of 7": the 7 is the old time
        expecting: set[str] = set()
        if action == "party":
            expecting.add("party_size")
        if action == "move" or m.get("offered"):
            expecting.add("time")
        slots = extract_slots(target, today=ctx.today, expecting=frozenset(expecting))
        args: dict[str, Any] = {}
        offered = [_clock(t) for t in m.get("offered") or []]
        chosen = _choose_time(self.text, offered, "yes" in self.intents)
        if chosen is not None:
            args["time"] = chosen.strftime("%H:%M")
            if m.get("offered_date"):
                args["date"] = m["offered_date"]
        if action in ("move", None) or (action == "party" and slots.party_size is None):
            if slots.date and slots.date.isoformat() != booking["date"]:
                args["date"] = slots.date.isoformat()
            if slots.time and slots.time.strftime("%H:%M") != booking["time"]:
                args.setdefault("time", slots.time.strftime("%H:%M"))
        relative = _absolute_party(self.text) or _relative_party(
            self.text, int(booking["party_size"])
        )
        if action == "party" or relative is not None:
            size = relative if relative is not None else slots.party_size
            if size is not None and size != booking["party_size"]:
                args["party_size"] = size
        elif (
            action in ("move", None)
            and slots.party_size not in (None, booking["party_size"])
            and _PEOPLE.search(target)
        ):
            args["party_size"] = slots.party_size
        if action == "note":
            note = slots.special_requests or _note_text(self.text)
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
        self.say.append(self._read_back(booking, args, data.get("deposit")))

    def _refuse(self, args: dict[str, Any], data: dict[str, Any]) -> None:
        m, ctx, booking = self.m, self.ctx, self.m["booking"]
        day = dt.date.fromisoformat(args.get("date", booking["date"]))
        asked = _clock(args["time"]) if "time" in args else None
        alternatives = [_clock(t) for t in data.get("alternatives", [])]
        keep = f"Your booking stays as it is, {self._when(booking)}."
        problems = data.get("problems", [])
        if problems:
            first = problems[0]
            problem = Problem(first["field"], first["code"], first["message"], None)
            if first["code"] in ("closed_day", "date_in_past", "date_too_far", "party_too_large"):
                line = phrasing.problem_line(problem, ctx.profile, Notepad())
                if first["code"] == "party_too_large":
                    line = f"I'm sorry, {first['message']}."
                self.say.append(f"{line} {keep}")
                m["step"] = "what_change"
                return
            self.say.append(f"I'm sorry, {first['message']}. {keep}")
        else:
            when = speak_date(day, ctx.today)
            what = f"{speak_time(asked)} {_on(when)}" if asked else when
            party = args.get("party_size", booking["party_size"])
            self.say.append(f"I'm sorry, we have no table for {party} at {what}. {keep}")
        if alternatives:
            listed = join_words([speak_time(t) for t in alternatives], "or")
            self.say.append(
                f"I could do {listed} {_on(speak_date(day, ctx.today))}. Would one of those work?"
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
                f"Done: your table {_on(self._day(m['booking']))} at "
                f"{speak_time(_clock(m['booking']['time']))} is cancelled.{texted} "
                "Would you like to book another day or time?"
            )
            m["cancelled"] = m["booking"]
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
            done = f"Done: I've added that to your booking {self._when(after)}."
        else:
            done = f"All done: your table for {after['party_size']} is now {self._when(after)}."
        self.say.append(f"{done}{deposit}{texted} {_ANYTHING_ELSE}")
        self._finished()

    # --- phrasing -----------------------------------------------------------------------------
    def _read_back(self, booking: dict[str, Any], args: dict[str, Any], deposit: Any) -> str:
        after = dict(booking)
        after.update({k: v for k, v in args.items() if k in ("date", "time", "party_size")})
        if "special_requests" in args:
            return (
                f"I'll add a note to your booking {self._when(booking)}: "
                f"{args['special_requests']}. Is that right?"
            )
        parts: list[str] = []
        if "date" in args or "time" in args:
            parts.append(f"move your table from {self._at(booking)} to {self._at(after)}")
        if "party_size" in args:
            parts.append(
                f"change the party from {booking['party_size']} to {args['party_size']} guests"
            )
        extra = f" {deposit}" if deposit else ""
        return f"Just to confirm: {' and '.join(parts)}?{extra} Shall I make that change?"

    def _ask_new_value(self, action: str) -> str:
        self.m["step"] = "what_change"
        if action == "party":
            return "Of course. How many guests will you be?"
        if action == "note":
            return "Of course. What would you like me to note on the booking?"
        return "Of course. What day and time would you like instead?"

    def _table(self, booking: dict[str, Any]) -> str:
        return f"your table for {booking['party_size']} {self._when(booking)}"

    def _when(self, booking: dict[str, Any]) -> str:
        return f"{_on(self._day(booking))} at {speak_time(_clock(booking['time']))}"

    def _at(self, booking: dict[str, Any]) -> str:
        """'Saturday, February 7th at 7 PM' ('today at 7 PM')."""
        return f"{self._day(booking)} at {speak_time(_clock(booking['time']))}"

    def _day(self, booking: dict[str, Any]) -> str:
        return speak_date(dt.date.fromisoformat(booking["date"]), self.ctx.today)

    def _finished(self) -> None:
        """The action is done; the booking stays identified for whatever the caller asks next."""
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


def _identifying_part(text: str, action: str | None) -> str:
    """The words about which booking: before a move's target ("move my Friday one | to 8")."""
    verb = _MOVE_VERB.search(text)
    if verb is None:
        return text
    target = _TARGET.search(text, verb.end())
    return text[: target.start()] if target else text


def _target_part(text: str) -> str:
    """The words naming what a booking should become."""
    verb = _MOVE_VERB.search(text)
    if verb is None:
        return text
    target = _TARGET.search(text, verb.end())
    return text[target.start() :] if target else text[verb.end() :]


_UNDER = re.compile(
    r"\b(?:under|in\s+the\s+name\s+(?:of\s+)?|name\s+(?:is|was)\s+)\s*(?:the\s+name\s+)?"
    r"(?P<name>[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)?)"
)


def _name_after_under(text: str) -> str | None:
    match = _UNDER.search(text)
    return match.group("name") if match else None


def _absolute_party(text: str) -> int | None:
    """ "so we'll be 3": the new head count, said outright."""
    match = _ABSOLUTE_PARTY.search(text)
    return parse_number(match.group(1)) if match else None


def _relative_party(text: str, current: int) -> int | None:
    match = _RELATIVE_PARTY.search(text)
    if match is None:
        return None
    if match.group(2):
        return current + 1
    word = match.group(1) or match.group(3) or match.group(4)
    count = parse_number(word) if word else None
    if count is None or count > 20:
        return None
    if _FEWER.search(text):
        return max(1, current - count)
    return current + count


def _note_text(text: str) -> str | None:
    match = _NOTE_TEXT.search(text)
    if match is None:
        return None
    note = match.group("note").strip(" .!?")
    note = re.sub(r"^(?:that\s+)?(?:it'?s|it\s+is)\s+", "", note, flags=re.IGNORECASE)
    return note[:200] or None


def _choose_time(text: str, offered: list[dt.time], yes: bool) -> dt.time | None:
    if not offered:
        return None
    match = _ORDINAL.search(text)
    if match:
        word = match.group(1).lower()
        if word in ("first", "earlier", "earliest"):
            return offered[0] if word == "first" else min(offered)
        if word == "second" and len(offered) > 1:
            return offered[1]
        return max(offered)
    if yes and len(offered) == 1:
        return offered[0]
    return None


def _clock(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _on(when: str) -> str:
    return when if when in ("today", "tomorrow") else f"on {when}"
