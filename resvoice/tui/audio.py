"""The laptop's microphone and speakers, behind a tiny protocol so tests can swap them.

`MicSource` yields PCM16 mono frames at 16 kHz; the speaker side is any
`resvoice.voice.transport.AudioOutput`. `sounddevice` (and the PortAudio library under it) is
imported only when a device is opened, and any failure becomes a reason for typed mode.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import AsyncIterator
from typing import Protocol


class MicSource(Protocol):
    """Caller audio: PCM16 mono little-endian frames at `sample_rate`, in order."""

    sample_rate: int

    def frames(self) -> AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


def level_dbfs(pcm: bytes) -> float:
    """RMS level of PCM16 audio in dBFS (-inf for digital silence, floored at -120)."""
    # plain Python on purpose: a 20 ms frame is 320 samples, and numpy would cost the app
    # a third of a second of startup
    samples = array("h", pcm[: len(pcm) // 2 * 2])
    if not samples:
        return -120.0
    if sys.byteorder == "big":
        samples.byteswap()
    rms = math.sqrt(sum(x * x for x in samples) / len(samples))
    return max(-120.0, 20 * math.log10(rms / 32768.0)) if rms > 0 else -120.0
