"""Audio on its way to the transport: the TTS's rate converted to the output's."""

from __future__ import annotations

import numpy as np


def convert_rate(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """PCM16 mono from one sample rate to another (linear interpolation; a stand-in until the
    filtered resampler of `resvoice.audio` is available)."""
    if from_rate == to_rate or not pcm:
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    count = max(1, round(len(samples) * to_rate / from_rate))
    positions = np.linspace(0, len(samples) - 1, count)
    out = np.interp(positions, np.arange(len(samples)), samples)
    return np.clip(np.round(out), -32768, 32767).astype("<i2").tobytes()
