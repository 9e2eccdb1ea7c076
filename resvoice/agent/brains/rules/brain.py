"""The rules brain: an offline dialogue policy over `language.slots`. No LLM, no network.

Each turn: understand (intents + slots, read in the light of what the agent just asked), act
through the same tools an LLM would call, then say one or two short sentences that move the
booking on: answer the question, report a problem, offer free times, ask for what is missing,
read the booking back, book it on a yes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncGenerator
from typing import Any

from resvoice.agent.booking_intents import booking_intent, no_text_wanted
from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.brains.rules import hours_talk, needs, phrasing
from resvoice.agent.brains.rules.day_in_view import read_day
from resvoice.agent.brains.rules.manage import ManageDialogue
from resvoice.agent.brains.rules.menu_talk import read_menu_question
from resvoice.agent.brains.rules.off_slot import OffSlotOffer
from resvoice.agent.brains.rules.repeats import vary_repeat
from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED, transfer_offer
from resvoice.agent.events import BrainEvent, TextDelta, ToolCall, ToolResult
from resvoice.agent.greeting import greeting
from resvoice.agent.intents import Intents, classify
from resvoice.agent.notepad import Problem, speak_time
from resvoice.language.affirm import accepts_caller_id, is_yes
from resvoice.language.from_now import from_now
from resvoice.language.meals import edge_asked, meal_asked
from resvoice.language.misheard import as_meant
from resvoice.language.names import spelled_name
from resvoice.language.phones import tail_correction
from resvoice.language.phrases import join_words
from resvoice.language.slots import Extraction, extract_slots

_ORDINAL_CHOICE = re.compile(
    r"\b(?P<which>first|earlier|earliest|second|middle|third|last|later|latest)\b", re.I
)
_ASK_ORDER = ["party_size", "date", "time", "name", "phone"]
_NAME_CORRECTION_RE = re.compile(
    r"^\W*(?:no|nope|sorry|actually|wait)\b|\bspell|\bname\b", re.IGNORECASE
)
_SLOTS = ("name", "phone", "party_size", "date", "time", "email", "special_requests")


class RulesBrain:
    name = "rules"

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        if turn.kind == "start":
            yield TextDelta(greeting(context.profile))
            return
        if turn.kind == "silence":
            yield TextDelta("Are you still there? I can book a table or answer questions.")
            return
        text = as_meant(turn.text)  # "cancel my renovation": what speech-to-text wrote
        if turn.kind == "dtmf":
            if not turn.text.isdigit():
                yield TextDelta("To speak with a member of our team, press zero.")
                return
            text = keyed_as_words(turn.text, context)
        policy = _Turn(text, context)
        async for event in policy.run():
            yield event


class _Turn:
    """One caller turn of the rules policy; collects what to say in `self.say`."""

    def __init__(self, text: str, context: TurnContext) -> None:
        self.text = text
        self.ctx = context
        self.state = context.state
        self.intents: Intents = classify(text)
        self.agrees = "yes" in self.intents or is_yes(text)  # "go ahead", "that's the one"
        self.say: list[str] = []
        self.keep: set[str] = set()  # lines the caller must hear whole (protected speech)
        self._ack: str | None = None  # dropped again when a full read-back follows
        expecting = frozenset(str(f) for f in self.state.get("expecting", []))  # type: ignore[attr-defined]
        self.slots: Extraction = extract_slots(
            text,
            today=context.today,
            expecting=expecting,
            system_before=_last_agent_line(context),
            region=context.phone_region,
            evening_bias=hours_talk.evening_only(context.profile),
            name_open=context.notepad.name is None
            and bool(
                context.state.get("booking")
                or context.notepad.filled()
                or self.intents.found & {"book", "availability"}
            ),
        )
        self.hours_question = hours_talk.is_hours_question(text)
        self.ask_day: str | None = None  # "today, or next Tuesday?"
        self.ask_pick: str | None = None  # "7:30 or 8?" after a plain yes
        # "what's in the calamari?", "anything without meat?": answered from the menu itself
        self.menu = (
            None
            if self.intents.found & {"human", "manage"}
            or ("book" in self.intents and "menu" not in self.intents)  # "book under Olive"
            else read_menu_question(context.profile, text)
        )
        self.asked_day: dt.date | None = None  # the day an hours question is about
        self._day_explained = False

    async def run(self) -> AsyncGenerator[BrainEvent, None]:
        ctx, state, intents = self.ctx, self.state, self.intents
        update = self._update()
        if _about_a_booking_they_have(self.text, intents) and not (
            state.get("booking") or ctx.notepad.filled()
        ):
            update = {}  # "can I bring my dog to my reservation tomorrow?": no new booking
        offered = bool(state.pop(TRANSFER_OFFERED, False))
        accepts_transfer = offered and self.agrees and not update and "no" not in intents
        if "human" in intents or accepts_transfer:
            if update:
                async for event in self._capture(update, speak=False):
                    yield event
            call = ToolCall("escalate_to_human", {"reason": "user_requested", "detail": self.text})
            yield call
            self._must_hear(_said(call.result))
            async for event in self._emit():
                yield event
            return

        declines_offer = offered and "no" in intents and "goodbye" not in intents and not update
        if declines_offer and not ManageDialogue.wants(self.text, ctx):  # else it answers
            self.say.append("No problem. Is there anything else I can help with?")
            async for event in self._emit():
                yield event
            return
        offer = None if state.get("booking") else transfer_offer(self.text)
        if offer is not None:
            self.say.append(offer)
            state[TRANSFER_OFFERED] = True
            async for event in self._emit():
                yield event
            return

        if ManageDialogue.wants(self.text, ctx):
            dialogue = ManageDialogue(self.text, ctx, intents, self.say)
            async for event in dialogue.run():
                yield event
            if dialogue.rebook is None and self.say:
                async for event in self._emit():
                    yield event
                return
            if dialogue.rebook is not None:  # booking again: the guest's name carries over
                update = {**{k: v for k, v in dialogue.rebook.items() if v}, **update}
        if no_text_wanted(self.text):
            state["no_text"] = True

        confirming = bool(state.pop("confirming", False))
        if confirming and not update:
            if self.agrees:
                async for event in self._book():
                    yield event
                async for event in self._emit():
                    yield event
                return
            if "no" in intents:
                self.say.append("No problem. What would you like to change?")
                state["expecting"] = []
                async for event in self._emit():
                    yield event
                return

        if update:
            captured = True
            async for event in self._capture(update, speak=True):
                yield event
                if isinstance(event, ToolCall) and _escalated(event.result):
                    captured = False
            if not captured:
                async for event in self._emit():
                    yield event
                return
        if self.slots.date_error:
            self.say.append(f"Sorry, {self.slots.date_error}. Which date would you like?")
        elif self.ask_day:
            self.say.append(self.ask_day)
            state["expecting"] = ["date"]
        elif self.ask_pick:
            self.say.append(self.ask_pick)
            state["expecting"] = ["time"]

        answered = self._answer()
        booking = bool(
            state.get("booking") or self._asks_to_book() or update or ctx.notepad.filled()
        )
        if booking and ctx.reservation_id is None:
            state["booking"] = True
            async for event in self._next_booking_step():
                yield event
        elif "goodbye" in intents or (ctx.reservation_id and "no" in intents):
            self.say.append(f"Thank you for calling {ctx.profile.restaurant.name}. Goodbye!")
        elif not answered and not self.say:
            if "thanks" in intents and "greeting" not in intents:
                self.say.append("You're welcome. Is there anything else I can help with?")
            elif intents.found & {"greeting", "thanks", "yes"}:
                self.say.append("How can I help you today?")
            elif ctx.reservation_id is not None:
                self.say.append("Is there anything else I can help with?")
            else:
                ctx.understood = False
                self.say.append(
                    "Sorry, I didn't catch that. I can book a table, or answer questions "
                    "about our menu and policies."
                )
        async for event in self._emit():
            yield event

    # --- understanding ------------------------------------------------------------------------

    def _update(self) -> dict[str, Any]:
        slots, state, ctx = self.slots, self.state, self.ctx
        update: dict[str, Any] = {
            name: getattr(slots, name) for name in _SLOTS if getattr(slots, name, None) is not None
        }
        if "date" not in update and not slots.date_error:
            named = hours_talk.named_date(ctx.profile, self.text, ctx.today)
            if named is not None:
                update["date"] = named
        if self.hours_question and not self._asks_to_book():
            # "are you open on the 25th?" asks about the day; it neither starts a booking nor
            # changes the day of one under way
            self.asked_day = update.pop("date", None)
            update.pop("time", None)
        if not slots.date_error and not (self.hours_question and not self._asks_to_book()):
            reading = read_day(self.text, ctx, update.get("date"))
            update.pop("date", None)
            if reading.day is not None:
                update["date"] = reading.day
            self.ask_day = reading.ask
        wait = from_now(self.text) if "time" not in update else None
        if wait is not None and update.get("date", ctx.today) == ctx.today:
            # "a table right now", "in 20 minutes": the first seating today from then on
            soonest = hours_talk.first_seating_after(ctx.profile, ctx.now + wait)
            if soonest is not None:
                update["date"], update["time"] = soonest
        if "time" in update and wait is None:
            update["time"] = hours_talk.read_time(
                ctx.profile,
                update.get("date") or ctx.notepad.date,
                update["time"],
                slots.time_explicit,
            )
        if "name" not in update and ctx.notepad.name and _NAME_CORRECTION_RE.search(self.text):
            # The agent read the name back ("Thank you, Hannah Norwick."): "No, it's N O V A K"
            spelled = spelled_name(self.text)
            if spelled is not None:
                update["name"] = _with_surname(ctx.notepad.name, spelled.value)
        tail = tail_correction(self.text) if ctx.notepad.phone else None
        if tail is not None and ctx.notepad.phone:
            # "no, the last four are 0132": the number read back, with its ending corrected
            update = {"phone": ctx.notepad.phone[: -len(tail)] + tail}
        if slots.is_correction and not update:
            # "actually, make it five": a bare corrected number is a head count
            recount = extract_slots(
                self.text, today=ctx.today, expecting=frozenset({"party_size"})
            ).party_size
            if recount is not None:
                update["party_size"] = recount
        offered = [dt.time.fromisoformat(t) for t in state.get("offered", [])]  # type: ignore[attr-defined]
        state["offered"] = []
        if offered:
            choice = self._choose(offered)
            if choice is not None and update.get("time") not in offered:
                update["time"] = choice  # "the last one" is a choice, not one o'clock
            elif choice is None and self.agrees and "time" not in update and len(offered) > 1:
                # "yes, that's fine" to "7:30 or 8?": which one, of the very same times
                listed = join_words([speak_time(t) for t in offered], "or")
                self.ask_pick = f"Which would you prefer: {listed}?"
                state["offered"] = [t.strftime("%H:%M") for t in offered]
        state.pop("offered_one", None)
        caller_id_offered = state.pop("caller_id_offered", False)
        agreed = self.agrees or accepts_caller_id(self.text)  # "the number I'm calling on is fine"
        if "phone" not in update and caller_id_offered and agreed and ctx.caller_id:
            update["phone"] = ctx.caller_id
        # a menu or FAQ question ("takeaway for tonight?") is about the restaurant; a policy
        # question often comes with a visit ("can we come Friday with the kids?"): kept
        asked = self.menu is not None or ctx.rag_intent == "faq"
        needs.question_only(update, state, booking=self._booking_under_way(), question=asked)
        booking = self._booking_under_way() or bool(set(update) - {"special_requests"})
        needs.settle(  # a need only asked about is answered, and noted once they book
            update,
            self.text,
            state,
            booking=booking,
            noted=ctx.notepad.special_requests,
            about_a_dish=bool(self.menu and self.menu.dishes),
        )
        return update

    def _booking_under_way(self) -> bool:
        ctx = self.ctx
        return bool(self.state.get("booking") or ctx.notepad.filled() or self._asks_to_book())

    def _asks_to_book(self) -> bool:
        # "opening hours" reads as availability ("openings") to the intent patterns, and "do
        # you have anything without meat?" asks about the menu, not for a table
        menu_question = self.menu is not None
        wanted = {"book"} if self.hours_question or menu_question else {"book", "availability"}
        return bool(self.intents.found & wanted)

    def _table_wish(self) -> dict[str, str]:
        """The meal the caller wants a table for ("for lunch"), kept for the call's booking,
        and whether this turn asks for the earliest or latest free time."""
        meal = meal_asked(self.text)
        if meal is not None:
            self.state["meal"] = meal
        wish = {"meal": str(self.state["meal"])} if self.state.get("meal") else {}
        edge = edge_asked(self.text)
        return {**wish, "edge": edge} if edge is not None else wish

    def _choose(self, offered: list[dt.time]) -> dt.time | None:
        if edge_asked(self.text) is not None:
            return None  # "what's the latest you have?" asks again; it picks nothing
        match = _ORDINAL_CHOICE.search(self.text)
        if match:
            which = match.group("which").lower()
            if which in ("first", "earlier", "earliest"):
                return min(offered) if which != "first" else offered[0]
            if which in ("second", "middle") and len(offered) > 1:
                return offered[1]
            if which == "third" and len(offered) > 2:
                return offered[2]
            return max(offered)
        if self.agrees and (len(offered) == 1 or self.state.get("offered_one")):
            return offered[0]
        return None

    # --- acting -------------------------------------------------------------------------------

    async def _capture(
        self, update: dict[str, Any], *, speak: bool
    ) -> AsyncGenerator[BrainEvent, None]:
        call = ToolCall("capture_reservation_data", _jsonable(update))
        yield call
        result = call.result
        if result is None:
            return
        if "escalation" in result.data:
            self.say.append(
                phrasing.sentence_case(_problems_of(result)[0].get("message", "")) + "."
            )
            self._must_hear(str(result.data["escalation"].get("say", "")))
            return
        if not speak:
            return
        changed = [str(c) for c in result.data.get("changed", [])]
        ack = phrasing.acknowledge(self.ctx.notepad, changed, self.ctx.today)
        if ack:
            self.say.append(ack)
            self._ack = ack
        problems = _problems_of(result)[:2]
        if problems:
            self.state["expecting"] = [p["field"] for p in problems]
            self._day_explained = any(p["field"] in ("date", "time") for p in problems)
        for problem in problems:
            if problem["code"] == "off_slot" and isinstance(update.get("time"), dt.time):
                offer = OffSlotOffer(update["time"], self.ctx)
                async for event in offer.run():
                    yield event
                self.state["offered"] = offer.offered
                self.say.append(offer.line)
                continue
            evening = _evening_reading(update.get("time"), self.ctx.profile)
            if problem["code"] == "outside_hours" and evening is not None:
                # "6:30 am" at a dinner-only restaurant: most likely "pm" misheard; ask
                self.say.append(
                    f"Sorry, we're open in the evening. Did you mean {speak_time(evening)}?"
                )
                self.state["offered"] = [evening.strftime("%H:%M")]
                continue
            self.say.append(
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
        if self.slots.is_correction and not changed and not result.data.get("problems"):
            self.say.append("That's what I have.")

    async def _next_booking_step(self) -> AsyncGenerator[BrainEvent, None]:
        ctx, state = self.ctx, self.state
        notepad = ctx.notepad
        if any(s.endswith("?") for s in self.say[-1:]):
            return  # a problem line already asked the caller something
        if notepad.date and notepad.party_size:
            wish = self._table_wish()
            key = f"{notepad.date}|{notepad.time}|{notepad.party_size}|{wish.get('meal')}"
            if state.get("checked") != key or "edge" in wish:
                call = ToolCall("check_availability", wish)
                yield call
                data = call.result.data if call.result and call.result.ok else {}
                if data and not data.get("available"):
                    alternatives = hours_talk.in_service_order(
                        ctx.profile, notepad.date, data["alternatives"]
                    )
                    if wish.get("edge") is not None:
                        alternatives = [dt.time.fromisoformat(t) for t in data["alternatives"]]
                    if alternatives:
                        self.say.append(
                            phrasing.offer(
                                notepad.date,
                                notepad.time,
                                alternatives,
                                ctx.today,
                                meal=wish.get("meal"),
                                meal_served=bool(data.get("meal_served", True)),
                                edge=wish.get("edge"),
                            )
                        )
                        state["offered"] = [t.strftime("%H:%M") for t in alternatives]
                        state["offered_one"] = (
                            "edge" in wish
                        )  # "the latest is 9:30": a yes takes it
                        state["expecting"] = ["time"]
                    else:
                        next_days = [dt.date.fromisoformat(d) for d in data.get("next_days", [])]
                        self.say.append(phrasing.fully_booked(notepad.date, next_days, ctx.today))
                        state["expecting"] = ["date"]
                    return
                if data:
                    state["checked"] = key
        missing = sorted(notepad.missing_fields(), key=_ASK_ORDER.index)
        if missing:
            question, asks = phrasing.ask_for(missing, ctx.caller_id)
            self.say.append(question)
            state["expecting"] = list(asks)
            if asks == ["phone"] and ctx.caller_id:
                state["caller_id_offered"] = True
            return
        if self._ack in self.say:
            self.say.remove(self._ack)
        self._must_hear(phrasing.read_back(notepad, ctx.today))
        state["confirming"] = True
        state["expecting"] = []

    async def _book(self) -> AsyncGenerator[BrainEvent, None]:
        ctx = self.ctx
        call = ToolCall("book_reservation", {"send_text": not self.state.get("no_text")})
        yield call
        result = call.result
        if result is not None and result.ok:
            self._must_hear(phrasing.booked(ctx.notepad, ctx.today, ctx.profile, result.data))
            self.state["booking"] = False
            self.state["expecting"] = []
            return
        offered = (result.data if result else {}).get("alternatives", [])
        alternatives = (
            hours_talk.in_service_order(ctx.profile, ctx.notepad.date, offered)
            if ctx.notepad.date
            else []
        )
        if ctx.notepad.date and alternatives:
            self.say.append(
                phrasing.offer(ctx.notepad.date, ctx.notepad.time, alternatives, ctx.today)
            )
            self.state["offered"] = [t.strftime("%H:%M") for t in alternatives]
            self.state["expecting"] = ["time"]
        else:
            self.say.append("I'm sorry, I couldn't book that. Would another day or time work?")
            self.state["expecting"] = ["date", "time"]

    def _answer(self) -> bool:
        ctx = self.ctx
        if self.hours_question and (self.intents.question or "faq" in self.intents):
            if not self._day_explained:  # a problem line already said the day's hours
                day = (
                    self.asked_day
                    or self.slots.date
                    or hours_talk.asks_about_now(self.text, ctx.today)
                )
                self.say.append(hours_talk.hours_answer(ctx.profile, day, ctx.today))
            return True
        if self.menu is not None:
            self.say.append(self.menu.answer)
            return True
        if ctx.rag_intent in ("none", "availability"):
            return False
        if (edge_asked(self.text) or meal_asked(self.text)) and (
            self.state.get("booking") or self._asks_to_book() or ctx.notepad.filled()
        ):
            return True  # "the latest you have?", "lunch for 4?": the free times answer it
        if ctx.rag_intent == "question" and self._day_explained:
            return True  # "Or Friday at 4?" offers a time; its problem line is the answer
        line = phrasing.answer(self.text, ctx.rag_intent, ctx.rag_hits)
        if line is None:
            self.say.append(
                "I'm sorry, I don't have that information. A member of our team can help "
                "if you'd like to be transferred."
            )
            self.state[TRANSFER_OFFERED] = True
        else:
            self.say.append(line)
        return True

    def _must_hear(self, line: str) -> None:
        """A line not to be cut off: a read-back, a booking and its deposit, a hand-off."""
        self.say.append(line)
        self.keep.add(line)

    async def _emit(self) -> AsyncGenerator[BrainEvent, None]:
        sentences = vary_repeat([s for s in self.say if s], _last_agent_line(self.ctx), self.state)
        for index, sentence in enumerate(sentences):
            text = sentence if index == 0 else " " + sentence
            yield TextDelta(text, protected=sentence in self.keep)


def keyed_as_words(digits: str, context: TurnContext) -> str:
    """Digits keyed on the pad, read for what the agent last asked for, so that they go
    through the very validation and read-back a spoken number does."""
    expecting = {str(f) for f in context.state.get("expecting", [])}  # type: ignore[attr-defined]
    if "phone" in expecting:
        return f"my number is {digits}"
    if "party_size" in expecting:
        return f"{digits} people"
    if expecting & {"confirmation_code", "code"}:
        return f"my confirmation code is {digits}"
    if "phone" in context.missing or len(digits) >= 7:
        return f"my number is {digits}"
    return f"{digits} people"


def _about_a_booking_they_have(text: str, intents: Intents) -> bool:
    request = booking_intent(text)
    return request is not None and request.existing and "book" not in intents


def _last_agent_line(context: TurnContext) -> str | None:
    return next((h.text for h in reversed(context.history) if h.role == "agent"), None)


def _problems_of(result: ToolResult) -> list[dict[str, Any]]:
    return list(result.data.get("problems", []))


def _escalated(result: ToolResult | None) -> bool:
    return bool(result and "escalation" in result.data)


def _said(result: ToolResult | None) -> str:
    return str(result.data.get("say", "")) if result else ""


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


def _with_surname(name: str, spelled: str) -> str:
    """A spelled word replaces the surname of a two-word name ("Hannah Norwick" + "Novak" ->
    "Hannah Novak"), since callers spell the part that went wrong; otherwise the whole name."""
    words = name.split()
    return f"{words[0]} {spelled}" if len(words) == 2 else spelled
