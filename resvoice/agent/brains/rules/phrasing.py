"""What the rules brain says: short, speakable sentences built from the call's data."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence

from resvoice.agent.brains.rules.answer_text import answer_sentences, menu_with_prices
from resvoice.agent.events import RagHit
from resvoice.agent.notepad import (
    FieldName,
    Notepad,
    Problem,
    speak_date,
    speak_phone,
    speak_time,
)
from resvoice.language.numbers import ordinal
from resvoice.language.phrases import join_words, speak_note
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.hours_words import open_days_phrase
from resvoice.restaurant.profile import RestaurantProfile

_DIETARY = {
    "vegan": ("vegan", "plant-based", "plant based"),
    "vegetarian": ("vegetarian", "veggie", "meat-free", "meatless"),
    "gluten-free": ("gluten free", "gluten-free", "gluten", "celiac", "coeliac"),
    "dairy-free": ("dairy free", "dairy-free", "lactose"),
    "spicy": ("spicy", "hot dishes"),
}
_ASK: dict[tuple[FieldName, ...], str] = {
    ("party_size", "date"): "For how many people, and on what day?",
    ("party_size",): "For how many people?",
    ("date", "time"): "What day and time would you like?",
    ("date",): "What day would you like to come in?",
    ("time",): "What time would you like?",
    ("name",): "May I have a name for the reservation?",
    ("phone",): "And what's the best phone number to reach you? You can also type it on the "
    "keypad, then press pound.",
}


def ask_for(missing: Sequence[FieldName], caller_id: str | None) -> tuple[str, list[FieldName]]:
    """Ask for the next one or two missing fields; returns the question and what it asks."""
    first = missing[0]
    if first == "phone" and caller_id:
        digits = re.sub(r"\D", "", caller_id)
        return (
            f"Is the phone number you're calling from, ending in {' '.join(digits[-4:])}, "
            "the best one to reach you?",
            ["phone"],
        )
    if len(missing) > 1 and (first, missing[1]) in _ASK:
        pair = (first, missing[1])
        return _ASK[pair], list(pair)
    return _ASK[(first,)], [first]


def describe(notepad: Notepad, today: dt.date, fields: Sequence[str] | None = None) -> str:
    """'a table for 4 on Saturday, February 7th at 7 PM' from whatever is known."""
    show = set(fields) if fields is not None else {"party_size", "date", "time"}
    bits: list[str] = []
    if notepad.party_size and "party_size" in show:
        bits.append(f"a table for {notepad.party_size}")
    if notepad.date and "date" in show:
        bits.append(_on(speak_date(notepad.date, today)))  # "tomorrow", not "on tomorrow"
    if notepad.time and "time" in show:
        bits.append(f"at {speak_time(notepad.time)}")
    return " ".join(bits)


def acknowledge(notepad: Notepad, changed: Sequence[str], today: dt.date) -> str:
    booking = [f for f in changed if f in ("party_size", "date", "time")]
    parts: list[str] = []
    if booking:
        parts.append(f"Great, {describe(notepad, today, booking)}.")
    if "name" in changed and notepad.name:
        parts.append(f"Thank you, {notepad.name}.")
    if "phone" in changed and notepad.phone:
        parts.append(f"I have your number as {speak_phone(notepad.phone)}.")
    if "special_requests" in changed:
        parts.append(f"I've noted {speak_note(notepad.special_requests or '') or 'your request'}.")
    return " ".join(parts)


def weekday_differs(day: dt.date, weekday_said: int) -> str:
    """ "Just so you know, December 12th is a Saturday, not a Friday." """
    said = calendar.day_name[weekday_said]
    return f"Just so you know, {day:%B} {ordinal(day.day)} is a {day:%A}, not a {said}."


def read_back(notepad: Notepad, today: dt.date, profile: RestaurantProfile) -> str:
    """The booking read back before it is made; a deposit is said before the caller agrees."""
    assert notepad.phone is not None
    note = notepad.special_requests
    extra = f", with a note: {speak_note(note)}" if note else ""
    deposit = deposit_line(profile, notepad)
    return (
        f"Let me read that back: {describe(notepad, today)}, under {notepad.name}, phone "
        f"{speak_phone(notepad.phone)}{extra}.{' ' + deposit if deposit else ''} Shall I book it?"
    )


def deposit_line(profile: RestaurantProfile, notepad: Notepad) -> str:
    """The deposit policy's first sentence for a party that pays one, else ""."""
    deposit_from = profile.booking.deposit_from_party
    if not (deposit_from and notepad.party_size and notepad.party_size >= deposit_from):
        return ""
    policy = next((p for p in profile.policies if p.topic == "deposit"), None)
    return first_sentences(policy.text, 1) if policy else "A deposit is required."


def booked(
    notepad: Notepad,
    today: dt.date,
    profile: RestaurantProfile,
    table: Mapping[str, object] | None = None,
) -> str:
    """The booking confirmed; a single seat (a counter seat) says where it is."""
    where = ""
    if table and table.get("seats") == 1:
        where = f", at the {table.get('area') or 'counter'}"
    text = f"You're all set: {describe(notepad, today)} under {notepad.name}{where}."
    deposit = deposit_line(profile, notepad)
    return text + (f" {deposit}" if deposit else "") + " Is there anything else I can help with?"


