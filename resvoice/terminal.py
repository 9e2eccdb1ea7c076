"""Text from callers, transcripts and databases made safe to print on a terminal.

A caller's words reach `replay`, `sessions` and `stats` output; an escape sequence in them
(`\\x1b[2J`) would clear the screen, retitle the window or forge a line. `printable` drops
escape sequences, control characters and bidirectional overrides, and turns line breaks and
tabs into spaces, so one field prints as one line of what was said. Every front end that
prints stored or caller text goes through it.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|[ -/]*[0-~])?"  # two-character sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = str.maketrans({"\n": " ", "\t": " "})


def printable(text: str) -> str:
    """`text` without escape sequences or control characters; line breaks become spaces."""
    if text.isprintable():  # the usual case costs one scan
        return text
    return _CONTROL.sub("", _ESCAPE.sub("", text)).translate(_SPACES)
