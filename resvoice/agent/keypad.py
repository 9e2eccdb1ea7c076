"""Keypad entry: DTMF keys gathered into entries, the way an IVR takes a number.

Digits collect until `#` ends the entry; `*` throws away what was keyed so far and starts
again; `0` pressed before any digit asks for a person (as it always has), so a number keyed
on the pad never starts with 0. Every front end feeds keys the same way: one key per Twilio
`dtmf` event, a number key in `talk`, a whole `dtmf: "4155550100#"` turn in a replay.
"""

from __future__ import annotations

__all__ = ["HUMAN", "Keypad"]

HUMAN = "0"
"""The entry that asks for a member of staff."""


class Keypad:
    """The digits keyed so far in this call's current entry."""

    def __init__(self) -> None:
        self.keyed = ""

    def press(self, keys: str) -> list[str]:
        """Feed keys; returns the entries they completed, in order (usually none or one)."""
        entries: list[str] = []
        for key in keys:
            if key == "*":
                self.keyed = ""
            elif key == "#":
                if self.keyed:
                    entries.append(self.keyed)
                self.keyed = ""
            elif key == HUMAN and not self.keyed:
                entries.append(HUMAN)
            elif key.isdigit():
                self.keyed += key
        return entries
