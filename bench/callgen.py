"""Whole booking calls with known answers, combined from the forms each slot is said in.

A call picks one form per slot (name cue x date form x time form x party form x phone form),
fillers before some turns, a way of saying yes, and sometimes a correction at the read-back,
then writes the caller's side of the call in the replay contract's shape with the values the
notepad must end with. `build_call(choose)` takes the chooser: `random.Random(seed).choice`
for the bench corpus (`bench.generated_calls`), a hypothesis `draw(sampled_from(...))` for the
property tests, so both explore the same space.

Every call is bookable at the demo restaurant (Olive & Ember: Tuesday to Sunday, seatings
17:00-21:30 every 30 minutes, parties up to 6 here) and pins `today` to its own day, years
apart, so 2,000 calls replayed against one database never compete for a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import phonenumbers

__all__ = ["Call", "build_call", "call_document"]

T = TypeVar("T")
Choose = Callable[[Sequence[Any]], Any]


@dataclass
class Call:
    """One generated call: the caller's turns, the notepad it must end with, and its kinds
    (the form chosen for each slot, for reporting pass shares by kind)."""

    name: str
    today: dt.date
    turns: list[str]
    expected: dict[str, Any]
    kinds: dict[str, str]
    caller: str | None = None
    turn_expect: dict[int, dict[str, Any]] = field(default_factory=dict)


def build_call(choose: Choose, index: int = 0) -> Call:
    """One call; `choose(options)` picks every form and value, `index` spaces `today` out."""
    party, party_form, party_text = _party(choose)
    day, today, date_form, date_text = _date(choose, index)
    at, time_form, time_text = _time(choose)
    first, last = choose(_FIRST), choose(_LAST)
    name_form = choose(list(_NAME_FORMS))
    name_text, name_value = _NAME_FORMS[name_form](first, last)
    number = _phone_number(choose)
    phone_form = choose(list(_PHONE_FORMS))
    caller: str | None = None
    if phone_form == "caller id":
        caller = number
        phone_text = choose(_CALLER_ID_YES)
    else:
        phone_text = _PHONE_FORMS[phone_form](number[2:], choose)
    opening = choose(_OPENINGS)
    flow = choose(["all at once", "details then name", "step by step"])
    details = [party_text, date_text, time_text]
    turns: list[str] = []
    if flow == "all at once":
        turns.append(f"{opening} {choose(_BOOK)}, {', '.join(details)}.")
    elif flow == "details then name":
        turns.append(f"{opening} {choose(_BOOK)}, {party_text}.")
        turns.append(_filled(choose, f"{date_text}, {time_text}."))
    else:
        turns.append(f"{opening} {choose(_BOOK)}.")
        turns.append(_filled(choose, f"{party_text}, {date_text}."))
        turns.append(_filled(choose, f"{time_text}."))
    turns.append(_filled(choose, name_text))
    turns.append(phone_text)
    expected: dict[str, Any] = {
        "name": name_value,
        "phone": number,
        "party_size": party,
        "date": day.isoformat(),
        "time": at.strftime("%H:%M"),
    }
    correction = choose(list(_CORRECTIONS))
    if correction != "none":
        text, changes = _CORRECTIONS[correction](expected, choose)
        turns.append(text)
        expected.update(changes)
    turns.append(choose(_YES))
    kinds = {
        "flow": flow,
        "name": name_form,
        "date": date_form,
        "time": time_form,
        "party": party_form,
        "phone": phone_form,
        "correction": correction,
    }
    title = f"generated {index}: " + ", ".join(f"{k} {v}" for k, v in kinds.items())
    return Call(title, today, turns, expected, kinds, caller)


def _filled(choose: Choose, text: str) -> str:
    """`text` after a filler ("Um, ", "Wait, sorry, "), its first word lower-cased unless a name."""
    filler = str(choose(_FILLERS))
    text = text.replace("..", ".")
    if filler and text.split(" ", 1)[0] in _SENTENCE_WORDS:
        text = text[0].lower() + text[1:]
    return filler + text


_SENTENCE_WORDS = frozenset(("My", "It's", "Name's", "The", "Put", "Under"))


def call_document(call: Call) -> dict[str, Any]:
    """The call as a replay transcript (the shared contract's keys only)."""
    document: dict[str, Any] = {
        "name": call.name,
        "today": f"{call.today.isoformat()}T12:00",
        "turns": [{"user": text} for text in call.turns],
        "expect": {"notepad": call.expected, "reservation": "booked", "escalated": False},
    }
    if call.caller:
        document["caller"] = call.caller
    return document


# --- party ------------------------------------------------------------------------------------

_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six"]


def _party(choose: Choose) -> tuple[int, str, str]:
    form = choose(["for n", "party of n", "n people", "table for word", "n of us", "companion"])
    if form == "companion":
        return 2, form, choose(["for me and my wife", "for my husband and me", "for a couple"])
    n = int(choose([1, 2, 2, 3, 4, 4, 5, 6]))
    word = _NUMBER_WORDS[n]
    text = {
        "for n": f"for {n}",
        "party of n": f"party of {choose([str(n), word])}",
        "n people": f"{choose([str(n), word])} {'person' if n == 1 else 'people'}",
        "table for word": f"a table for {word}",
        "n of us": f"there'll be {word} of us" if n > 1 else "just for me",
    }[form]
    return n, form, text


# --- date -------------------------------------------------------------------------------------

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "Valentine's Day": lambda y: dt.date(y, 2, 14),
    "New Year's Eve": lambda y: dt.date(y, 12, 31),
    "Christmas Eve": lambda y: dt.date(y, 12, 24),
    "Halloween": lambda y: dt.date(y, 10, 31),
    "St. Patrick's Day": lambda y: dt.date(y, 3, 17),
    "Mother's Day": lambda y: _nth_sunday(y, 5, 2),
    "Father's Day": lambda y: _nth_sunday(y, 6, 3),
    "Thanksgiving": lambda y: _thanksgiving(y),
}


