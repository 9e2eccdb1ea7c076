"""A phone number given in parts over more than one turn ("It's 646..." - "555 0142").

A caller cut off while giving a number (a pause the recogniser took for the end of the turn,
or "let me check... 646") has said its first digits only. They are kept, the caller hears
them back with "go on", and the next digits said are joined to them when together they make
a whole number. A whole number said at once never goes this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resvoice.agent.notepad import normalise_phone
from resvoice.language.numbers import words_to_digits
from resvoice.language.phones import extract_phone

__all__ = ["NumberParts", "number_in_parts"]

_STARTED = "phone_started"
_MOST_STARTED = 6
"""At most this many digits said alone start a number (an area code, a first group or two);
seven or more alone are a number of their own, whole or not."""


@dataclass(frozen=True, slots=True)
class NumberParts:
    """`phone`: the whole number the parts make (None: not yet); `go_on`: what the agent says
    to hear the rest ("Go on: 6 4 6..."), None when no part is waiting."""

    phone: str | None = None
    go_on: str | None = None


def number_in_parts(
    text: str, state: dict[str, object], region: str, *, asked_number: bool
) -> NumberParts:
    """Join this turn's digits to the part of a number said before, or keep them as one.

    Args:
        text: the caller's words.
        state: the brain's per-call state (the part said so far is kept in it).
        region: where a number without a country code is from.
        asked_number: the agent's last question asked for a phone number.
    """
    started = state.pop(_STARTED, None)
    if started is None and not asked_number:
        return NumberParts()  # no part waiting, no number asked for: nothing to read
    said = extract_phone(text, region)  # "oh" and "double" read as a number's digits
    digits = said.digits if said is not None else "".join(re.findall(r"\d", words_to_digits(text)))
    if isinstance(started, str) and digits:
        whole = normalise_phone(started + digits, region)
        if whole is not None:
            return NumberParts(phone=whole)
    if not asked_number or not 3 <= len(digits) <= _MOST_STARTED:
        return NumberParts()
    state[_STARTED] = digits
    return NumberParts(go_on=f"Go on: {' '.join(digits)}...")
