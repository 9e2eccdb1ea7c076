"""Whether a caller who gives booking details also asks something outright.

"That'd be me and my wife and our two kids, this coming Thursday, maybe around six?" ends in a
question mark, and names kids, but asks nothing about the restaurant: the question mark is a
tentative time. "... and do you have high chairs?" asks. Only a sentence that opens as a
question (or says "I was wondering") is one the host answers beside the booking.
"""

from __future__ import annotations

import re

__all__ = ["asks_outright", "later_questions"]


def asks_outright(text: str) -> bool:
    """True when a sentence or clause of `text` opens as a question."""
    return any(_OPENS.match(part) for part in _CLAUSES.split(text)) or bool(_WONDER.search(text))


def later_questions(text: str) -> list[str]:
    """The questions a turn asks after its first ("do you have vegetarian mains, and is there
    parking?" -> ["is there parking"]): each clause that opens as a question, but the first."""
    asked = [_JOINED.sub("", part).strip() for part in _CLAUSES.split(text) if _OPENS.match(part)]
    return asked[1:]


_JOINED = re.compile(r"^\W*(?:and|also|but|so|then)\s+", re.IGNORECASE)


_CLAUSES = re.compile(r"[.?!;,]+\s*|\s+(?:and|also|but|so|then)\s+", re.IGNORECASE)
_LEAD = r"(?:(?:oh|um+|uh+|well|also|and|so|hi|hello|hey|ok(?:ay)?|great|quick\s+question)\W+)*"
_OPENS = re.compile(
    rf"^\W*{_LEAD}(?:what|which|where|when|how|who|why|whats|wheres|hows|"
    r"do|does|did|can|could|is|are|was|were|will|would|may|might|should|shall|have|has|any|"
    r"got\s+any|tell\s+me)\b",
    re.IGNORECASE,
)
_WONDER = re.compile(
    r"\b(?:i\s+was\s+wondering|i\s+wonder|i'?d\s+like\s+to\s+know|let\s+me\s+know\s+if)\b", re.I
)


def asks_to_repeat(text: str) -> bool:
    """The caller asks to hear the agent's last words again ("Sorry, could you repeat that?",
    "Pardon?", "What was that?"), and says nothing else."""
    words = text.split()
    return bool(_BARE_PARDON.match(text) or (len(words) <= 10 and _REPEAT_ASKED.search(text)))


_BARE_PARDON = re.compile(
    r"^\W*(?:sorry|pardon(?:\s+me)?|excuse\s+me|huh|what|sorry,?\s+what)\W*\?\W*$", re.IGNORECASE
)
_REPEAT_ASKED = re.compile(
    r"\b(?:(?:could|can|would)\s+you\s+(?:please\s+)?(?:repeat|say)\s+(?:that|it|this|the\s+\w+)"
    r"(?:\s+again)?|repeat\s+(?:that|it|please)|say\s+(?:that|it)\s+again|come\s+again|"
    r"what\s+was\s+that|one\s+more\s+time|didn'?t\s+(?:quite\s+)?(?:catch|hear|get)\s+"
    r"(?:that|it|you|what\s+you\s+said))\b",
    re.IGNORECASE,
)