def _date(choose: Choose, index: int) -> tuple[dt.date, dt.date, str, str]:
    base = dt.date(2030, 1, 1) + dt.timedelta(days=9 * index)
    form = choose(
        ["weekday", "next weekday", "month day", "day of month", "slash", "tomorrow",
         "week from", "holiday", "the ordinal"]
    )  # fmt: skip
    if form == "holiday":
        name = choose(list(_HOLIDAYS))
        names = list(_HOLIDAYS)
        names = names[names.index(name) :] + names[: names.index(name)]
        # a year of its own (no two calls share a day), on a day the restaurant opens
        name = next(n for n in names if _HOLIDAYS[n](2031 + index).weekday() != 0)
        day = _HOLIDAYS[name](2031 + index)
        today = day - dt.timedelta(days=int(choose([3, 10, 20])))
        return day, today, form, f"on {name}"
    today = base
    if form == "tomorrow":
        if (today + dt.timedelta(days=1)).weekday() == 0:
            today += dt.timedelta(days=1)
        day = today + dt.timedelta(days=1)
        return day, today, form, "tomorrow"
    weekday = int(choose([1, 2, 3, 4, 5, 6]))
    if form == "weekday":
        day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)  # today included
        # today's weekday said alone could be today or a week on (the agent asks): "this"
        return day, today, form, f"{'this' if day == today else 'on'} {_WEEKDAYS[weekday]}"
    if form == "next weekday":
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
        day = monday + dt.timedelta(days=weekday)
        return day, today, form, f"next {_WEEKDAYS[weekday]}"
    if form == "week from":
        day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7)
        return day, today, form, f"a week from {_WEEKDAYS[weekday]}"
    day = today + dt.timedelta(days=int(choose([3, 5, 8, 12, 19, 26])))
    if day.weekday() == 0:
        day += dt.timedelta(days=1)
    month, nth = day.strftime("%B"), _ordinal(day.day)
    if form == "the ordinal":
        if day.month != today.month:
            return day, today, "month day", f"on {month} {nth}"
        return day, today, form, f"on the {nth}"
    text = {
        "month day": f"on {month} {nth}",
        "day of month": f"on the {nth} of {month}",
        "slash": f"on {day.month}/{day.day}",
    }[form]
    return day, today, form, text


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def _thanksgiving(year: int) -> dt.date:
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- time -------------------------------------------------------------------------------------

