"""The laptop's microphone and speakers, behind a tiny protocol so tests can swap them.

`MicSource` yields PCM16 mono frames at 16 kHz; the speaker side is any
`resvoice.voice.transport.AudioOutput`. `sounddevice` (and the PortAudio library under it) is
imported only when a device is opened, and any failure becomes a reason for typed mode.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Protocol

import numpy as np


class MicSource(Protocol):
    """Caller audio: PCM16 mono little-endian frames at `sample_rate`, in order."""

    sample_rate: int

    def frames(self) -> AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


def level_dbfs(pcm: bytes) -> float:
    """RMS level of PCM16 audio in dBFS (-inf for digital silence, floored at -120)."""
    if len(pcm) < 2:
        return -120.0
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float64)
    rms = math.sqrt(float(np.mean(samples * samples)))
    return max(-120.0, 20 * math.log10(rms / 32768.0)) if rms > 0 else -120.0
