"""PhoneDecoder: mu-law 8 kHz frames in, the PCM16 16 kHz the two-step path gives."""

from __future__ import annotations

import random

import numpy as np

from resvoice.audio.codec import mulaw_to_pcm16, pcm16_to_mulaw
from resvoice.audio.resample import Resampler
from resvoice.audio.telephone import PairedDecoder, PhoneDecoder, PhoneEncoder


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


def _two_step_encode(chunks: list[bytes]) -> bytes:
    resampler = Resampler(16000, 8000)
    return pcm16_to_mulaw(b"".join(resampler.process(c) for c in chunks) + resampler.flush())


def test_encoding_speech_chunk_by_chunk_equals_resample_then_encode() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(16000 * 2) / 16000
    speech = (8000 * np.sin(2 * np.pi * 300 * t) + rng.normal(0, 600, t.size)).astype("<i2")
    pcm = speech.tobytes()
    # uneven chunks, odd byte counts among them: a sample split across two chunks still counts
    cuts = sorted(rng.choice(len(pcm), 40, replace=False).tolist())
    chunks = [pcm[a:b] for a, b in zip([0, *cuts], [*cuts, len(pcm)], strict=True)]
    encoder = PhoneEncoder(16000, 8000)
    fused = b"".join(encoder.process(c) for c in chunks) + encoder.flush()
    two_step = _two_step_encode(chunks)
    assert len(fused) == len(two_step) == 16000  # two seconds at 8 kHz, the filter's tail too
    # soxr's dither moves a sample a bit or two, which moves a code by at most one step
    decoded = [
        np.frombuffer(mulaw_to_pcm16(x), dtype="<i2").astype(np.int32) for x in (fused, two_step)
    ]
    assert np.abs(decoded[0] - decoded[1]).max() <= 2 * 256  # one mu-law step at full scale


def test_after_flush_or_reset_the_encoder_starts_afresh() -> None:
    pcm = (np.sin(np.arange(3200) / 5) * 9000).astype("<i2").tobytes()
    fresh = PhoneEncoder(16000, 8000)
    expected = fresh.process(pcm) + fresh.flush()
    used = PhoneEncoder(16000, 8000)
    used.process(pcm[:1001])
    used.flush()
    again = used.process(pcm) + used.flush()
    used.process(pcm[:640])
    used.reset()
    after_reset = used.process(pcm) + used.flush()
    for out in (again, after_reset):
        diff = np.frombuffer(mulaw_to_pcm16(out), "<i2").astype(np.int32) - np.frombuffer(
            mulaw_to_pcm16(expected), "<i2"
        )
        assert len(out) == len(expected) and np.abs(diff).max() <= 512


def test_same_rate_only_encodes() -> None:
    pcm = (np.arange(-32768, 32768, 7, dtype=np.int32)).astype("<i2").tobytes()
    assert PhoneEncoder(8000, 8000).process(pcm) == pcm16_to_mulaw(pcm)


def test_paired_decoding_gives_the_frames_in_order_and_the_held_one_at_flush() -> None:
    rng = random.Random(11)
    frames = [bytes(rng.randrange(256) for _ in range(160)) for _ in range(9)]  # an odd count
    whole = PhoneDecoder(8000, 16000).process(b"".join(frames))
    paired = PairedDecoder(8000, 16000, frames=2)
    outputs = [paired.process(f) for f in frames]
    assert [out is None for out in outputs] == [True, False] * 4 + [True]
    assert paired.holding
    tail = paired.flush()
    assert tail is not None and not paired.holding and paired.flush() is None
    batched = b"".join(out for out in outputs if out is not None) + tail
    assert len(batched) == len(whole)
    diff = np.frombuffer(batched, "<i2").astype(np.int32) - np.frombuffer(whole, "<i2")
    assert np.abs(diff).max() <= 2  # the same samples, to soxr's dither


def test_a_batch_of_one_decodes_every_frame_at_once() -> None:
    frame = bytes(range(160))
    paired = PairedDecoder(8000, 8000, frames=1)
    assert paired.process(frame) == mulaw_to_pcm16(frame)
    assert not paired.holding and paired.flush() is None