_HOUR_WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _time(choose: Choose) -> tuple[dt.time, str, str]:
    hour = int(choose([5, 6, 7, 8, 9]))
    half = (bool(choose([False, True])) and hour < 9) or hour == 5
    at = dt.time(hour + 12, 30 if half else 0)
    word = _HOUR_WORDS[hour]
    if half:
        form = choose(["digits", "words", "half past", "british half", "pm words"])
        text = {
            "digits": f"at {hour}:30",
            "words": f"at {word} thirty",
            "half past": f"at half past {word}",
            "british half": f"at half {word}",
            "pm words": f"at {word} thirty p.m.",
        }[form]
    else:
        form = choose(["pm", "o'clock", "ish", "evening", "around"])
        text = {
            "pm": f"at {hour}pm",
            "o'clock": f"at {word} o'clock",
            "ish": f"{word}ish",
            "evening": f"at {hour} in the evening",
            "around": f"around {word}",
        }[form]
    return at, form, text


# --- name -------------------------------------------------------------------------------------

_FIRST = ["Priya", "Marcus", "Jane", "Olu", "Greta", "Harriet", "Tomasz", "Mei", "Diego",
          "Aisha", "Liam", "Sofia", "Kenji", "Fatima", "Noah", "Ingrid", "Rahul"]  # fmt: skip
_LAST = ["Raman", "Bell", "Doe", "Adeyemi", "Lindqvist", "Vance", "Kowalski", "Chen", "Soto",
         "Okafor", "Grant", "Moretti", "Nakamura", "Haddad", "Young", "Fletcher", "Baker",
         "Szymanski", "O'Brien", "Nguyen"]  # fmt: skip
_NAME_FORMS: dict[str, Callable[[str, str], tuple[str, str]]] = {
    "my name is": lambda f, s: (f"My name is {f} {s}.", f"{f} {s}"),
    "name's": lambda f, s: (f"Name's {f} {s}.", f"{f} {s}"),
    "it's for": lambda f, s: (f"It's for {f} {s}.", f"{f} {s}"),
    "reservation for": lambda f, s: (f"The reservation's for {f} {s}.", f"{f} {s}"),
    "put it down as": lambda f, s: (f"Put it down as {f} {s}, please.", f"{f} {s}"),
    "under kin's name": lambda f, s: (f"Put it under my husband's name, {f} {s}.", f"{f} {s}"),
    "under": lambda f, s: (f"Under {s}.", s),
    "bare": lambda f, s: (f"{f} {s}", f"{f} {s}"),
    "it's": lambda f, s: (f"It's {f} {s}.", f"{f} {s}"),
    "spelled surname": lambda f, s: (
        f"{s}, that's {' '.join(c for c in s.upper() if c.isalpha())}.",
        s,
    ),
}

# --- phone ------------------------------------------------------------------------------------

_AREAS = ["212", "646", "917", "718", "415", "503", "312", "617", "202", "305", "206", "713"]
_DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _phone_number(choose: Choose) -> str:
    """A valid US number (`phonenumbers.is_valid_number`), E.164."""
    for _ in range(50):
        exchange = str(choose(list(range(201, 999))))
        line = "".join(str(choose(list(range(10)))) for _ in range(4))
        number = f"+1{choose(_AREAS)}{exchange}{line}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number
    return "+12125550147"


