"""When caller speech over the agent is an interruption, and when it is only a back-channel.

A cough, a click or an "uh-huh" must not cut the agent off; "no, Sunday" must, at once. Speech
interrupts once it has lasted `min_ms` and either a recognised word is not a back-channel word,
or it has gone on for `no_words_ms` without any words recognised yet (a recogniser without
partials). A final transcript that is only back-channel words is not a turn while the agent
speaks, nor is a misheard one (`is_false_interruption`): on a noisy line a recogniser hears
"mm-hmm, okay, yeah" as "And then, okay, yeah, right" or "MMs are okay", at low confidence; a
short stretch like that, mostly back-channel sounds and asking for nothing, is a nod too, while
a question or a correction over the agent ("what about Sunday?", "no, for four") takes the turn
whatever the confidence.
"""

from __future__ import annotations

import re

BACKCHANNEL_WORDS = frozenset(
    {"uh-huh", "uh", "huh", "mm-hmm", "mhm", "mm", "hmm", "hm", "um", "okay", "ok", "yeah",
     "yep", "yup", "right", "sure", "alright", "i", "see", "got", "it", "cool", "great"}
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_BACKCHANNEL_WORDS = 4
_HUM = re.compile(r"(?:[mh]+|u+[hm]+|a+h+|o+h+|e+r+)(?:-?(?:[mh]+|u+h+))*s?")  # "mm", "mms", "uhh"
_NOD_FILLERS = frozenset({"and", "then", "so", "oh", "well"})
"""Words a recogniser makes of a hum or a nod on a noisy line, besides the back-channels."""
_REQUEST_WORDS = frozenset(
    {"what", "when", "where", "which", "who", "why", "how", "no", "not", "nope", "wait", "stop",
     "sorry", "actually", "hold", "hang", "excuse", "pardon", "please", "need", "want", "change",
     "cancel", "instead", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
     "ten"}
)  # fmt: skip
"""Words that ask for something or correct the agent: speech holding one is a turn."""
_ASKING_FIRST = frozenset({"can", "could", "would", "will", "do", "does", "did", "is", "are"})
"""A first word that opens a question ("can I ...", "is it ...")."""
_MIN_TURN_CONFIDENCE = 0.55
"""Below this mean token probability a stretch over the agent may be a misheard nod. Measured on
Whisper tiny.en, eSpeak voices, babble 10 dB below the caller, through the phone line: "Mm-hmm,
okay, yeah, right" came back at 0.43-0.46, real questions at 0.37-0.64, so confidence alone does
not tell them apart; together with the words it does."""
_MAX_NOD_MS = 3000.0
"""Speech over the agent longer than this is a turn, whatever was heard."""


def is_hum(text: str) -> bool:
    """Only sounds, no words: "hmm", "uh", "mm-hmm", "erm...". A recogniser made to let them
    pass hears no turn in them, on the line or over the agent."""
    words = _words(text)
    return bool(words) and all(_HUM.fullmatch(w) for w in words)


def is_backchannel(text: str) -> bool:
    """'uh-huh', 'mm-hmm', 'okay yeah', 'I see': listening noises, not a turn."""
    words = _words(text)
    return 0 < len(words) <= _MAX_BACKCHANNEL_WORDS and all(w in BACKCHANNEL_WORDS for w in words)


def is_false_interruption(text: str, confidence: float | None, lasted_ms: float | None) -> bool:
    """Whether speech heard over the agent (`text` at mean token probability `confidence`,
    `lasted_ms` long) was only a nod, a hum or noise rather than a turn: no words, only
    back-channel words, or a short low-confidence stretch that is mostly back-channel sounds
    and holds no request ("And then, okay, yeah, right.", "MMs are okay"). A question, a
    correction or a number always takes the turn."""
    words = _words(text)
    if not words or is_backchannel(text):
        return True
    if _asks(text, words):
        return False
    if confidence is None or confidence >= _MIN_TURN_CONFIDENCE:
        return False
    if lasted_ms is not None and lasted_ms > _MAX_NOD_MS:
        return False
    nodding = sum(_nods(w) for w in words)
    return 2 * nodding >= len(words)


def _asks(text: str, words: list[str]) -> bool:
    """A question, a correction or a number: what a caller says to take the turn."""
    if text.rstrip().endswith("?") or words[0] in _ASKING_FIRST:
        return True
    return any(w in _REQUEST_WORDS or w[0].isdigit() for w in words)


def _nods(word: str) -> bool:
    return word in BACKCHANNEL_WORDS or word in _NOD_FILLERS or _HUM.fullmatch(word) is not None


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("uh huh", "uh-huh").replace("mm hmm", "mm-hmm"))


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

    def lasted(self, audio_ms: float) -> float | None:
        """How long the current stretch of speech had lasted at `audio_ms` (None: none)."""
        return None if self._started is None else audio_ms - self._started

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
