"""The noisy line: each kind at the level asked for, continuous across frames, deterministic."""

from __future__ import annotations

import numpy as np
import pytest

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
