"""PhoneDecoder: mu-law 8 kHz frames in, the PCM16 16 kHz the two-step path gives."""

from __future__ import annotations

import random

import numpy as np

from resvoice.audio.codec import mulaw_to_pcm16
from resvoice.audio.resample import Resampler
from resvoice.audio.telephone import PhoneDecoder


def test_decoding_a_call_frame_by_frame_equals_decode_then_resample() -> None:
    rng = random.Random(7)
    frames = [bytes(rng.randrange(256) for _ in range(160)) for _ in range(50)]
    decoder, resampler = PhoneDecoder(8000, 16000), Resampler(8000, 16000)
    fused = np.frombuffer(b"".join(decoder.process(f) for f in frames), dtype="<i2")
    two_step = np.frombuffer(
        b"".join(resampler.process(mulaw_to_pcm16(f)) for f in frames), dtype="<i2"
    )
    assert len(fused) == len(two_step) > 50 * 160 * 2 * 0.9  # about twice the samples
    # soxr dithers its int16 output (two resamplers of one input differ by a bit or two)
    assert np.abs(fused.astype(np.int32) - two_step).max() <= 2


def test_same_rate_only_decodes() -> None:
    frame = bytes(range(160))
    assert PhoneDecoder(8000, 8000).process(frame) == mulaw_to_pcm16(frame)
