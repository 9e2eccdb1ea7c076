"""Consent to recording: the notice a recorded call opens with, and the caller's opt-out.

When calls are recorded (`RESVOICE_RECORD=on`) the greeting starts with `NOTICE`; a caller who
asks not to be recorded ("please don't record this", "I don't want to be recorded") is told
`DECLINED` and the session yields `RecordingDeclined`, on which the voice layer stops the
recording and deletes what it had.
"""

from __future__ import annotations

import re

__all__ = ["DECLINED", "NOTICE", "asks_not_to_be_recorded"]

NOTICE = "This call may be recorded; say 'don't record' at any time to stop it."
DECLINED = "Of course. I've stopped recording this call and deleted the recording. How can I help?"

_OPT_OUT = re.compile(
    r"\b(?:do\s*n[o']?t|do not|stop|no)\s+(?:\w+\s+){0,2}?record(?:ing)?\b"
    r"|(?:n't|\bnot|\bnever)\s+(?:\w+\s+){0,3}?(?:be\s+)?recorded\b"
    r"|\bopt\s+out\b",
    re.IGNORECASE,
)


def asks_not_to_be_recorded(text: str) -> bool:
    """'please don't record', 'stop recording', 'I don't want to be recorded', 'opt out'."""
    return bool(_OPT_OUT.search(text.replace("’", "'")))
