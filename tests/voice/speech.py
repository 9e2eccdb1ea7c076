"""Test helpers: real synthetic speech at 16 kHz (eSpeak NG), silence and noise."""

from __future__ import annotations

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.voice.tts.espeak import EspeakTTS


async def espeak_16k(text: str, voice: str = "en-us", words_per_minute: int = 160) -> bytes:
    tts = EspeakTTS(voice, sample_rate=INTERNAL_RATE, words_per_minute=words_per_minute)
    return b"".join([chunk.pcm async for chunk in tts.synthesize(text)])


def silence(ms: float) -> bytes:
    return b"\x00\x00" * int(INTERNAL_RATE * ms / 1000)


def noise(ms: float, dbfs: float, seed: int = 7) -> bytes:
    rng = np.random.default_rng(seed)
    amplitude = 32768 * 10 ** (dbfs / 20)
    samples = rng.normal(0, amplitude, int(INTERNAL_RATE * ms / 1000))
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def voiced_span_ms(pcm: bytes, floor_dbfs: float = -45) -> tuple[float, float]:
    """First and last 10 ms where the signal is above `floor_dbfs` (eSpeak pads its output)."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    size = INTERNAL_RATE // 100
    frames = x[: len(x) - len(x) % size].reshape(-1, size)
    loud = np.flatnonzero(np.sqrt(np.mean(frames**2, axis=1)) > 32768 * 10 ** (floor_dbfs / 20))
    return float(loud[0] * 10), float((loud[-1] + 1) * 10)
