"""Cut the agent's streamed reply into sentences for TTS, as early as is safe.

`SentenceSplitter.feed(delta)` takes text deltas in order and returns every sentence completed so
far; `flush()` returns the rest when the reply ends. The pieces, joined, give back the input
(modulo whitespace). A period does not end a sentence inside "Dr. Smith", "$12.50",
"7:30 p.m. on Friday", "e.g. the pasta" or a numbered list ("1. Pasta 2. Pizza"). The first
sentence of a reply is kept short: once it grows past `first_max_chars` it is cut at the first
clause boundary (comma, semicolon, colon, dash) so that speech can start while the rest is
generated.
"""

from __future__ import annotations

import re

# A period after these never ends a sentence (titles, "e.g.", initials are handled apart).
_NEVER_ENDS = frozenset(
    {"dr", "mr", "mrs", "ms", "mx", "st", "prof", "sr", "jr", "mt", "e.g", "i.e", "vs", "approx",
     "cf", "ft", "no", "nos", "tel", "ext"}
)  # fmt: skip
# A period after these ends a sentence only when a capitalised word follows ("at 7 p.m. See
# you" ends, "7:30 p.m. on Friday" does not).
_MAYBE_ENDS = frozenset(
    {"a.m", "p.m", "am", "pm", "etc", "inc", "ltd", "co", "ave", "rd", "blvd", "jan", "feb",
     "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
     "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "min", "mins", "hr", "hrs"}
)  # fmt: skip
_TERMINALS = ".!?…"
_CLOSERS = "\"')]”’»"
_CLAUSE = re.compile(r"[,;:](?=\s)|\s[—–-](?=\s)")
_TOKEN_STRIP = "\"'([“‘«"


class SentenceSplitter:
    """Streaming sentence splitter; one per reply."""

    def __init__(self, *, first_max_chars: int = 48, first_min_chars: int = 12) -> None:
        self.first_max_chars = first_max_chars
        self.first_min_chars = first_min_chars
        self._buf = ""
        self._emitted = 0
        self._list_number = 0  # last numbered-list marker seen in this reply
        self._scanned = 0  # buffer positions already judged

    def feed(self, delta: str) -> list[str]:
        """Add a piece of the reply; return the sentences it completed."""
        self._buf += delta
        out: list[str] = []
        while True:
            cut = self._boundary()
            if self._emitted == 0 and not out and (cut is None or cut > self.first_max_chars):
                cut = self._first_clause(cut) or cut
            if cut is None:
                return out
            piece, self._buf = self._buf[:cut].strip(), self._buf[cut:]
            if piece:
                out.append(piece)
                self._emitted += 1

    def flush(self) -> list[str]:
        """The reply ended: whatever is left is the last sentence."""
        rest, self._buf = self._buf.strip(), ""
        if not rest:
            return []
        self._emitted += 1
        return [rest]

    # --- boundaries ---------------------------------------------------------------------------

    def _boundary(self) -> int | None:
        """Index just past the first certain sentence end in the buffer, or None.

        Positions before `_scanned` were already judged not to end a sentence; judging them
        again would repeat side effects (the numbered-list counter)."""
        buf = self._buf
        i = max(self._scanned, len(buf) - len(buf.lstrip()))
        while i < len(buf):
            char = buf[i]
            if char == "\n" and _has_word(buf[:i]):
                return self._cut(i + 1)
            if char not in _TERMINALS:
                i += 1
                continue
            j = i + 1
            while j < len(buf) and (buf[j] in _CLOSERS or buf[j] in _TERMINALS):
                j += 1
            if j >= len(buf):
                if self._ends_for_sure(buf, i):
                    return self._cut(j)
                break  # cannot tell yet: "$12." may become "$12.50", "p.m." may go on
            if buf[j].isspace():
                verdict = True if char != "." else self._period_ends(buf, i, j)
                if verdict is None:
                    break
                if verdict:
                    return self._cut(j)
            i = j
        self._scanned = i
        return None

    def _cut(self, end: int) -> int:
        self._scanned = 0
        return end

    def _ends_for_sure(self, buf: str, terminal: int) -> bool:
        """A terminal at the very end of the text so far that ends a sentence whatever follows:
        "?" or "!", or a period after an ordinary word ("you." cannot become a price or an
        abbreviation). Saves waiting for the next delta before speaking."""
        if buf[terminal] in "?!":
            return True
        if buf[terminal] != "." or (terminal > 0 and buf[terminal - 1] in _TERMINALS):
            return False
        word_start = max(buf.rfind(" ", 0, terminal), buf.rfind("\n", 0, terminal)) + 1
        token = buf[word_start:terminal].lstrip(_TOKEN_STRIP)
        lowered = token.lower()
        return (
            len(token) >= 2
            and token.isalpha()
            and lowered not in _NEVER_ENDS
            and lowered not in _MAYBE_ENDS
        )

    def _period_ends(self, buf: str, dot: int, after: int) -> bool | None:
        """Whether the period at `dot` ends a sentence; None until the next word is seen."""
        word_start = max(buf.rfind(" ", 0, dot), buf.rfind("\n", 0, dot)) + 1
        token = buf[word_start:dot].lstrip(_TOKEN_STRIP)
        lowered = token.lower()
        if lowered in _NEVER_ENDS or _is_initial(token):
            return False
        if token.isdigit() and len(token) <= 2 and self._list_marker(buf, word_start, int(token)):
            return False
        if lowered in _MAYBE_ENDS:
            rest = buf[after:].lstrip()
            if not rest:
                return None
            return rest[0].isupper()
        return True

    def _list_marker(self, buf: str, word_start: int, number: int) -> bool:
        before = buf[:word_start].rstrip()
        if not before or before[-1] in ":\n" or number == self._list_number + 1:
            self._list_number = number
            return True
        return False

    def _first_clause(self, sentence_end: int | None) -> int | None:
        """For a reply's first sentence grown long: cut after its first clause."""
        if len(self._buf) < self.first_max_chars:
            return None
        for match in _CLAUSE.finditer(self._buf, 0, sentence_end or len(self._buf)):
            end = match.end() if match.group(0)[0] in ",;:" else match.start() + 1
            if sentence_end is not None and len(self._buf[end:sentence_end].split()) < 3:
                return None  # the rest of the sentence is a word or two: keep it whole
            if len(self._buf[:end].strip()) >= self.first_min_chars:
                self._scanned = max(0, self._scanned - end) if sentence_end is None else 0
                return end
        return None


def split_sentences(text: str, **options: int) -> list[str]:
    """Split a whole text at once (the streaming splitter fed one delta)."""
    splitter = SentenceSplitter(**options)
    return splitter.feed(text) + splitter.flush()


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _is_initial(token: str) -> bool:
    return len(token) == 1 and token.isupper()
