"""A turn's reply as a brain streams it, made into the text the caller gets.

The `<ESCALATE>` marker is taken out (the session hands the call over after the turn), words
in `<KEEP>` markers are marked protected (`protect.py`), both even when a marker is split
across deltas; and when the reply breaks off (`TextCut`), it is cut back to its complete
sentences, the ones a caller has surely heard (`heard.py`).
"""

from __future__ import annotations

from collections.abc import Iterator

from resvoice.agent.escalation import strip_marker
from resvoice.agent.events import ReplyCut, ReplyDelta, TextCut, TextDelta
from resvoice.agent.heard import HeardText
from resvoice.agent.protect import KeepMarkers

__all__ = ["ReplyStream"]


class ReplyStream:
    """The brain's text for one turn; every piece said is also added to `reply`, the turn's
    reply for the transcript."""

    def __init__(self, reply: list[str]) -> None:
        self.reply = reply
        self._marker = _MarkerFilter()
        self._keep = KeepMarkers()
        self._heard = HeardText()

    @property
    def escalation_marked(self) -> bool:
        """The text carried an `<ESCALATE>` marker."""
        return self._marker.seen

    def feed(self, delta: TextDelta) -> Iterator[ReplyDelta]:
        """The pieces of the caller's reply in a brain's text delta."""
        text = self._marker.feed(delta.text)
        for piece, protected in self._keep.feed(text, protected=delta.protected):
            self.reply.append(piece)
            self._heard.feed(piece)
            yield ReplyDelta(piece, protected=protected)

    def cut(self, event: TextCut) -> ReplyCut:
        """The reply broke off: keep what was surely heard (also written to `event.kept`)."""
        self._marker.drop_held()
        self._keep.drop_held()
        kept, dropped = self._heard.cut()
        self.reply[:] = [kept]
        event.kept = kept
        return ReplyCut(kept=kept, dropped=dropped)

    def flush(self) -> str:
        """Text held back as a possible marker start that never became one ("" when none)."""
        tail = self._keep.flush() + self._marker.flush()
        if tail:
            self.reply.append(tail)
        return tail


class _MarkerFilter:
    """Removes `<ESCALATE>` from streamed text even when it is split across deltas."""

    _MARK = "<ESCALATE>"

    def __init__(self) -> None:
        self._held = ""
        self.seen = False

    def feed(self, text: str) -> str:
        buffer = self._held + text
        self._held = ""
        if self._MARK in buffer:
            self.seen = True
            buffer, _ = strip_marker(buffer)
            buffer += " " if text.endswith(" ") else ""
        start = buffer.rfind("<")
        if start != -1 and self._MARK.startswith(buffer[start:]):
            self._held = buffer[start:]
            buffer = buffer[:start]
        return buffer

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held

    def drop_held(self) -> None:
        """The text held back was never said (the reply was cut): forget it."""
        self._held = ""
