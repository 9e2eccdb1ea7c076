"""A scripted caller who corrects a wrong read-back, as a person would.

A transcript says what its caller answers, written for an agent that heard every word. Through
the voice loop the agent may read back a name or number it misheard, or ask for one again; a
real caller then says "no" and gives it again, where the script says "yes" or moves on.
`CorrectingCaller` knows what the caller meant: a *shadow* text call (no recogniser) fed the
script's exact words, which never books, because the only line it is not given is the yes to
its own complete read-back.

After each scripted line the caller may repair what the agent got wrong (`repair`), before the
line's expectations are checked and the script goes on:
- the agent reads back the booking, the next scripted line agrees, and the voice call's notepad
  holds a different value than the shadow's: the caller corrects it instead, spelling a wrong
  surname ("No, the name is Maria Garcia, G, A, R, C, I, A.") or, beside a right surname, the
  first name ("No, my first name is Maria, M, A, R, I, A."), saying the number again in groups
  ("No, my number is 555-867-5309", spoken "5 5 5, 8 6 7, 5 3 0 9"), or repeating the party
  size, time or date;
- the agent says back a value it heard wrong as it takes it ("Thank you, Aussie.", "I have your
  number as 917-555-0190", "Great, at 5 PM."): the caller corrects it at once, as a person
  hearing their name wrong does, rather than waiting for the read-back;
- the agent asks again for a name, number, party size, day or time the caller already gave (it
  did not catch it): the caller says it again; asked outright to type a number it did not catch
  ("Could you type your number on the keypad?"), the caller keys it, as people do when asked.
A number given again is said as people do when they are not heard: repeated digits as "double"
and "triple" ("5 5 5, triple 2, double 3 double 4"), since Whisper tends to merge "two two two"
into fewer twos; a spelled surname says a doubled letter as "double" ("L, double E") for the
same reason.
At most `MAX_PER_DETAIL` corrections of one detail (a name misheard three times is let go, but
the caller still corrects the number the confirmation text goes to) and `max_corrections` a
call; then the script goes on as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass

from resvoice.agent.events import SessionEvent, TurnCompleted
from resvoice.agent.notepad import Notepad, speak_phone
from resvoice.agent.session import AgentSession
from resvoice.language.affirm import is_yes
from resvoice.language.phrases import speak_time

__all__ = ["CorrectingCaller", "Correction", "correction_line", "repeats_said", "said_back"]

MAX_CORRECTIONS = 6
"""Correction turns one call may take before the caller gives up and reads its script."""

MAX_PER_DETAIL = 3
"""Correction turns one detail (name, phone, party size, time, date) may take."""

_FIELDS = frozenset(("name", "phone", "party_size", "time", "date"))


@dataclass(frozen=True)
class Correction:
    """One correcting line the caller said (or keyed, `keyed`: `line` is the keys) instead of
    agreeing."""

    field: str
    line: str
    keyed: bool = False


class CorrectingCaller:
    """What the caller meant (the shadow call) and the correction a wrong read-back gets.

    Feed every scripted line to `said` (or `pressed`) as the voice call goes; after the agent
    answers it, ask `repair` whether the caller would say more before the script goes on."""

    def __init__(self, shadow: AgentSession, *, max_corrections: int = MAX_CORRECTIONS) -> None:
        self._shadow = shadow
        self._max = max_corrections
        self.made: list[Correction] = []
        self._asked = ""  # the shadow's last reply

    async def start(self) -> None:
        self._asked = await _reply(self._shadow.start())

    async def said(self, line: str) -> None:
        """The scripted line the caller just spoke (not a correction)."""
        if is_yes(line) and (
            self._shadow.state.notepad.is_complete() or _ASKS_TO_ACT.search(self._asked)
        ):
            # The shadow never agrees to its read-back, nor to "Shall I cancel it?": it shares
            # the call's database, so it never books, cancels or moves what the call is about.
            return
        self._asked = await _reply(self._shadow.turn(line))

    async def pressed(self, digits: str) -> None:
        self._asked = await _reply(self._shadow.dtmf(digits))

    @property
    def meant(self) -> Notepad:
        """The booking as the caller's exact words gave it."""
        return self._shadow.state.notepad

    def repair(self, heard: Notepad, reply: str, following: str | None) -> Correction | None:
        """What the caller says after the agent's `reply` (its notepad: `heard`) before the
        scripted line `following` (None: the script is over), or None to go on with it."""
        if len(self.made) >= self._max:
            return None
        spent = Counter(c.field for c in self.made)
        still = frozenset(f for f in _FIELDS if spent[f] < MAX_PER_DETAIL)
        found: Correction | None = None
        if heard.is_complete() and following is not None and is_yes(following):
            found = correction_line(self.meant, heard, still)
        elif (
            wrong := correction_line(self.meant, heard, said_back(reply, heard) & still)
        ) is not None:
            found = wrong
        elif heard.phone is None and self.meant.phone and _PHONE_ASKED.search(reply):
            found = Correction("phone", f"My number is {speak_phone(self.meant.phone)}.")
        if found is not None and found.field == "phone" and self.meant.phone:
            lead = "No, my number is" if found.line.startswith("No") else "My number is"
            found = Correction("phone", f"{lead} {repeats_said(self.meant.phone)}.")
            keys = _national(self.meant.phone)
            # a leading 0 keyed first asks for a person (`agent/keypad.py`): such a number is said
            if heard.phone is None and _KEYS_ASKED.search(reply) and not keys.startswith("0"):
                found = Correction("phone", f"{keys}#", keyed=True)
        elif heard.name is None and self.meant.name and _NAME_ASKED.search(reply):
            found = Correction("name", _name_line(self.meant.name, "", prefix="It's"))
        elif (again := _said_again(self.meant, heard, reply)) is not None:
            found = again
        if found is None or found.field not in still:
            return None
        self.made.append(found)
        return found


