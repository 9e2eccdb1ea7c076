"""What the caller's next turn answers, from the agent's last reply: the recogniser's hint.

The rules brain records the fields it just asked for (`brain_state["expecting"]`); any brain's
reply also says it in words ("what's the best phone number", "could you spell it?"). Both are
read here into a `Listening` hint, with the names the call holds, for `CallerAudio.listen_for`.
"""

from __future__ import annotations

import re

from resvoice.agent.state import CallState
from resvoice.voice.stt.hints import Expected, Listening

__all__ = ["listening_after"]


def listening_after(state: CallState, reply: str, *, number_digits: int = 10) -> Listening:
    """The hint for the caller's answer to `reply`, the agent's last words in this call;
    `number_digits` is a whole phone number's length where the restaurant is."""
    raw = state.brain_state.get("expecting")
    asked = {str(field) for field in raw} if isinstance(raw, list) else set()
    question = _last_question(reply)
    expect: Expected = "anything"
    if "phone" in asked or _PHONE_RE.search(question):
        expect = "phone"
    elif "name" in asked or _NAME_RE.search(question):
        expect = "name"
    elif "party_size" in asked or _COUNT_RE.search(question):
        expect = "count"
    elif asked & {"date", "time"} or _WHEN_RE.search(question):
        expect = "date_time"
    elif question:
        expect = "yes_no" if _YES_NO_RE.match(question) else "anything"
    names = (state.notepad.name,) if state.notepad.name else ()
    return Listening(expect=expect, names=names, number_digits=number_digits)


def _last_question(reply: str) -> str:
    questions = [s for s in re.split(r"(?<=[.?!])\s+", reply.strip()) if s.endswith("?")]
    return questions[-1] if questions else ""


_PHONE_RE = re.compile(r"\b(?:phone|number|digits?)\b", re.IGNORECASE)
_NAME_RE = re.compile(r"\b(?:name|spell)\b", re.IGNORECASE)
_COUNT_RE = re.compile(r"\bhow many\b|\bparty\b|\bguests\b", re.IGNORECASE)
_WHEN_RE = re.compile(r"\bwhat (?:day|date|time)\b|\bwhen\b|\bwhich time\b", re.IGNORECASE)
_YES_NO_RE = re.compile(
    r"^(?:shall|should|is|are|do|does|did|can|could|would|will|may)\b", re.IGNORECASE
)
