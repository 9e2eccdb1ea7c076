"""Needs a caller mentions (an allergy, a wheelchair, a high chair, a birthday): a question
about one is answered, and the need is noted only on a booking.

"Is the place wheelchair accessible?" asked before any booking is a question: the agent answers
it and does not start a booking. A receptionist still remembers it, so the need is held for
the call and goes on the booking's note if the caller books later ("with a note: wheelchair
access"). Said while booking, or with the booking in the same breath, it is noted at once, and
it joins what is already noted rather than replacing it.

A day or time said in a question about the restaurant ("can I order takeaway for tonight?")
does not start a booking either; it too is held for a booking that follows (`question_only`).

Not every request is a need of the guest's: "do you have outdoor seating?" or "is the burrata
vegetarian?" ask about the restaurant, so seating and diet words are held only when the caller
says them of someone ("I'm vegetarian", "my wife uses a wheelchair").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from resvoice.language.slots import special_requests

__all__ = ["HELD", "HELD_WHEN", "question_only", "settle"]

HELD = "held_requests"  # the brain-state key of needs said before any booking
HELD_WHEN = "held_when"  # the day and time said in a question before any booking

_DIET = frozenset(
    [
        "vegetarian",
        "vegan",
        "pescatarian",
        "halal",
        "kosher",
        "keto",
        "gluten-free",
        "gluten",
        "free",
        "dairy-free",
        "dairy",
        "free",
        "nut-free",
        "nut",
        "free",
    ]
)
_PERSON = re.compile(
    r"\b(?:i'?m|i\s+am|we'?re|we\s+are|i\s+(?:have|need|use|can'?t)|we\s+(?:have|need)"
    r"|(?:he|she|they)(?:'s|'re|\s+is|\s+are|\s+has|\s+have|\s+uses|\s+needs)"
    r"|(?:my|our)\s+(?:\w+\s+){1,2}(?:is|are|has|have|uses|use|needs|need|can'?t))\b",
    re.IGNORECASE,
)


def settle(
    update: dict[str, Any],
    text: str,
    state: dict[str, object],
    *,
    booking: bool,
    noted: str | None,
    about_a_dish: bool = False,
) -> None:
    """Decide, in `update`, what this turn notes: when `booking`, the needs said now, those
    held from earlier and those already `noted` together; otherwise nothing, and the needs
    said are held in `state` for a later booking."""
    said = list(special_requests(text)) if update.get("special_requests") else []
    if about_a_dish:  # "is the burrata vegetarian?" describes the dish, not the guest
        said = [r for r in said if r.lower() not in _DIET]
    held = [str(r) for r in state.get(HELD, [])]  # type: ignore[attr-defined]
    if not booking:
        update.pop("special_requests", None)
        kept = [r for r in said if _a_need(r, text)]
        if kept:
            state[HELD] = list(dict.fromkeys([*held, *kept]))
        return
    state.pop(HELD, None)
    if not said and not held:
        update.pop("special_requests", None)
        return
    before = [r.strip() for r in (noted or "").split(",") if r.strip()]
    merged = list(dict.fromkeys([*before, *held, *said]))
    if merged != before:
        update["special_requests"] = ", ".join(merged)
    else:
        update.pop("special_requests", None)


def question_only(
    update: dict[str, Any], state: dict[str, object], *, booking: bool, question: bool
) -> None:
    """A question asked outside any booking keeps its day and time off the notepad ("can I
    order takeaway for tonight?") and held in `state`; they come back when the caller books
    without saying another. A head count, a name or a number say the caller is booking."""
    held = dict(state.pop(HELD_WHEN, {}))  # type: ignore[call-overload]
    if booking or set(update) & {"party_size", "name", "phone"}:
        for field, value in held.items():
            if field not in update and field in ("date", "time"):
                parse = dt.date.fromisoformat if field == "date" else dt.time.fromisoformat
                update[field] = parse(str(value))
        return
    if question and set(update) & {"date", "time"}:
        held = {f: update.pop(f).isoformat() for f in ("date", "time") if f in update}
    if held:
        state[HELD_WHEN] = held


def _a_need(request: str, text: str) -> bool:
    """True for a need of the guest's; seating and diet words only when said of someone."""
    low = request.lower()
    preference = low in _DIET or "seat" in low or low in ("quiet table", "private room")
    return not preference or _PERSON.search(text) is not None