def correction_line(
    meant: Notepad, heard: Notepad, fields: Collection[str] = _FIELDS
) -> Correction | None:
    """How a caller corrects the first of `fields` the agent holds wrong (name, phone, party
    size, time, date), or None when every one the caller gave was heard right."""
    if "name" in fields and meant.name and heard.name and _words(meant.name) != _words(heard.name):
        return Correction("name", _name_line(meant.name, heard.name, prefix="No, the name is"))
    if (
        "phone" in fields
        and meant.phone
        and heard.phone
        and _digits(meant.phone) != _digits(heard.phone)
    ):
        return Correction("phone", f"No, my number is {speak_phone(meant.phone)}.")
    if (
        "party_size" in fields
        and meant.party_size
        and heard.party_size
        and meant.party_size != heard.party_size
    ):
        return Correction("party_size", f"No, it's for {meant.party_size} people.")
    if "time" in fields and meant.time and heard.time and meant.time != heard.time:
        return Correction("time", f"No, at {speak_time(meant.time)}.")
    if "date" in fields and meant.date and heard.date and meant.date != heard.date:
        return Correction("date", f"No, the date is {_date(meant.date)}.")
    return None


def said_back(reply: str, heard: Notepad) -> frozenset[str]:
    """The fields whose heard value the agent's `reply` says back to the caller ("Thank you,
    Aussie.", "I have your number as 917-555-0190", "a table for 4", "at 5 PM", "Friday"): the
    values a caller hears and can correct on the spot. A time counts only after "at": "we seat
    guests from 5 PM" states the hours, it does not say back the caller's time."""
    text = reply.lower()
    fields: set[str] = set()
    if heard.name and re.search(rf"\b{re.escape(heard.name.lower())}\b", text):
        fields.add("name")
    if heard.phone and speak_phone(heard.phone) in reply:
        fields.add("phone")
    if heard.party_size and re.search(rf"\bfor {heard.party_size}\b", text):
        fields.add("party_size")
    if heard.time and re.search(rf"\bat {re.escape(speak_time(heard.time).lower())}", text):
        fields.add("time")
    if heard.date and re.search(
        rf"\b{heard.date:%B} {heard.date.day}(?!\d)|\btomorrow\b", text, re.I
    ):
        fields.add("date")
    return frozenset(fields)


