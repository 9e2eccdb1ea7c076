"""A noisy phone line for voice replay: synthesised noise mixed into the caller's audio.

`--noise street|babble|hum` with `--noise-db` (the signal-to-noise ratio against the caller's
speech, in dB) puts continuous noise on the line, in the caller's pauses and while the agent
speaks too, so that recognition, turn-taking and the resume after a false interruption are all
measured under it. Everything is synthesised with numpy from a fixed seed (no clip is shipped):

- street: brown noise (traffic rumble) with a passing car swelling every few seconds;
- babble: six talkers' worth of band-passed noise, each with its own syllable rhythm;
- hum: mains hum, 60 Hz and its harmonics, with a little hiss.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

from resvoice.audio import INTERNAL_RATE

__all__ = ["NOISE_KINDS", "NoiseKind", "NoisyLine"]

NoiseKind = Literal["street", "babble", "hum"]
NOISE_KINDS: tuple[str, ...] = get_args(NoiseKind)
_BLOCK_S = 4.0  # noise is made in blocks of this length, then looped with a fresh seed


class NoisyLine:
    """Adds noise of one kind to PCM16 16 kHz frames, as one continuous signal.

    The level is set from the first speech it is told about (`speech`), so that the noise sits
    `snr_db` below the caller's voice; before that, below a typical speaking level."""

    def __init__(self, kind: NoiseKind, snr_db: float, *, seed: int = 19) -> None:
        if kind not in NOISE_KINDS:
            raise ValueError(f"unknown noise {kind!r}: use one of {', '.join(NOISE_KINDS)}")
        self.kind = kind
        self.snr_db = snr_db
        self._rng = np.random.default_rng(seed)
        self._buffer = np.zeros(0, dtype=np.float64)
        self._position = 0
        self._gain = _rms_gain(3000.0, snr_db)  # eSpeak speech sits near 3000 RMS

    def speech(self, pcm: bytes) -> None:
        """Set the level against this speech (its voiced part)."""
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
        voiced = samples[np.abs(samples) > 300]
        if voiced.size:
            self._gain = _rms_gain(float(np.sqrt(np.mean(voiced**2))), self.snr_db)

    def mix(self, pcm: bytes) -> bytes:
        """The frame with the next stretch of noise added (clipped to 16 bits)."""
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
        noise = self._next(samples.size) * self._gain
        return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()

    def _next(self, count: int) -> np.ndarray:
        while self._buffer.size - self._position < count:
            rest = self._buffer[self._position :]
            self._buffer = np.concatenate([rest, _unit(self.kind, self._rng)])
            self._position = 0
        out = self._buffer[self._position : self._position + count]
        self._position += count
        return out


def _rms_gain(speech_rms: float, snr_db: float) -> float:
    """The scale for unit-RMS noise that puts it `snr_db` below speech of `speech_rms`."""
    return speech_rms / (10 ** (snr_db / 20))


def _unit(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One block of noise at unit RMS."""
    n = int(_BLOCK_S * INTERNAL_RATE)
    t = np.arange(n) / INTERNAL_RATE
    if kind == "hum":
        wave = sum(np.sin(2 * np.pi * 60 * k * t + k) / k for k in (1, 2, 3, 5))
        wave = wave + 0.05 * rng.standard_normal(n)
    elif kind == "street":
        brown = np.cumsum(rng.standard_normal(n))
        brown -= np.convolve(brown, np.ones(801) / 801, mode="same")  # no DC drift
        phase = rng.uniform(0, 2 * np.pi)
        swell = 0.6 + 0.4 * np.sin(2 * np.pi * t / _BLOCK_S + phase) ** 2  # a car goes by
        wave = brown * swell + 0.3 * _band(rng.standard_normal(n), 500, 2500)
    else:  # babble
        wave = np.zeros(n)
        for _ in range(6):
            voice = _band(rng.standard_normal(n), rng.uniform(250, 500), rng.uniform(1800, 3200))
            rate = rng.uniform(3.0, 5.5)  # syllables per second
            rhythm = np.clip(np.sin(2 * np.pi * rate * t + rng.uniform(0, 6.3)), 0, None)
            wave += voice * rhythm
    return wave / (np.sqrt(np.mean(wave**2)) or 1.0)


def _band(signal: np.ndarray, low: float, high: float) -> np.ndarray:
    """Band-pass by FFT (a block at a time; the seams are masked by the noise itself)."""
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(signal.size, 1 / INTERNAL_RATE)
    spectrum[(freqs < low) | (freqs > high)] = 0
    return np.fft.irfft(spectrum, signal.size)
