"""The rules brain: an offline dialogue policy over `language.slots`. No LLM, no network.

Each turn: understand (intents + slots, read in the light of what the agent just asked), act
through the same tools an LLM would call, then say one or two short sentences that move the
booking on: answer the question, report a problem, offer free times, ask for what is missing,
read the booking back, book it on a yes.

This module is the turn's order of business; what the words mean is `turn_reading.py`, the
booking's steps `booking_steps.py`, calls about an existing booking `manage.py`, and what goes
out `reply.py`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator

from resvoice.agent.booking_intents import booking_intent, no_text_wanted
from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.brains.rules import hours_talk, phrasing
from resvoice.agent.brains.rules.asking import asks_outright, asks_to_repeat, later_questions
from resvoice.agent.brains.rules.booking_steps import BookingSteps
from resvoice.agent.brains.rules.manage import ManageDialogue
from resvoice.agent.brains.rules.reply import Reply, last_agent_line
from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED, transfer_offer
from resvoice.agent.brains.rules.turn_reading import TurnReading
from resvoice.agent.brains.rules.who_we_are import (
    a_machine_answers,
    asks_if_a_machine,
    names_us,
    who_we_are,
)
from resvoice.agent.events import BrainEvent, RagHit, TextDelta, ToolCall, ToolResult
from resvoice.agent.greeting import greeting
from resvoice.agent.intents import Intents
from resvoice.language.meals import edge_asked, meal_asked
from resvoice.language.misheard import as_meant


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
        last = last_agent_line(context)
        if turn.kind == "speech" and last and asks_to_repeat(text):
            # "Sorry, could you repeat that?": the same words again, and every question they
            # put still open (the state is left as it was)
            yield TextDelta(f"Of course. {last}")
            return
        policy = _Turn(text, context)
        async for event in policy.run():
            yield event


class _Turn:
    """One caller turn of the rules policy; collects what to say in `self.reply`."""

    def __init__(self, text: str, context: TurnContext) -> None:
        self.text = text
        self.ctx = context
        self.state = context.state
        self.reading = TurnReading(text, context)
        self.reply = Reply()
        self.steps = BookingSteps(self.reading, self.reply)
        self.gave_booking = False  # this turn gives a party size, day or time

    async def run(self) -> AsyncGenerator[BrainEvent, None]:
        ctx, state, reading, reply = self.ctx, self.state, self.reading, self.reply
        intents = reading.intents
        update = reading.notepad_update()
        self.gave_booking = bool(set(update) & {"party_size", "date", "time"})
        if _about_a_booking_they_have(self.text, intents) and not (
            state.get("booking") or ctx.notepad.filled()
        ):
            update = {}  # "can I bring my dog to my reservation tomorrow?": no new booking
        if asks_if_a_machine(self.text) and not update:
            # "are you a real person?" asks about us: answered, with a person offered
            reply.say.append(a_machine_answers(ctx.profile))
            state[TRANSFER_OFFERED] = True
            async for event in reply.emit(ctx):
                yield event
            return
        offered = bool(state.pop(TRANSFER_OFFERED, False))
        accepts_transfer = offered and reading.agrees and not update and "no" not in intents
        if "human" in intents or accepts_transfer:
            if update:
                async for event in self.steps.capture(update, speak=False):
                    yield event
            call = ToolCall("escalate_to_human", {"reason": "user_requested", "detail": self.text})
            yield call
            reply.must_hear(_said(call.result))
            async for event in reply.emit(ctx):
                yield event
            return

        declines_offer = offered and "no" in intents and "goodbye" not in intents and not update
        if declines_offer and not ManageDialogue.wants(self.text, ctx):  # else it answers
            reply.say.append("No problem. Is there anything else I can help with?")
            async for event in reply.emit(ctx):
                yield event
            return
        offer = None if state.get("booking") else transfer_offer(self.text)
        if offer is not None:
            reply.say.append(offer)
            state[TRANSFER_OFFERED] = True
            async for event in reply.emit(ctx):
                yield event
            return

        if ManageDialogue.refuses_a_new_name(self.text, ctx, reply.say):
            async for event in reply.emit(ctx):
                yield event
            return
        said_day = reading.slots.date
        a_note = said_day and ManageDialogue.may_be_a_note(self.text, ctx, reading.slots)
        if said_day and (
            a_note or ManageDialogue.may_be_about_their_booking(self.text, ctx, reading.slots)
        ):
            dialogue = ManageDialogue(self.text, ctx, intents, reply.say)
            action = "note" if a_note else None
            async for event in dialogue.their_booking_that_day(said_day, action):
                yield event
            if reply.say:  # their booking that day: the turn is about it (a need, its note)
                async for event in reply.emit(ctx):
                    yield event
                return
        if ManageDialogue.wants(self.text, ctx):
            dialogue = ManageDialogue(self.text, ctx, intents, reply.say)
            async for event in dialogue.run():
                yield event
            if dialogue.rebook is None and reply.say:
                async for event in reply.emit(ctx):
                    yield event
                return
            if dialogue.rebook is not None:  # booking again: the guest's name carries over
                update = {**{k: v for k, v in dialogue.rebook.items() if v}, **update}
        if ManageDialogue.asks_another_table(self.text, ctx):
            yield ToolCall("start_another_booking", {})  # name and phone carry over
            state["booking"] = True
        if no_text_wanted(self.text):
            state["no_text"] = True

        confirming = bool(state.pop("confirming", False))
        if confirming and not update:
            if reading.agrees:
                async for event in self.steps.book():
                    yield event
                async for event in reply.emit(ctx):
                    yield event
                return
            if "no" in intents:
                reply.say.append("No problem. What would you like to change?")
                state["expecting"] = []
                async for event in reply.emit(ctx):
                    yield event
                return

        if update:
            captured = True
            async for event in self.steps.capture(update, speak=True):
                yield event
                if isinstance(event, ToolCall) and _escalated(event.result):
                    captured = False
            if not captured:
                async for event in reply.emit(ctx):
                    yield event
                return
        asked_again = None  # a booking question put again this turn
        if reading.slots.date_error:
            reply.say.append(f"Sorry, {reading.slots.date_error}. Which date would you like?")
        elif reading.ask_day:
            asked_again = reading.ask_day
            reply.say.append(asked_again)
            state["expecting"] = ["date"]
        elif reading.go_on:
            asked_again = reading.go_on
            reply.say.append(asked_again)
            state["expecting"] = ["phone"]
        elif reading.ask_pick:
            asked_again = reading.ask_pick
            reply.say.append(asked_again)
            state["expecting"] = ["time"]

        if self._answer() and not update:  # the answer to a question the turn asks
            async for event in self._later_questions():
                yield event
        booking = bool(
            state.get("booking") or reading.asks_to_book() or update or ctx.notepad.filled()
        )
        leaving = "goodbye" in intents and not update and not reading.asks_to_book()
        if leaving and state.get("expecting") and _PLEASANTRY_ALONE.match(self.text):
            # "Have a good day!" as the whole answer to "what day?": more often "Saturday"
            # misheard than a caller leaving mid-booking, who says "bye" or hangs up
            leaving = False
        if booking and ctx.reservation_id is None and leaving:
            # "okay thanks, bye" before the booking is whole: nothing is booked, the call ends
            state["booking"] = False
            if asked_again in reply.say:  # no question put to a caller who is leaving
                reply.say.remove(asked_again)
            reply.say.append(
                f"No problem, I haven't booked anything. Thank you for calling "
                f"{ctx.profile.restaurant.name}. Goodbye!"
            )
        elif booking and ctx.reservation_id is None:
            state["booking"] = True
            async for event in self.steps.next_step():
                yield event
        elif "goodbye" in intents or (ctx.reservation_id and "no" in intents):
            reply.say.append(f"Thank you for calling {ctx.profile.restaurant.name}. Goodbye!")
        elif not reply.say:  # nothing said yet: never an empty reply
            if "thanks" in intents and "greeting" not in intents:
                reply.say.append("You're welcome. Is there anything else I can help with?")
            elif "greeting" in intents or (
                intents.found & {"thanks", "yes"} and self.reading.opening
            ):
                reply.say.append("How can I help you today?")
            elif "yes" in intents and "anything else" in (last_agent_line(ctx) or "").lower():
                reply.say.append("Sure, what else can I do for you?")  # "yes" to "anything else?"
            elif (
                intents.found & {"thanks", "yes"}
                or _TAKEN_IN.match(self.text)
                or ctx.reservation_id is not None
            ):
                # "Right." after an answer: the caller took it in; ask what else, not anew
                reply.say.append("Is there anything else I can help with?")
            else:
                ctx.understood = False
                # first words not understood: perhaps "Is this the restaurant?", so say who
                here = f" This is {ctx.profile.restaurant.name}." if self.reading.opening else ""
                reply.say.append(
                    f"Sorry, I didn't catch that.{here} I can book a table, or answer questions "
                    "about our menu and policies."
                )
        async for event in reply.emit(ctx):
            yield event

    def _answer(self) -> bool:
        """Answer a question the turn asks: opening hours, the menu, else what retrieval
        found; True when the turn was answered (or needs no answer of its own)."""
        ctx, reading, say = self.ctx, self.reading, self.reply.say
        if reading.hours_question and (reading.intents.question or "faq" in reading.intents):
            if not self.reply.day_explained:  # a problem line already said the day's hours
                day = (
                    reading.asked_day
                    or reading.slots.date
                    or hours_talk.asks_about_now(self.text, ctx.today)
                )
                say.append(hours_talk.hours_answer(ctx.profile, day, ctx.today))
            return True
        if reading.who:
            say.append(who_we_are(ctx.profile, named=names_us(ctx.profile, self.text)))
            if not reading.asked_besides:
                if not (reading.asks_to_book() or self.state.get("booking")):
                    say.append("How can I help you today?")
                return True
        if reading.menu is not None:
            say.append(reading.menu.answer)
            return True
        if ctx.rag_intent in ("none", "availability"):
            return False
        if reading.swapped:
            return True  # "could we do eight instead of seven?" is answered by the change
        if self.gave_booking and (
            not asks_outright(self.text)
            or reading.slots.is_correction
            or _ASKS_FOR_A_TABLE.search(self.text)
        ):
            # "me and my wife and our two kids, Thursday around six?" asks nothing; "could we
            # make it Saturday instead?" asks for the change it gives; "have you got something
            # after 8 on Saturday for four?" is answered by the free times
            return True
        if "name" in reading.expecting and not (asks_outright(self.text) or "?" in self.text):
            return True  # asked for a name, "Bring a ramen." is a name misheard, not a question
        if (edge_asked(self.text) or meal_asked(self.text)) and (
            self.state.get("booking") or reading.asks_to_book() or ctx.notepad.filled()
        ):
            return True  # "the latest you have?", "lunch for 4?": the free times answer it
        if ctx.rag_intent == "question" and self.reply.day_explained:
            return True  # "Or Friday at 4?" offers a time; its problem line is the answer
        line = phrasing.answer(reading.asked_besides or self.text, ctx.rag_intent, ctx.rag_hits)
        if line is None:
            say.append(
                "I'm sorry, I don't have that information. A member of our team can help "
                "if you'd like to be transferred."
            )
            self.state[TRANSFER_OFFERED] = True
        else:
            say.append(line)
        return True

    async def _later_questions(self) -> AsyncGenerator[BrainEvent, None]:
        """A second question in the same breath ("vegetarian mains, and is there parking?")
        answered too, from what the knowledge search finds for it alone; at most two more, and
        nothing said twice."""
        say = self.reply.say
        for question in later_questions(self.text)[:2]:
            call = ToolCall("search_menu_and_policies", {"query": question})
            yield call
            found = call.result.data.get("hits", []) if call.result and call.result.ok else []
            hits = [
                RagHit(h["source"], h["title"], float(h["score"]), h["text"], tuple(h["tags"]))
                for h in found
            ]
            kind = "menu" if hits and hits[0].source == "menu" else "faq"
            line = phrasing.answer(question, kind, hits)
            if line and line not in say:
                say.append(line)


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


def _escalated(result: ToolResult | None) -> bool:
    return bool(result and "escalation" in result.data)


def _said(result: ToolResult | None) -> str:
    return str(result.data.get("say", "")) if result else ""


_PLEASANTRY_ALONE = re.compile(
    r"^\W*(?:(?:you\s+)?have\s+a\s+(?:good|nice|great|lovely)\s+(?:one|day|night|evening)|"
    r"see\s+you)\W*$",
    re.IGNORECASE,
)
"""A parting pleasantry that is the whole turn, with no "bye", "thanks" or "that's all"."""

_TAKEN_IN = re.compile(
    r"^\W*(?:(?:ah|oh|okay|ok|right|alright)\W+)*(?:got\s+it|gotcha|i\s+see|understood|"
    r"good\s+to\s+know|fair\s+enough|makes\s+sense|cool|noted|alright|all\s+right)\W*$",
    re.IGNORECASE,
)
"""An answer taken in and nothing more ("Got it.", "Ah, I see."): what else, not a new start."""

_ASKS_FOR_A_TABLE = re.compile(
    r"\b(?:have\s+you\s+got|you\s+got|do\s+you\s+have|got|have)\s+(?:anything|something|a\s+table|"
    r"any\s+(?:tables?|room|space|availability))\b|\bany(?:thing)?\s+(?:free|available|open)\b",
    re.IGNORECASE,
)
"""A question asking for a table ("have you got something after 8?"), not about the menu."""
