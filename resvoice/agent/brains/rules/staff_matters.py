"""Calls a receptionist passes to the team: a complaint, something left behind, a job, a bill.

The agent cannot settle these, so it says so kindly and offers to put the caller through; a
"yes" to that offer (or to the offer after a question it could not answer) is a transfer the
caller asked for.
"""

from __future__ import annotations

import re

__all__ = ["TRANSFER_OFFERED", "transfer_offer"]

TRANSFER_OFFERED = "transfer_offered"  # the state key: the last reply offered a transfer

_PUT_THROUGH = "Would you like me to put you through to a member of our team?"
_MATTERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:complain\w*|complaint|refund|overcharged|charged\s+(?:me\s+)?twice|"
            r"double[- ]charged|food\s+poisoning|got\s+sick|bad\s+(?:experience|service|meal)|"
            r"(?:was|were)\s+(?:rude|awful|terrible|disgusting|cold|raw))\b",
            re.IGNORECASE,
        ),
        f"I'm sorry to hear that. Our manager looks after that personally. {_PUT_THROUGH}",
    ),
    (
        re.compile(
            r"\b(?:left|lost|forgot)\s+(?:my|our|a|an|his|her|their)\s+"
            r"(?!(?:table|booking|reservation|number|code)\b)\w+(?:\s+\w+)?\s+"
            r"(?:there|behind|at\s+(?:the|your)|yesterday|last\s+night|when|after|on\s+the)\b|"
            r"\blost\s+(?:and\s+found|property)\b|\b(?:did\s+)?any(?:one|body)\s+(?:find|hand\s+in|"
            r"turn\s+in)\b",
            re.IGNORECASE,
        ),
        f"Our team keeps anything left behind, and they can check for you. {_PUT_THROUGH}",
    ),
    (
        re.compile(
            r"\b(?:are\s+you\s+hiring|job\s+(?:opening|vacanc\w+|application)|apply\s+for\s+a\s+job|"
            r"looking\s+for\s+(?:work|a\s+job)|(?:an?\s+)?invoice|supplier|"
            r"(?:a\s+)?(?:delivery|shipment)\s+for\s+(?:the\s+)?(?:kitchen|restaurant)|"
            r"(?:journalist|reporter|from\s+the\s+press))\b",
            re.IGNORECASE,
        ),
        f"Our manager looks after that. {_PUT_THROUGH}",
    ),
)


def transfer_offer(text: str) -> str | None:
    """The line that offers a caller with a matter for the team a transfer, or None."""
    return next((line for pattern, line in _MATTERS if pattern.search(text)), None)
