"""`<KEEP>...</KEEP>`: the marker a brain's text uses for words the caller must hear whole.

The OpenAI brain's prompt defines it (a read-back, a confirmation code, a deposit policy); the
session strips it from the streamed text and marks the words between as protected
(`ReplyDelta.protected`), even when a marker is split across deltas.
"""

from __future__ import annotations

__all__ = ["KeepMarkers"]

_OPEN = "<KEEP>"
_CLOSE = "</KEEP>"


class KeepMarkers:
    """Splits streamed text into (text, protected) pieces, the markers removed."""

    def __init__(self) -> None:
        self._held = ""
        self._inside = False

    def feed(self, text: str, *, protected: bool = False) -> list[tuple[str, bool]]:
        """The pieces of `text` (after any held partial marker); `protected` marks all of it."""
        buffer, self._held = self._held + text, ""
        pieces: list[tuple[str, bool]] = []
        while buffer:
            marker = _CLOSE if self._inside else _OPEN
            at = buffer.find(marker)
            if at == -1:
                start = buffer.rfind("<")
                if start != -1 and marker.startswith(buffer[start:]):
                    self._held, buffer = buffer[start:], buffer[:start]
                if buffer:
                    pieces.append((buffer, protected or self._inside))
                break
            if at:
                pieces.append((buffer[:at], protected or self._inside))
            buffer = buffer[at + len(marker) :]
            self._inside = not self._inside
        return pieces

    def flush(self) -> str:
        """Text held back as a possible marker start that never became one."""
        held, self._held = self._held, ""
        return held

    def drop_held(self) -> None:
        self._held = ""
        self._inside = False
