"""When caller speech over the agent is an interruption, and when it is only a back-channel.

A cough, a click or an "uh-huh" must not cut the agent off; "no, Sunday" must, at once. Speech
interrupts once it has lasted `min_ms` and either a recognised word is not a back-channel word,
or it has gone on for `no_words_ms` without any words recognised yet (a recogniser without
partials). A final transcript that is only back-channel words is not a turn while the agent
speaks.
"""

from __future__ import annotations

import re

BACKCHANNEL_WORDS = frozenset(
    {"uh-huh", "uh", "huh", "mm-hmm", "mhm", "mm", "hmm", "hm", "um", "okay", "ok", "yeah",
     "yep", "yup", "right", "sure", "alright", "i", "see", "got", "it", "cool", "great"}
)  # fmt: skip
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_MAX_BACKCHANNEL_WORDS = 4


def is_backchannel(text: str) -> bool:
    """'uh-huh', 'mm-hmm', 'okay yeah', 'I see': listening noises, not a turn."""
    words = _WORD.findall(text.lower().replace("uh huh", "uh-huh").replace("mm hmm", "mm-hmm"))
    return 0 < len(words) <= _MAX_BACKCHANNEL_WORDS and all(w in BACKCHANNEL_WORDS for w in words)


class BargeInPolicy:
    """Tracks the caller's current stretch of speech (audio positions in ms)."""

    def __init__(self, min_ms: float, no_words_ms: float) -> None:
        self.min_ms = min_ms
        self.no_words_ms = max(no_words_ms, min_ms)
        self._started: float | None = None
        self._text = ""

    @property
    def speaking(self) -> bool:
        """The caller is in a stretch of speech the recogniser has not ended yet."""
        return self._started is not None

    def started(self, audio_ms: float) -> None:
        self._started = audio_ms
        self._text = ""

    def heard(self, text: str | None, audio_ms: float) -> None:
        if self._started is None:
            self._started = audio_ms  # a recogniser that sends no onset event
        if text is not None:
            self._text = text

    def ended(self) -> None:
        self._started = None
        self._text = ""

    def interrupts(self, audio_ms: float) -> bool:
        """Whether the speech so far, heard up to `audio_ms`, should stop the agent."""
        if self._started is None:
            return False
        lasted = audio_ms - self._started
        if lasted < self.min_ms:
            return False
        words = self._text.strip()
        if words:
            return not is_backchannel(words)
        return lasted >= self.no_words_ms
