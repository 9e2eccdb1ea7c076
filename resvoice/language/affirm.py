"""Yes without the word: answers that agree, read in the light of what the agent just asked.

"go ahead", "that's the one", "lovely, yes", "sounds great" agree with a read-back, and so
does "Connect." alone (Whisper's "Correct."); "the number
I'm calling on is fine", "use this number" accept the caller-ID number the agent offered.
A turn that also says no, or asks for a change, is never a yes.
"""

from __future__ import annotations

import re

__all__ = ["accepts_caller_id", "is_yes"]


def is_yes(text: str) -> bool:
    """True when `text` agrees (to a read-back or a yes/no question) without saying no."""
    if _NO_RE.search(text) or _CHANGE_RE.search(text):
        return False
    return _YES_RE.search(text) is not None or _MISHEARD_YES_RE.fullmatch(text) is not None


def accepts_caller_id(text: str) -> bool:
    """True when `text` accepts the number the caller is calling from as the contact number."""
    m = _CALLER_ID_RE.search(text)
    if m is None:
        return is_yes(text)
    return _NEGATED_BEFORE_RE.search(text[: m.start()]) is None


_YES_RE = re.compile(
    r"\b(?:yes|yeah|yep|yup|(?<!see\s)ya|yea|sure|certainly|absolutely|definitely|correct|exactly|"
    r"right|perfect|great|lovely|brilliant|fantastic|wonderful|excellent|cool|fine|ok|okay|"
    r"alright|all\s+right|sounds\s+(?:good|great|perfect|fine|lovely|right)|"
    r"go\s+(?:ahead|for\s+it)|please\s+do|do\s+it|book\s+it|let'?s\s+do\s+(?:it|that)|"
    r"that'?s\s+(?:the\s+one|it|right|correct|fine|perfect|great|good)|that\s+one|"
    r"that\s+works|works\s+for\s+(?:me|us)|fine\s+by\s+(?:me|us)|uh[- ]huh|mm[- ]hmm|"
    r"confirm(?:ed)?|spot\s+on|you\s+got\s+it|good\s+to\s+go|all\s+good)\b",
    re.IGNORECASE,
)
# a whole answer Whisper wrote for a short yes: "Correct." heard "Connect."
_MISHEARD_YES_RE = re.compile(r"\W*(?:connect|collect|corrects?)\W*", re.IGNORECASE)
_NO_RE = re.compile(
    r"\b(?:no|nope|nah|not|don'?t|isn'?t|wrong|incorrect|wait|hold\s+on|actually)\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE_RE = re.compile(r"\b(?:no|not|don'?t|never)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_CHANGE_RE = re.compile(r"\b(?:change|instead|rather|different|another|other)\b", re.IGNORECASE)
_CALLER_ID_RE = re.compile(
    r"\b(?:(?:the\s+)?(?:number|one|phone|line)\s+(?:i'?m|i\s+am|we'?re|you'?re)\s+"
    r"(?:calling|ringing|phoning)\s+(?:from|on|with)|this\s+(?:number|phone|line|one)|"
    r"(?:the\s+)?same\s+(?:number|one)|my\s+(?:caller\s+id|current\s+number)|"
    r"(?:use|take)\s+(?:this|that|the\s+one|my\s+number|it))\b"
    r"(?!\s+(?:is\s+)?(?:not|isn'?t|wrong))",
    re.IGNORECASE,
)
