"""Test helpers: real synthetic speech at 16 kHz (eSpeak NG), silence and noise."""

from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from resvoice.audio import INTERNAL_RATE

_ROOT = Path(__file__).resolve().parents[2]
_CHILD = """
import asyncio, sys
from resvoice.voice.tts.espeak import EspeakTTS

async def main(text: str, voice: str, rate: int) -> bytes:
    tts = EspeakTTS(voice, sample_rate=int(sys.argv[4]), words_per_minute=rate)
    return b"".join([chunk.pcm async for chunk in tts.synthesize(text)])

sys.stdout.buffer.write(asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
"""


async def espeak_16k(text: str, voice: str = "en-us", words_per_minute: int = 160) -> bytes:
    """`text` spoken by eSpeak NG, the same samples in every process whatever ran before.

    eSpeak NG carries waveform state from one utterance to the next (glottal phase, pitch
    flutter) that neither its random seed nor a re-initialisation resets, so in-process the
    same text came out differently depending on how much speech the process had made before.
    Whisper tiny.en heard one such variant of "My phone number is" as "My phone is, uh, where
    it is.", which made a test pass alone and fail in the full suite. Each clip is therefore
    made by a fresh child process (the engine's first utterance), then kept for the session.
    """
    return await asyncio.to_thread(_fresh_speech, text, voice, words_per_minute)


@functools.cache
def _fresh_speech(text: str, voice: str, words_per_minute: int) -> bytes:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), *sys.path]))}
    args = [text, voice, str(words_per_minute), str(INTERNAL_RATE)]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], capture_output=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"eSpeak child failed: {done.stderr.decode(errors='replace')[-500:]}")
    return done.stdout


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
