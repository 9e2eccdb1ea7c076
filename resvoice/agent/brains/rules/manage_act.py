"""What the existing-booking policy does with a booking once it is found.

Say when it is; note that the guest is running late; cancel it, or change it (move, party
size, note). Every change is checked first (`dry_run`), read back, and made only on the
caller's yes (`execute`); a refused change says why and offers the nearest free times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import Any

from resvoice.agent.booking_intents import late_minutes
from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules.manage_change import ChangeReading
from resvoice.agent.brains.rules.manage_phrasing import (
    ANYTHING_ELSE,
    BookingWords,
    ask_new_value_again,
    clock,
    on,
)
from resvoice.agent.brains.rules.manage_values import arrival_delay
from resvoice.agent.brains.rules.manage_words import what_moves
from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED
from resvoice.agent.events import BrainEvent, ToolCall
from resvoice.agent.notepad import speak_date, speak_time
from resvoice.language.party_changes import mentions_party_change
from resvoice.language.phrases import join_words

__all__ = ["BookingActions", "finished"]


class BookingActions:
    """The actions on the booking in `m` (the policy's state under `"manage"`) for one turn;
    what to say goes into `say`."""

    def __init__(
        self,
        text: str,
        ctx: TurnContext,
        m: dict[str, Any],
        say: list[str],
        words: BookingWords,
        change: ChangeReading,
    ) -> None:
        self.text = text
        self.ctx = ctx
        self.m = m
        self.say = say
        self.words = words
        self.change = change

    async def act(self, step: str | None) -> AsyncGenerator[BrainEvent, None]:
        """Do, or ask about, the action asked for; `step` is the step this turn answers."""
        m = self.m
        action = m.get("action")
        booking = m["booking"]
        if action is None:
            args = self.change.new_values(None)
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
                f"code is {booking['code_spelled']}. {ANYTHING_ELSE}"
            )
            finished(m)
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
        moving = what_moves(f"{m.get('request') or ''} {self.text}")
        args = self.change.requested_values(action)
        if not args:
            again = int(m.get("asked_again", 0)) if step == "what_change" else -1
            m["step"] = "what_change"
            m["asked_again"] = again + 1
            if again < 0:
                self.say.append(self.words.ask_new_value(booking, action, moving))
            else:  # the answer gave nothing to use: say what is needed another way
                self.say.append(ask_new_value_again(action, again))
                if again >= 1:
                    self.ctx.state[TRANSFER_OFFERED] = True
            return
        m.pop("asked_again", None)
        async for event in self._propose(args):
            yield event

    def cancel_all(self, bookings: list[dict[str, Any]]) -> None:
        """Read every one of `bookings` back and ask to cancel them all ("cancel both")."""
        m = self.m
        m["rid"], m["booking"], m["also"] = bookings[0]["reservation_id"], bookings[0], bookings[1:]
        m["pending"] = {"kind": "cancel"}
        m["step"] = "confirm"
        listed = join_words([self.words.when(b) for b in bookings], "and")
        every = "both" if len(bookings) == 2 else "all of them"
        m["asked_confirm"] = f"I see {len(bookings)} bookings: {listed}. Shall I cancel {every}?"
        self.say.append(m["asked_confirm"])

    async def execute(self) -> AsyncGenerator[BrainEvent, None]:
        """The caller said yes: make the change (or the cancellation) read back to them."""
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
                self.say.append(f"I'm sorry, I couldn't cancel that booking. {ANYTHING_ELSE}")
                finished(m)
                return
            cancelled = [m["booking"]]
            for other in m.pop("also", None) or []:  # "cancel both": the others too
                more = ToolCall(
                    "cancel_reservation",
                    {"reservation_id": other["reservation_id"], "send_text": send_text},
                )
                yield more
                if more.result and more.result.ok:
                    cancelled.append(other)
                    data = {**data, **more.result.data} if more.result.data else data
            texted = " I've sent you a text to confirm." if data.get("texted") else ""
            tables = join_words(
                [f"{on(self.words.day(b))} at {speak_time(clock(b['time']))}" for b in cancelled],
                "and",
            )
            which = "your table" if len(cancelled) == 1 else "your tables"
            self.say.append(
                f"Done: {which} {tables} {'is' if len(cancelled) == 1 else 'are'} cancelled."
                f"{texted} Would you like to book another day or time?"
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
        self.say.append(f"{done}{deposit}{texted} {ANYTHING_ELSE}")
        finished(m)

    async def _late(self) -> AsyncGenerator[BrainEvent, None]:
        m, booking = self.m, self.m["booking"]
        # said in this turn, or when the caller first said it, before the booking was found
        # ("we're 15 minutes late, it's under Brandt", then the number on it)
        said = [self.text, str(m.pop("request", None) or "")]
        minutes = next(
            (n for t in said if (n := late_minutes(t) or arrival_delay(t, booking))), None
        )
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
            self.say.append(f"I'm sorry, I couldn't note that on the booking. {ANYTHING_ELSE}")
            finished(m)
            return
        noted = (
            f"Thanks for letting us know. I've noted that you'll be about {minutes} minutes "
            f"late for your table at {speak_time(clock(booking['time']))}; it stays at that "
            f"time. {data.get('hold_policy', '')}"
        ).strip()
        # "we'll be 15 minutes late, and my brother is joining us too": both, in one breath
        joining = (
            self.change.new_values("party").get("party_size")
            if mentions_party_change(self.text)
            else None
        )
        if joining is not None:
            self.say.append(noted)
            async for event in self._propose({"party_size": joining}):
                yield event
            return
        self.say.append(f"{noted} {ANYTHING_ELSE}".replace("  ", " "))
        finished(m)

    async def _propose(self, args: dict[str, Any]) -> AsyncGenerator[BrainEvent, None]:
        m = self.m
        booking = m["booking"]
        call = ToolCall("change_reservation", {"reservation_id": m["rid"], "dry_run": True, **args})
        yield call
        data = call.result.data if call.result else {}
        m["offered"] = None
        if call.result is None or (not call.result.ok and "problems" not in data):
            self.say.append(f"I'm sorry, I couldn't check that change. {ANYTHING_ELSE}")
            finished(m)
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
        if "time" in args and day.isoformat() == booking["date"]:
            # a caller moving the time is not offered the time they have
            alternatives = [t for t in alternatives if t != clock(booking["time"])]
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


def finished(m: dict[str, Any]) -> None:
    """The action is done; the booking stays identified for whatever the caller asks next."""
    m["done"] = m.get("action")
    m["action"] = None
    m["pending"] = None
    m["step"] = "anything"
