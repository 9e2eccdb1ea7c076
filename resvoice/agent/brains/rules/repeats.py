"""Never the same line twice in a row: a caller who did not get it gets it said another way.

When what the agent is about to say is word for word what it said last turn (the caller's
answer gave it nothing to use), the line goes out with an apology before it, or with a person
offered after it, in turn; so a caller stuck on one question always hears something new and,
from the second time, a way out. A "yes" to the offered person is a request for one
(`TRANSFER_OFFERED`, as for every transfer the agent offers).
"""

from __future__ import annotations

import re

from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED

__all__ = ["OFFER_A_PERSON", "vary_repeat"]

OFFER_A_PERSON = "If it's easier, I can put you through to a member of our team."
_SORRY = "Sorry, I didn't quite catch that."
_AGAIN = "Let me put that another way."
# a question a bare "yes" answers: an offered person after it would make "yes" ambiguous
_YES_NO = re.compile(
    r"(?:^|[.?!]\s+)(?:shall|should|would|do|does|is|are|can|could|may)\s+"
    r"(?:i|you|we|that|it|this|one)\b[^.?!]*\?\s*$",
    re.IGNORECASE,
)


def vary_repeat(sentences: list[str], last: str | None, state: dict[str, object]) -> list[str]:
    """`sentences`, changed when together they repeat `last` word for word."""
    said = _plain(" ".join(s for s in sentences if s))
    if not said or last is None or said != _plain(last):
        state["repeats"] = 0
        return sentences
    times = int(str(state.get("repeats", 0)))
    state["repeats"] = times + 1
    offer = OFFER_A_PERSON not in said and not _YES_NO.search(said)
    if times % 2 == 1 and offer:
        state[TRANSFER_OFFERED] = True
        return [*sentences, OFFER_A_PERSON]
    return [_AGAIN if said.startswith(("Sorry", "I'm sorry")) else _SORRY, *sentences]


def _plain(text: str) -> str:
    return " ".join(text.split())
