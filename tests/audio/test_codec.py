"""G.711 mu-law: known code values from the standard's tables, round trips, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resvoice.audio.codec import mulaw_to_pcm16, pcm16_to_mulaw

no_deadline = settings(deadline=None)  # no wall-clock assertions, even hypothesis's


def pcm(*values: int) -> bytes:
    return np.array(values, dtype="<i2").tobytes()


def ints(raw: bytes) -> list[int]:
    return np.frombuffer(raw, dtype="<i2").tolist()


# G.711 Table 2 (mu-law), in 16-bit units (the table's 14-bit values times 4): codes are
# transmitted inverted; 0xFF and 0x7F decode to +0 and -0, 0x80 / 0x00 are the largest.
KNOWN_DECODE = {
    0xFF: 0,
    0x7F: 0,
    0xFE: 8,
    0xF0: 120,
    0xEF: 132,
    0xE0: 372,
    0xDF: 396,
    0x80: 32124,
    0x00: -32124,
    0x70: -120,
}


@pytest.mark.parametrize(("code", "value"), sorted(KNOWN_DECODE.items()))
def test_decodes_known_codes(code: int, value: int) -> None:
    assert ints(mulaw_to_pcm16(bytes([code]))) == [value]


def test_encodes_known_samples() -> None:
    encoded = pcm16_to_mulaw(pcm(0, -1, 1000, -1000, 32767, -32768, 32124, 8159 * 4))
    assert list(encoded) == [0xFF, 0x7F, 0xCE, 0x4E, 0x80, 0x00, 0x80, 0x80]


def test_every_code_survives_decode_then_encode() -> None:
    codes = bytes(range(256))
    again = pcm16_to_mulaw(mulaw_to_pcm16(codes))
    expected = bytes(0xFF if c == 0x7F else c for c in codes)  # -0 comes back as +0
    assert again == expected


def test_decoded_codes_are_monotonic_within_each_sign() -> None:
    positives = ints(mulaw_to_pcm16(bytes(range(0xFF, 0x7F, -1))))
    assert positives == sorted(positives) and len(set(positives)) == 128


@no_deadline
@given(st.lists(st.integers(-32768, 32767), min_size=1, max_size=200))
def test_round_trip_error_is_within_the_step_of_its_segment(values: list[int]) -> None:
    back = np.array(ints(mulaw_to_pcm16(pcm16_to_mulaw(pcm(*values)))), dtype=np.int64)
    original = np.clip(np.array(values, dtype=np.int64), -32635, 32635)
    # segment step is 8 << exponent; quantisation error is at most one step
    step = 8 << np.maximum(np.floor(np.log2(np.abs(original) + 132)).astype(np.int64) - 7, 0)
    assert np.all(np.abs(back - original) <= step)
    assert np.all(np.sign(back) * np.sign(original) >= 0)


def test_rejects_odd_length_pcm() -> None:
    with pytest.raises(ValueError, match="even number of bytes"):
        pcm16_to_mulaw(b"\x00\x01\x02")


def test_sine_survives_with_telephone_quality() -> None:
    t = np.arange(8000) / 8000
    sine = (np.sin(2 * np.pi * 440 * t) * 16000).astype("<i2")
    back = np.frombuffer(mulaw_to_pcm16(pcm16_to_mulaw(sine.tobytes())), dtype="<i2")
    noise = back.astype(np.float64) - sine
    snr = 10 * np.log10(np.mean(sine.astype(np.float64) ** 2) / np.mean(noise**2))
    assert snr > 30  # G.711 gives about 38 dB on a loud tone
