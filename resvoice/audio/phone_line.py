"""The telephone path a caller's voice takes to the server: 8 kHz G.711 mu-law.

`through_phone_line` puts 16 kHz audio through what Twilio and the server do to it: down to
8 kHz (the line carries nothing above 4 kHz), mu-law encoded and decoded (8-bit companding), and
back up to 16 kHz with the same soxr filter the server's media stream uses. Voice replay uses it
so recognition is measured on what a phone call would hear, not on studio audio.
"""

from __future__ import annotations

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.codec import mulaw_to_pcm16, pcm16_to_mulaw
from resvoice.audio.resample import resample

__all__ = ["PHONE_RATE", "through_phone_line"]

PHONE_RATE = 8000


def through_phone_line(pcm: bytes, rate: int = INTERNAL_RATE) -> bytes:
    """PCM16 mono at `rate` as it arrives after an 8 kHz mu-law phone line, at `rate` again."""
    narrow = resample(pcm, rate, PHONE_RATE)
    return resample(mulaw_to_pcm16(pcm16_to_mulaw(narrow)), PHONE_RATE, rate)