def _said_again(meant: Notepad, heard: Notepad, reply: str) -> Correction | None:
    """The party size, day or time the agent asks for although the caller gave it (it did
    not catch it), said again."""
    if heard.party_size is None and meant.party_size and _COUNT_ASKED.search(reply):
        return Correction("party_size", f"For {meant.party_size} people.")
    if heard.date is None and meant.date and _DAY_ASKED.search(reply):
        return Correction("date", f"On {_date(meant.date)}.")
    if heard.time is None and meant.time and _TIME_ASKED.search(reply):
        return Correction("time", f"At {speak_time(meant.time)}.")
    return None


def repeats_said(phone: str) -> str:
    """A number in its groups with repeated digits as "double"/"triple" ("+15552223344" ->
    "5 5 5, triple 2, double 3 double 4")."""
    groups = speak_phone(phone).replace("-", " ").split()
    return ", ".join(" ".join(_runs(group)) for group in groups)


def _runs(group: str) -> list[str]:
    said: list[str] = []
    for digit, run in ((m.group(0)[0], len(m.group(0))) for m in re.finditer(r"(\d)\1*", group)):
        while run:
            take = 3 if run == 3 else min(run, 2)
            said.append({1: digit, 2: f"double {digit}", 3: f"triple {digit}"}[take])
            run -= take
    return said


def _name_line(meant: str, heard: str, *, prefix: str) -> str:
    """The name with its surname spelled; a wrong first name beside a right surname is spelled
    as the first name ("No, my first name is Priya, P, R, I, Y, A."), as a person does."""
    words, heard_words = meant.split(), _words(heard)
    if len(words) > 1 and len(heard_words) > 1 and words[-1].lower() == heard_words[-1]:
        letters = ", ".join(_letter_runs(words[0]))
        lead = "No, my" if prefix.startswith("No") else "My"
        return f"{lead} first name is {words[0]}, {letters}."
    letters = ", ".join(_letter_runs(words[-1]))
    return f"{prefix} {meant}, {letters}."


def _letter_runs(word: str) -> list[str]:
    """A word spelled as people spell it, a doubled letter as "double": "Lee" -> L, double E."""
    runs = re.finditer(r"([a-z])\1*", "".join(ch for ch in word.lower() if ch.isalpha()))
    said: list[str] = []
    for m in runs:
        letter, run = m.group(1).upper(), len(m.group(0))
        said += [f"double {letter}"] * (run // 2) + [letter] * (run % 2)
    return said


_ASKS_TO_ACT = re.compile(
    r"\b(?:shall|should|may|can)\s+i\s+(?:go\s+ahead|cancel|move|change|book|make|add|update)"
    r"|\bdo\s+you\s+want\s+me\s+to\b|\bgo\s+ahead\s+with\b[^?]*\?|\bis\s+that\s+right\?",
    re.IGNORECASE,
)
# asked for the number, or to go on with one heard in part ("Go on: 5 5 5...")
_PHONE_ASKED = re.compile(r"\b(?:number|digits?)\b.*\?|\bgo on:", re.IGNORECASE)
# asked outright to type the number ("Could you type your number on the keypad?"), not only
# offered the keypad beside the spoken answer ("You can also type it on the keypad")
_KEYS_ASKED = re.compile(r"\b(?:could|can|would)\s+you\s+(?:please\s+)?type\b", re.IGNORECASE)
_NAME_ASKED = re.compile(r"\b(?:name|spell)\b.*\?", re.IGNORECASE)
_COUNT_ASKED = re.compile(r"\bhow many\b.*\?", re.IGNORECASE)
_DAY_ASKED = re.compile(r"\b(?:what|which|another) (?:day|date)\b.*\?", re.IGNORECASE)
# "What time?", "Which time works for you?", "Which would you prefer: 6:30 PM or 7 PM?", "Did
# you mean 7 PM?": each asks for the time the caller gave and the agent did not catch
_TIME_ASKED = re.compile(
    r"\b(?:what|which) time\b.*\?|\bday and time\b.*\?|\bwhich would you prefer\b.*\?"
    r"|\bdid you mean\b[^?]*\b[ap]m\?",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", "", text).lower().split()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _national(phone: str) -> str:
    """The digits a caller keys for their own number: as they say it, no country code."""
    return _digits(speak_phone(phone))


def _date(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


async def _reply(events: AsyncIterator[SessionEvent]) -> str:
    """Run one shadow turn; its reply."""
    reply = ""
    async for event in events:
        if isinstance(event, TurnCompleted):
            reply = event.reply
    return reply
