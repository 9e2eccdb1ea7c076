"""The noisy line: each kind at the level asked for, continuous across frames, deterministic,
mixed in before the phone line; the line's clock."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from resvoice.replay.line import CallerLine, LineClock
from resvoice.replay.noise import NOISE_KINDS, NoisyLine


def rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2)))


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_noise_sits_the_asked_db_below_the_speech(kind: str) -> None:
    t = np.arange(16_000) / 16_000
    speech = (4000 * np.sqrt(2) * np.sin(2 * np.pi * 220 * t)).astype("<i2").tobytes()
    line = NoisyLine(kind, 10)  # type: ignore[arg-type]
    line.speech(speech)
    silence = bytes(640 * 500)  # ten seconds of 20 ms frames
    noise = b"".join(line.mix(silence[i : i + 640]) for i in range(0, len(silence), 640))
    assert 20 * np.log10(4000 / rms(noise)) == pytest.approx(10, abs=1.0)


def test_the_same_seed_gives_the_same_line() -> None:
    a, b = NoisyLine("babble", 5), NoisyLine("babble", 5)
    frames = [bytes(640)] * 300
    assert [a.mix(f) for f in frames] == [b.mix(f) for f in frames]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="street, babble, hum"):
        NoisyLine("rain", 10)  # type: ignore[arg-type]


def high_share(pcm: bytes) -> float:
    """The share of the signal's energy above 4 kHz."""
    spectrum = np.abs(np.fft.rfft(np.frombuffer(pcm, dtype="<i2").astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(pcm) // 2, 1 / 16_000)
    return float(spectrum[freqs > 4100].sum() / spectrum.sum())


def test_noise_goes_down_the_phone_line_with_the_voice() -> None:
    """Noise is the caller's room: mixed in before the line, so the line band-limits it too,
    and every frame comes off the line whole."""
    on_line, off_line = (CallerLine(NoisyLine("street", 0), phone=phone) for phone in (True, False))
    frames = [bytes(640)] * 200
    heard = [on_line.frame(f) for f in frames]
    assert all(len(f) == 640 for f in heard)
    unfiltered = high_share(b"".join(off_line.frame(f) for f in frames))
    assert high_share(b"".join(heard[10:])) < unfiltered / 20


async def test_the_line_clock_runs_on_the_audio_carried() -> None:
    clock = LineClock()
    wait = asyncio.ensure_future(clock.sleep(0.1))
    await asyncio.sleep(0)  # the sleep starts counting from here: nothing carried yet
    for _ in range(4):
        clock.carried(bytes(640))
        await asyncio.sleep(0)
    assert not wait.done()  # 80 ms carried
    clock.carried(bytes(640))
    await asyncio.wait_for(wait, timeout=10)  # a guard against a hang, not a timing check
