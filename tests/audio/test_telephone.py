"""PhoneDecoder: mu-law 8 kHz frames in, the same PCM16 16 kHz the two-step path gives."""

from __future__ import annotations

import random

from resvoice.audio.codec import mulaw_to_pcm16
from resvoice.audio.resample import Resampler
from resvoice.audio.telephone import PhoneDecoder


def test_decoding_a_call_frame_by_frame_equals_decode_then_resample() -> None:
    rng = random.Random(7)
    frames = [bytes(rng.randrange(256) for _ in range(160)) for _ in range(50)]
    decoder, resampler = PhoneDecoder(8000, 16000), Resampler(8000, 16000)
    fused = b"".join(decoder.process(frame) for frame in frames)
    two_step = b"".join(resampler.process(mulaw_to_pcm16(frame)) for frame in frames)
    assert fused == two_step
    assert len(fused) > 50 * 160 * 2 * 2 * 0.9  # about twice the samples, two bytes each


def test_same_rate_only_decodes() -> None:
    frame = bytes(range(160))
    assert PhoneDecoder(8000, 8000).process(frame) == mulaw_to_pcm16(frame)