def _spoken(digits: str, choose: Choose) -> str:
    """Digit by digit, with "oh" for some zeros and "double"/"triple" for repeats."""
    out: list[str] = []
    i = 0
    while i < len(digits):
        run = len(digits[i:]) - len(digits[i:].lstrip(digits[i]))
        word = _DIGIT_NAMES[int(digits[i])]
        if digits[i] == "0":
            word = choose(["zero", "oh"])
        if run >= 3 and choose([True, False]):
            out.append(f"triple {word}")
            i += 3
        elif run >= 2 and choose([True, False]):
            out.append(f"double {word}")
            i += 2
        else:
            out.append(word)
            i += 1
    return " ".join(out)


def _groups(national: str) -> tuple[str, str, str]:
    return national[:3], national[3:6], national[6:]


_PHONE_FORMS: dict[str, Callable[[str, Choose], str]] = {
    "grouped digits": lambda n, c: "My number is {} {} {}.".format(*_groups(n)),
    "dashed": lambda n, c: "It's {}-{}-{}.".format(*_groups(n)),
    "spoken digits": lambda n, c: ", ".join(_spoken(g, c) for g in _groups(n)),
    "area code first": lambda n, c: "Area code {}, and then {} {}.".format(*_groups(n)),
    "groups apart": lambda n, c: "{}, then {}, then {}.".format(*_groups(n)),
    "caller id": lambda n, c: "",
}
_CALLER_ID_YES = [
    "The number I'm calling from is fine.",
    "Yes, this number is fine.",
    "Yeah, use this one.",
    "The number I'm calling on is fine.",
    "Yes, that's the best one.",
]

# --- fillers, yes, corrections ----------------------------------------------------------------

_OPENINGS = ["Hi,", "Hello,", "Hiya,", "Hey there,", "Good evening,", "Um, hi,", "Yeah hi,"]
_BOOK = [
    "I'd like to book",
    "can I book",
    "I want to make a reservation",
    "could we book",
    "I'm looking to reserve",
]
_FILLERS = ["", "", "Um, ", "Okay, ", "Ah, okay, ", "So, ", "Yeah, ", "Wait, sorry, ", "Sure, "]
_YES = [
    "Yes",
    "Yes please",
    "Go ahead",
    "That's the one",
    "Sounds good",
    "Perfect, thanks",
    "Yep, book it",
    "Lovely, yes",
    "That's right",
]


def _correct_party(expected: dict[str, Any], choose: Choose) -> tuple[str, dict[str, Any]]:
    n = int(expected["party_size"])
    new = n + 1 if n < 6 else n - 1
    return choose([f"Actually, make it {new} people.", f"Sorry, we're {new} people."]), {
        "party_size": new
    }


def _correct_time(expected: dict[str, Any], choose: Choose) -> tuple[str, dict[str, Any]]:
    hour = int(expected["time"][:2])
    new = 19 if hour != 19 else 20
    return choose([f"No, change the time to {new - 12}pm.", f"Actually, {new - 12} pm."]), {
        "time": f"{new}:00"
    }


def _correct_tail(expected: dict[str, Any], choose: Choose) -> tuple[str, dict[str, Any]]:
    phone = str(expected["phone"])
    tail = phone[-4:]
    new = tail[::-1] if tail[::-1] != tail else str((int(tail) + 1) % 10000).zfill(4)
    fixed = phone[:-4] + new
    if not phonenumbers.is_valid_number(phonenumbers.parse(fixed)):
        return "Yes", {}
    return choose([f"No, the last four are {new}.", f"The number ends in {new}, not {tail}."]), {
        "phone": fixed
    }


_CORRECTIONS: dict[str, Callable[[dict[str, Any], Choose], tuple[str, dict[str, Any]]]] = {
    "none": lambda e, c: ("", {}),
    "party": _correct_party,
    "time": _correct_time,
    "last four": _correct_tail,
}
