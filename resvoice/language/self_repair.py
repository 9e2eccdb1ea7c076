"""A caller correcting themselves in the same breath: "eight, no sorry, eight thirty",
"Friday, I mean Saturday", "six people, sorry no, five".

`after_self_repair` gives what follows the last such correction, where the value the caller
settled on is; readers of times, dates and head counts prefer a value found there.
"""

from __future__ import annotations

import re

__all__ = ["after_retraction", "after_self_repair"]


def after_self_repair(text: str) -> str:
    """What follows the last self-repair said mid-sentence, or "" when there is none."""
    cues = list(_SELF_REPAIR_RE.finditer(text))
    return text[cues[-1].end() :] if cues else ""


def after_retraction(text: str) -> str:
    """What follows the last correction that takes back what came before ("cancel Friday.
    Actually no, move it", "Friday, I mean Saturday"), or "": an apology alone ("..., sorry,
    and one of us can't come") takes nothing back."""
    cues = [c for c in _SELF_REPAIR_RE.finditer(text) if _RETRACTS.search(c.group(0))]
    return text[cues[-1].end() :] if cues else ""


_RETRACTS = re.compile(
    r"\b(?:no|nope|i\s+mean|i\s+meant|or\s+rather|scratch\s+that|actually)\b", re.I
)
_CUE = (
    r"(?:(?:no|nope)(?=\s*[,.!-]|\s+(?:sorry|wait|i\s+mean))|sorry|oops|wait|i\s+mean|i\s+meant|"
    r"or\s+rather|scratch\s+that|actually(?:\s+make\s+(?:it|that))?|make\s+(?:it|that))"
)
# punctuation, then one or more cues ("sorry no", "no wait, I mean"), after an optional "oh"
_SELF_REPAIR_RE = re.compile(
    rf"[,;.!?-]\s*(?:(?:oh|um|uh|er)\W+)?{_CUE}(?:[\s,.!-]+{_CUE})*\b", re.IGNORECASE
)
