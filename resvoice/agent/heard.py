"""What of a streaming reply a caller has surely heard: its complete sentences.

A voice call speaks a reply sentence by sentence (`resvoice.language.sentences`), so words after
the last complete sentence are still waiting to be spoken. When a reply breaks off there, the
session cuts it back with `HeardText.cut`, fed the very deltas the voice layer was fed, so both
draw the line at the same place.
"""

from __future__ import annotations

from resvoice.language.sentences import SentenceSplitter

__all__ = ["HeardText"]


class HeardText:
    """One reply's text as it streams out, split the way speech splits it."""

    def __init__(self) -> None:
        self._splitter = SentenceSplitter()
        self._sentences: list[str] = []

    def feed(self, text: str) -> None:
        self._sentences += self._splitter.feed(text)

    def cut(self) -> tuple[str, str]:
        """Withdraw the unfinished words: returns (the complete sentences so far, joined as
        speech joins them, and the words withdrawn). What comes next starts a fresh sentence."""
        dropped = " ".join(self._splitter.flush())
        kept = " ".join(self._sentences)
        self._splitter = SentenceSplitter()
        self._sentences = [kept] if kept else []
        return kept, dropped