def problem_line(problem: Problem, profile: RestaurantProfile, notepad: Notepad) -> str:
    code = problem.code
    if code == "party_too_small":
        return "How many people will be joining?"
    if code == "date_in_past":
        return "That date has already passed. What date would you like?"
    if code == "date_too_far":
        return f"Sorry, {problem.message}. Could you pick an earlier date?"
    if code == "closed_day":
        hours = OpeningHours(profile)
        if isinstance(problem.value, dt.date) and hours.is_exception(problem.value):
            reopens = hours.next_open_day(problem.value)
            again = f" We're open again on {speak_date(reopens)}." if reopens else ""
            return f"Sorry, {problem.message}.{again} Would another day work?"
        span = open_days_phrase(hours) or "other days"
        return f"Sorry, {problem.message}; we're open {span}. Would another day work?"
    if code == "time_passed" and isinstance(problem.value, dt.time):
        return f"Sorry, {speak_time(problem.value)} has already passed today."  # times follow
    if code in ("outside_hours", "time_passed"):
        return f"Sorry, {problem.message}. What time would suit you?"
    if code == "off_slot" and isinstance(problem.value, dt.time):
        minutes = problem.value.hour * 60 + problem.value.minute
        step = profile.booking.slot_minutes
        low = minutes - minutes % step
        options = f"{speak_time(_at(low))} or {speak_time(_at(low + step))}"
        return f"We book every {step} minutes, so I could do {options}. Which would you prefer?"
    if code == "phone_invalid":
        # a number the line garbled once is best typed: the keypad is heard exactly
        return (
            "Sorry, I didn't get the whole number. Could you type your number on the keypad and "
            "press pound, or say it again, digit by digit?"
        )
    if code == "email_invalid":
        return "Sorry, I didn't catch the full email address. Could you spell it?"
    return f"Sorry, {problem.message}."


def offer(
    day: dt.date,
    asked: dt.time | None,
    times: Sequence[dt.time],
    today: dt.date,
    *,
    meal: str | None = None,
    meal_served: bool = True,
    edge: str | None = None,
    bound: tuple[str, dt.time] | None = None,
) -> str:
    """The free times of `day` offered: after a taken time, for a meal, from an edge, or on
    one side of a time ("before 6 PM on Friday, I have 5:30 PM or 5 PM")."""
    listed = join_words([speak_time(t) for t in times], "or")
    when = speak_date(day, today)
    if asked is None and bound is not None:
        side = f"{bound[0].capitalize()} {speak_time(bound[1])} {_on(when)}"
        return f"{side}, I have {listed}. Which time works for you?"
    if asked is None:
        lead = f"{when[:1].upper()}{when[1:]}"
        if meal is not None and not meal_served:
            lead = f"We don't serve {meal} {_on(when)}, but"
        elif meal is not None:
            lead = f"For {meal} {_on(when)},"
        if edge is not None and times:
            first, rest = speak_time(times[0]), [speak_time(t) for t in times[1:]]
            also = f" I also have {join_words(rest, 'or')}." if rest else ""
            what = f"{edge} I have{f' for {meal}' if meal and meal_served else ''}"
            return f"The {what} {_on(when)} is {first}.{also} Which time works for you?"
        return f"{lead} I have {listed}. Which time works for you?"
    return (
        f"I'm sorry, {speak_time(asked)} is taken {_on(when)}. I have {listed}. "
        "Would one of those work?"
    )


def fully_booked(day: dt.date, next_days: Sequence[dt.date], today: dt.date) -> str:
    when = speak_date(day, today)
    if next_days:
        others = join_words([speak_date(d, today) for d in next_days], "or")
        return (
            f"I'm sorry, we're fully booked {_on(when)}. I do have room {_on(others)}. "
            "Would that work?"
        )
    return f"I'm sorry, we're fully booked {_on(when)}. Would another day work?"


def answer(question: str, kind: str, hits: Sequence[RagHit]) -> str | None:
    """One or two sentences answering from the retrieved documents, or None."""
    if not hits:
        return None
    lowered = question.lower()
    if kind == "menu" or hits[0].source == "menu":
        menu = [h for h in hits if h.source == "menu"]
        diet = next(
            (tag for tag, words in _DIETARY.items() if any(w in lowered for w in words)), None
        )
        if diet:
            tagged = [h for h in menu if diet in {t.lower() for t in h.tags}]
            if tagged:
                names = join_words([h.title for h in tagged[:4]])
                return f"Our {diet} dishes include {names}."
        priced = menu_with_prices(question, menu)
        if priced:
            return priced
        named = next((h for h in menu if h.title.lower() in lowered), None)
        if named is not None or (menu and len(menu) == 1):
            return first_sentences((named or menu[0]).text, 2)
        if menu:
            return f"We have {join_words([h.title for h in menu[:3]])}."
    return answer_sentences(question, hits[0].text)


def first_sentences(text: str, count: int) -> str:
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    return " ".join(sentences[:count])


def sentence_case(text: str) -> str:
    """The first letter capitalised, the rest as written ("Saturday, March 14th", not
    "Saturday, march 14th" as `str.capitalize` makes it)."""
    return text[:1].upper() + text[1:]


def _on(when: str) -> str:
    return when if when in ("today", "tomorrow") else f"on {when}"


def _at(minutes: int) -> dt.time:
    return dt.time((minutes // 60) % 24, minutes % 60)
