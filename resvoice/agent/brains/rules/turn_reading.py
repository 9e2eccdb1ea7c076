"""What one caller turn means to the rules brain's booking policy.

The intents and slots of the turn, read in the light of what the agent just asked; whether it
asks about opening hours or the menu; and the booking values it gives (`notepad_update`): the
day read against the day in view, a time read against the opening hours, a choice among times
just offered, a spelled surname or a corrected phone ending, a need noted or only asked about.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Any

from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules import hours_talk, needs
from resvoice.agent.brains.rules.day_in_view import keep_in_view, read_day
from resvoice.agent.brains.rules.menu_talk import read_menu_question
from resvoice.agent.brains.rules.number_parts import number_in_parts
from resvoice.agent.brains.rules.reply import last_agent_line
from resvoice.agent.brains.rules.who_we_are import asked_besides, asks_who_we_are
from resvoice.agent.intents import Intents, classify
from resvoice.agent.notepad import normalise_phone, speak_time
from resvoice.language.affirm import accepts_caller_id, is_yes
from resvoice.language.from_now import from_now
from resvoice.language.instead import swapped
from resvoice.language.known_names import is_given_name
from resvoice.language.meals import edge_asked, meal_asked, time_bound
from resvoice.language.name_words import is_name_word
from resvoice.language.names import spelled_name
from resvoice.language.phones import tail_correction
from resvoice.language.phrases import join_words
from resvoice.language.slots import Extraction, extract_slots

__all__ = ["TurnReading"]

_ORDINAL_CHOICE = re.compile(
    r"\b(?P<which>first|earlier|earliest|second|middle|third|last|later|latest)\b", re.I
)
_NAME_CORRECTION_RE = re.compile(
    r"^\W*(?:no|nope|sorry|actually|wait)\b|\bspell|\bname\b", re.IGNORECASE
)
_FIRST_NAME_RE = re.compile(r"\bfirst\s+name\b|\bgiven\s+name\b", re.IGNORECASE)
_LAST_NAME_RE = re.compile(r"\b(?:last|family|second)\s+name\b|\bsurname\b", re.IGNORECASE)
_IF_WE_BOOK = re.compile(
    r"\bif\s+(?:i|we)\s+(?:book|reserve|made?\s+a\s+(?:booking|reservation))\b", re.IGNORECASE
)
"""A booking only supposed, in a question about what would follow it."""
_SLOTS = ("name", "phone", "party_size", "date", "time", "email", "special_requests")


class TurnReading:
    """One caller turn, understood (see the module doc)."""

    def __init__(self, text: str, context: TurnContext) -> None:
        self.text = text
        self.ctx = context
        self.state = context.state
        self.intents: Intents = classify(text)
        self.agrees = "yes" in self.intents or is_yes(text)  # "go ahead", "that's the one"
        expecting = frozenset(str(f) for f in self.state.get("expecting", []))  # type: ignore[attr-defined]
        self.expecting = expecting  # what the agent's last question asked for
        self.slots: Extraction = extract_slots(
            text,
            today=context.today,
            expecting=expecting,
            system_before=last_agent_line(context),
            region=context.phone_region,
            evening_bias=hours_talk.evening_only(context.profile),
            spelled_before=_spelled_before(context.state),
            name_open=context.notepad.name is None
            and bool(
                context.state.get("booking")
                or context.notepad.filled()
                or self.intents.found & {"book", "availability"}
            ),
        )
        self.hours_question = hours_talk.is_hours_question(text)
        self.hypothetical = bool(_IF_WE_BOOK.search(text)) and "?" in text
        self.ask_day: str | None = None  # "today, or next Tuesday?"
        self.ask_pick: str | None = None  # "7:30 or 8?" after a plain yes
        self.go_on: str | None = None  # "Go on: 6 4 6..." to a number given in part
        # "is this Olive and Ember?": the caller checks the number, not the olives
        # the caller's first words of the call (the history holds this turn's line already)
        self.opening = sum(line.role == "caller" for line in context.history) <= 1
        self.who = asks_who_we_are(context.profile, text, opening=self.opening)
        # "... Do you have parking?" after it: asked too, and answered after who we are
        self.asked_besides = asked_besides(context.profile, text) if self.who else ""
        # "what's in the calamari?", "anything without meat?": answered from the menu itself
        self.menu = (
            None
            if self.intents.found & {"human", "manage"}
            or (self.who and not self.asked_besides)
            or ("book" in self.intents and "menu" not in self.intents)  # "book under Olive"
            else read_menu_question(context.profile, self.asked_besides or text)
        )
        self.asked_day: dt.date | None = None  # the day an hours question is about
        # "could we do eight instead of seven?" changes the booking; it asks nothing else
        self.swapped = False

    def notepad_update(self) -> dict[str, Any]:
        """The booking values this turn gives (for `capture_reservation_data`). Call it once
        a turn: it settles the times offered last turn and the caller-ID offer in the state."""
        slots, state, ctx = self.slots, self.state, self.ctx
        update: dict[str, Any] = {
            name: getattr(slots, name) for name in _SLOTS if getattr(slots, name, None) is not None
        }
        day_asked = state.pop("day_asked", None)  # the day of last turn's hours question
        if "date" not in update and not slots.date_error:
            named = hours_talk.named_date(ctx.profile, self.text, ctx.today)
            if named is not None:
                update["date"] = named
        if self.hypothetical:
            # "if I book for Saturday and need to cancel, is there a fee?" books nothing, and
            # settles nothing: times offered or the caller's number offered stay open
            self.asked_day = update.get("date")
            if self.asked_day is not None:
                keep_in_view(ctx, self.asked_day)
            return {}
        if self.hours_question and not self.asks_to_book():
            # "are you open on the 25th?" asks about the day; it neither starts a booking nor
            # changes the day of one under way
            self.asked_day = update.pop("date", None)
            if self.asked_day is not None:  # "at 10 that night" books the day asked about
                keep_in_view(ctx, self.asked_day)
                state["day_asked"] = self.asked_day.isoformat()
            update.pop("time", None)
        if not slots.date_error and not (self.hours_question and not self.asks_to_book()):
            reading = read_day(self.text, ctx, update.get("date"))
            update.pop("date", None)
            if reading.day is not None:
                update["date"] = reading.day
            self.ask_day = reading.ask
        if (
            "date" not in update
            and isinstance(day_asked, str)
            and ctx.notepad.date is None
            and set(update) & {"party_size", "time"}
        ):
            # "Are you open for lunch tomorrow?" - "Dinner then, 2 people at 6:30": that day
            update["date"] = dt.date.fromisoformat(day_asked)
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
        if isinstance(update.get("date"), dt.date) and isinstance(update.get("time"), dt.time):
            update["date"] = hours_talk.service_day_named(
                ctx.profile, update["date"], update["time"]
            )
        spelling = slots.name_spelling if "name" in update else None
        # "No, my first name is Priya, P R I Y A": the surname the agent holds stays
        first_only = bool(ctx.notepad.name) and _FIRST_NAME_RE.search(self.text) is not None
        if "name" in update and ctx.notepad.name and first_only:
            update["name"] = _with_first_name(ctx.notepad.name, str(update["name"]), self.text)
        elif "name" in update and ctx.notepad.name and _LAST_NAME_RE.search(self.text):
            # "It's Simone." then "Last name is Delacroix.": the first name held stays
            update["name"] = _with_last_name(ctx.notepad.name, str(update["name"]))
        if "name" not in update and ctx.notepad.name and _NAME_CORRECTION_RE.search(self.text):
            # The agent read the name back ("Thank you, Hannah Norwick."): "No, it's N O V A K"
            spelled = spelled_name(self.text, again=_spelled_before(state))
            if spelled is not None:
                update["name"] = (
                    _with_first_name(ctx.notepad.name, spelled.value, self.text)
                    if first_only
                    else _with_surname(ctx.notepad.name, spelled.value)
                )
                spelling = spelled.spelling
        if spelling is not None:
            # remembered for the call: the same letters spelled again are taken as they are
            state["name_spelling"] = spelling
        elif "name" in update and ctx.notepad.name and _spelled_before(state):
            # "No, the name is Priya Raman" heard "Rio Ramen" after R-A-M-A-N was spelled: the
            # surname as spelled stands against a word that only sounds like it
            update["name"] = _keep_spelled_surname(str(update["name"]), ctx.notepad.name)
        tail = tail_correction(self.text) if ctx.notepad.phone else None
        if tail is not None and ctx.notepad.phone:
            # "no, the last four are 0132": the number read back, with its ending corrected
            update = {"phone": ctx.notepad.phone[: -len(tail)] + tail}
        whole = "phone" in update and bool(normalise_phone(str(update["phone"]), ctx.phone_region))
        asked_number = "phone" in self.expecting or bool(state.get("caller_id_offered"))
        parts = number_in_parts(
            self.text, state, ctx.phone_region, asked_number=asked_number and not whole
        )
        if parts.phone is not None and not whole:
            update["phone"] = parts.phone  # "It's 646..." then "555 0142"
        elif parts.go_on is not None:
            update.pop("phone", None)
            self.go_on = parts.go_on
        if not update:
            # "could we do eight instead of seven?": the old value says which detail changes
            update.update(self._swap())
            self.swapped = bool(update)
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
            elif (
                choice is None
                and "time" not in update
                and len(offered) > 1
                and (self.agrees or set(update) & {"name", "phone", "email"})
            ):
                # "yes, that's fine" to "7:30 or 8?", or the name given instead of a time:
                # which one, of the very same times
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
        needs.question_only(update, state, booking=self.booking_under_way(), question=asked)
        booking = self.booking_under_way() or bool(set(update) - {"special_requests"})
        needs.settle(  # a need only asked about is answered, and noted once they book
            update,
            self.text,
            state,
            booking=booking,
            noted=ctx.notepad.special_requests,
            about_a_dish=bool(self.menu and self.menu.dishes),
        )
        return update

    def booking_under_way(self) -> bool:
        ctx = self.ctx
        return bool(self.state.get("booking") or ctx.notepad.filled() or self.asks_to_book())

    def asks_to_book(self) -> bool:
        # "opening hours" reads as availability ("openings") to the intent patterns, and "do
        # you have anything without meat?" asks about the menu, not for a table
        if self.hypothetical:
            return False
        menu_question = self.menu is not None
        wanted = {"book"} if self.hours_question or menu_question else {"book", "availability"}
        return bool(self.intents.found & wanted)

    def table_wish(self) -> dict[str, str]:
        """The meal the caller wants a table for ("for lunch"), kept for the call's booking,
        and whether this turn asks for the earliest or latest free time."""
        meal = meal_asked(self.text)
        if meal is not None:
            self.state["meal"] = meal
        wish = {"meal": str(self.state["meal"])} if self.state.get("meal") else {}
        edge = edge_asked(self.text)
        if edge is not None:
            return {**wish, "edge": edge}
        bound = time_bound(self.text, evening_bias=hours_talk.evening_only(self.ctx.profile))
        if bound is not None and self.ctx.notepad.time is None:
            return {**wish, bound[0]: bound[1].strftime("%H:%M")}  # "anything earlier than 6?"
        return wish

    def _swap(self) -> dict[str, Any]:
        ctx = self.ctx
        swap = swapped(self.text, evening_bias=hours_talk.evening_only(ctx.profile))
        if swap is None:
            return {}
        booked_time, party = ctx.notepad.time, ctx.notepad.party_size
        is_hour = booked_time is not None and (booked_time.hour - 1) % 12 + 1 == swap.old
        is_party = party == swap.old
        if is_hour and not is_party and swap.time is not None:
            day = ctx.notepad.date
            return {"time": hours_talk.read_time(ctx.profile, day, swap.time, False)}
        if is_party and not is_hour and swap.count is not None:
            return {"party_size": swap.count}
        return {}

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


def _spelled_before(state: Mapping[str, object]) -> str | None:
    """The name spelling (as heard) taken earlier in this call, if any."""
    spelling = state.get("name_spelling")
    return str(spelling) if spelling else None


def _keep_spelled_surname(said: str, held: str) -> str:
    """`said` with the surname of `held` (the name as spelled) where its own last word only
    sounds like it ("Rio Ramen" against "Rio Raman" -> "Rio Raman"); otherwise `said`."""
    words, surname = said.split(), held.split()[-1]
    last = words[-1]
    if last.lower() == surname.lower() or last[:1].lower() != surname[:1].lower():
        return said
    if SequenceMatcher(None, last.lower(), surname.lower()).ratio() < _SOUNDS_LIKE:
        return said
    return " ".join([*words[:-1], surname])


_SOUNDS_LIKE = 0.6
"""How alike (difflib's ratio) a said surname must be to the spelled one to be taken for it."""


def _with_first_name(name: str, said: str, text: str = "") -> str:
    """The first word of `said` before the surname of `name` ("Rio Raman" + "Priya" -> "Priya
    Raman"): what "my first name is ..." corrects. A first name the census lists, said right
    after "first name is" in `text`, wins over letters that make no listed name ("Abbie, A,
    W-I-E" heard for "Abbie, A, double B, I, E")."""
    words = name.split()
    surname = " ".join(words[1:]) if len(words) > 1 else words[0]
    first = said.split()[0]
    m = _FIRST_NAME_SAID_RE.search(text)
    said_first = m.group(1) if m is not None else ""
    if (
        is_given_name(said_first)
        and is_name_word(said_first, cased=False)
        and not is_given_name(first)
    ):
        # ("my first name is my B-A-W-B-I-E": "My" is a listed name, but here a word)
        first = said_first.capitalize()
    return first if first.lower() == surname.lower() else f"{first} {surname}"


_FIRST_NAME_SAID_RE = re.compile(r"\bfirst\s+name\s+is\s+([A-Za-z]{2,})\b", re.IGNORECASE)


def _with_last_name(name: str, said: str) -> str:
    """The first name held before the surname said ("Simone" + "Delacroix" -> "Simone
    Delacroix"); a whole name said is taken whole."""
    if " " in said.strip():
        return said
    first = name.split()[0]
    return said if first.lower() == said.lower() else f"{first} {said}"


def _with_surname(name: str, spelled: str) -> str:
    """A spelled word replaces the surname of a two-word name ("Hannah Norwick" + "Novak" ->
    "Hannah Novak"), since callers spell the part that went wrong; otherwise the whole name."""
    words = name.split()
    return f"{words[0]} {spelled}" if len(words) == 2 else spelled
