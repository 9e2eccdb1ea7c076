"""The telephone path a caller's voice takes to the server: 8 kHz G.711 mu-law.

`through_phone_line` puts 16 kHz audio through what Twilio and the server do to it: down to
8 kHz (the line carries nothing above 4 kHz), mu-law encoded and decoded (8-bit companding), and
back up to 16 kHz with the same soxr filter the server's media stream uses. Voice replay uses it
so recognition is measured on what a phone call would hear, not on studio audio. `PhoneLine`
does the same to a stream of frames (noise mixed into the caller's room before the line).
"""

from __future__ import annotations

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.codec import mulaw_to_pcm16, pcm16_to_mulaw
from resvoice.audio.resample import Resampler, resample

__all__ = ["PHONE_RATE", "PhoneLine", "through_phone_line"]

PHONE_RATE = 8000


def through_phone_line(pcm: bytes, rate: int = INTERNAL_RATE) -> bytes:
    """PCM16 mono at `rate` as it arrives after an 8 kHz mu-law phone line, at `rate` again."""
    narrow = resample(pcm, rate, PHONE_RATE)
    return resample(mulaw_to_pcm16(pcm16_to_mulaw(narrow)), PHONE_RATE, rate)


class PhoneLine:
    """`through_phone_line` for a stream of frames: each frame comes out the same length, a few
    milliseconds late (the filters' delay; silence at the very start)."""

    def __init__(self, rate: int = INTERNAL_RATE) -> None:
        self._down = Resampler(rate, PHONE_RATE)
        self._up = Resampler(PHONE_RATE, rate)
        self._out = bytearray()

    def frame(self, pcm: bytes) -> bytes:
        """The next frame (PCM16 mono at `rate`) as it comes off the line."""
        self._out += self._up.process(mulaw_to_pcm16(pcm16_to_mulaw(self._down.process(pcm))))
        ready = min(len(pcm), len(self._out))
        out = bytes(len(pcm) - ready) + bytes(self._out[:ready])
        del self._out[:ready]
        return out
