"""The caller's own words of frustration, scored per turn for the escalation meter.

Beyond anger words: giving up ("forget it", "never mind, I'll call back"), calling the service
no help ("this is useless", "you're no help"), and complaining of earlier failed calls ("I've
called three times already", "I got cut off last time"). A score of 3 or more in one turn
is frustration on its own; lower scores add up over the call.
"""

from __future__ import annotations

import re

__all__ = ["frustration_points"]


def frustration_points(text: str) -> int:
    """How strongly `text` shows frustration: 0 none, 2 a complaint, 3 giving up."""
    points = 0
    if _GIVING_UP_RE.search(text):
        points += 3
    if _NO_HELP_RE.search(text):
        points += 2
    if _PAST_FAILURE_RE.search(text):
        points += 2
    return points


_GIVING_UP_RE = re.compile(
    r"\b(?:forget\s+(?:it|about\s+it)|i\s+give\s+up|give\s+up|screw\s+(?:it|this)|"
    r"never\s*mind\W+(?:i'?ll|i\s+will)\s+(?:call|go|try)|i'?m\s+done|i\s+am\s+done|"
    r"this\s+is\s+(?:a\s+)?(?:joke|nonsense|hopeless|pointless|insane|unbelievable)|"
    r"i'?ll\s+(?:go|eat|book)\s+(?:somewhere|elsewhere)|(?:go|going)\s+(?:somewhere|elsewhere))\b",
    re.IGNORECASE,
)
_NO_HELP_RE = re.compile(
    r"\b(?:useless|no\s+help|not\s+(?:helping|helpful|any\s+help)|unhelpful|"
    r"(?:you|it|this)\s+(?:keeps?|kept)\s+(?:asking|getting|saying)|"
    r"(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+understand|"
    r"(?:stupid|dumb|terrible|awful|rubbish|garbage)\s+(?:machine|bot|robot|system|thing|service)|"
    r"(?:talking|speaking)\s+to\s+a\s+(?:machine|robot|bot|wall))\b",
    re.IGNORECASE,
)
# Earlier calls that failed: trying (or calling over and over), being cut off, no answer.
# "I called earlier and booked a table" is no complaint, so calling alone does not count.
_PAST_FAILURE_RE = re.compile(
    r"\b(?:(?:tried|been\s+trying|been\s+calling)\b[^.?!]{0,30}\b(?:twice|three\s+times|"
    r"several\s+times|many\s+times|already|before|again|all\s+day)\b|"
    r"(?:called|rang|phoned)\b[^.?!]{0,30}\b(?:twice|three\s+times|several\s+times|"
    r"many\s+times|all\s+day|so\s+many\s+times)\b|"
    r"got\s+cut\s+off|hung\s+up\s+on|(?:no\s+one|nobody)\s+(?:answered|picked\s+up)|"
    r"(?:third|second|fourth)\s+time\s+(?:i'?ve|i\s+have|calling|trying))",
    re.IGNORECASE,
)
