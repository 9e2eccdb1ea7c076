"""The steps of a new booking in one turn of the rules brain, each through a tool.

Capture what the caller gave (`capture_reservation_data`) and say what was taken or what is
wrong with it; check for a free table and offer other times when there is none; ask for what
is still missing; read the booking back; book it on the caller's yes (`book_reservation`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import Any

from resvoice.agent.brains.rules import hours_talk, phrasing
from resvoice.agent.brains.rules.manage import ManageDialogue
from resvoice.agent.brains.rules.off_slot import OffSlotOffer
from resvoice.agent.brains.rules.reply import Reply
from resvoice.agent.brains.rules.turn_reading import TurnReading
from resvoice.agent.events import BrainEvent, ToolCall, ToolResult
from resvoice.agent.notepad import Problem, speak_time

__all__ = ["BookingSteps"]

_ASK_ORDER = ["party_size", "date", "time", "name", "phone"]


class BookingSteps:
    """A new booking's steps for one turn: what the caller said in `reading`, what the agent
    says in `reply`."""

    def __init__(self, reading: TurnReading, reply: Reply) -> None:
        self.reading = reading
        self.reply = reply
        self.ctx = reading.ctx
        self.state = reading.state

    async def capture(
        self, update: dict[str, Any], *, speak: bool
    ) -> AsyncGenerator[BrainEvent, None]:
        say = self.reply.say
        call = ToolCall("capture_reservation_data", _jsonable(update))
        yield call
        result = call.result
        if result is None:
            return
        if "escalation" in result.data:
            say.append(phrasing.sentence_case(_problems_of(result)[0].get("message", "")) + ".")
            self.reply.must_hear(str(result.data["escalation"].get("say", "")))
            return
        if not speak:
            return
        changed = [str(c) for c in result.data.get("changed", [])]
        ack = phrasing.acknowledge(self.ctx.notepad, changed, self.ctx.today)
        if ack:
            say.append(ack)
            self.reply.ack = ack
        weekday_said = self.reading.slots.date_weekday_said
        if "date" in changed and self.ctx.notepad.date and weekday_said is not None:
            say.append(phrasing.weekday_differs(self.ctx.notepad.date, weekday_said))
        problems = _problems_of(result)[:2]
        if problems:
            self.state["expecting"] = [p["field"] for p in problems]
            self.reply.day_explained = any(p["field"] in ("date", "time") for p in problems)
        for problem in problems:
            if problem["code"] == "off_slot" and isinstance(update.get("time"), dt.time):
                offer = OffSlotOffer(update["time"], self.ctx)
                async for event in offer.run():
                    yield event
                self.state["offered"] = offer.offered
                say.append(offer.line)
                continue
            evening = _evening_reading(update.get("time"), self.ctx.profile)
            if problem["code"] == "outside_hours" and evening is not None:
                # "6:30 am" at a dinner-only restaurant: most likely "pm" misheard; ask
                say.append(f"Sorry, we're open in the evening. Did you mean {speak_time(evening)}?")
                self.state["offered"] = [evening.strftime("%H:%M")]
                continue
            say.append(
                phrasing.problem_line(
                    Problem(
                        problem["field"],
                        problem["code"],
                        problem["message"],
                        update.get(problem["field"]),
                    ),
                    self.ctx.profile,
                    self.ctx.notepad,
                )
            )
        if self.reading.slots.is_correction and not changed and not result.data.get("problems"):
            say.append("That's what I have.")

    async def next_step(self) -> AsyncGenerator[BrainEvent, None]:
        """Check for a free table, ask for what is missing, or read the booking back."""
        ctx, state, say = self.ctx, self.state, self.reply.say
        notepad = ctx.notepad
        if any(s.endswith("?") for s in say[-1:]) or self.reading.go_on:
            return  # a problem line already asked the caller something, or awaits the digits
        if notepad.date and notepad.party_size:
            wish = self.reading.table_wish()
            key = f"{notepad.date}|{notepad.time}|{notepad.party_size}|{wish.get('meal')}"
            bounded = bool({"edge", "before", "after"} & set(wish))
            if state.get("checked") != key or bounded:
                call = ToolCall("check_availability", wish)
                yield call
                data = call.result.data if call.result and call.result.ok else {}
                if data and not data.get("available"):
                    alternatives = hours_talk.in_service_order(
                        ctx.profile, notepad.date, data["alternatives"]
                    )
                    if bounded:  # nearest the edge or the bound first, as ranked
                        alternatives = [dt.time.fromisoformat(t) for t in data["alternatives"]]
                    if alternatives:
                        say.append(
                            phrasing.offer(
                                notepad.date,
                                notepad.time,
                                alternatives,
                                ctx.today,
                                meal=wish.get("meal"),
                                meal_served=bool(data.get("meal_served", True)),
                                edge=wish.get("edge"),
                                bound=_bound_of(wish),
                            )
                        )
                        state["offered"] = [t.strftime("%H:%M") for t in alternatives]
                        state["offered_one"] = bounded  # "the latest is 9:30": a yes takes it
                        state["expecting"] = ["time"]
                    else:
                        next_days = [dt.date.fromisoformat(d) for d in data.get("next_days", [])]
                        say.append(phrasing.fully_booked(notepad.date, next_days, ctx.today))
                        state["expecting"] = ["date"]
                    return
                if data:
                    state["checked"] = key
        missing = sorted(notepad.missing_fields(), key=_ASK_ORDER.index)
        if missing:
            question, asks = phrasing.ask_for(missing, ctx.caller_id)
            say.append(question)
            state["expecting"] = list(asks)
            if asks == ["phone"] and ctx.caller_id:
                state["caller_id_offered"] = True
            return
        if self.reply.ack in say:
            say.remove(self.reply.ack)
        self.reply.must_hear(phrasing.read_back(notepad, ctx.today, ctx.profile))
        state["confirming"] = True
        state["expecting"] = []

    async def book(self) -> AsyncGenerator[BrainEvent, None]:
        ctx, say = self.ctx, self.reply.say
        call = ToolCall("book_reservation", {"send_text": not self.state.get("no_text")})
        yield call
        result = call.result
        if result is not None and result.ok:
            self.reply.must_hear(phrasing.booked(ctx.notepad, ctx.today, ctx.profile, result.data))
            self.state["booking"] = False
            self.state["expecting"] = []
            ManageDialogue.follow_booking_made(ctx)
            return
        offered = (result.data if result else {}).get("alternatives", [])
        alternatives = (
            hours_talk.in_service_order(ctx.profile, ctx.notepad.date, offered)
            if ctx.notepad.date
            else []
        )
        if ctx.notepad.date and alternatives:
            say.append(phrasing.offer(ctx.notepad.date, ctx.notepad.time, alternatives, ctx.today))
            self.state["offered"] = [t.strftime("%H:%M") for t in alternatives]
            self.state["expecting"] = ["time"]
        else:
            say.append("I'm sorry, I couldn't book that. Would another day or time work?")
            self.state["expecting"] = ["date", "time"]


def _bound_of(wish: dict[str, str]) -> tuple[str, dt.time] | None:
    """ "before" or "after" and its time, from a table wish ("anything earlier than 6?")."""
    for kind in ("before", "after"):
        if kind in wish:
            return kind, dt.time.fromisoformat(wish[kind])
    return None


def _problems_of(result: ToolResult) -> list[dict[str, Any]]:
    return list(result.data.get("problems", []))


def _jsonable(update: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in update.items():
        if isinstance(value, dt.time):
            out[key] = value.strftime("%H:%M")
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _evening_reading(value: object, profile: Any) -> dt.time | None:
    """A morning time read in the evening (18:30 for 6:30 am), at a restaurant open only in
    the evening, or None."""
    if not isinstance(value, dt.time) or not 1 <= value.hour < 12:
        return None
    if not hours_talk.evening_only(profile):
        return None
    return value.replace(hour=value.hour + 12)
