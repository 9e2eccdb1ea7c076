"""Sample-rate conversion of PCM16 mono with soxr (a real band-limited filter, no audioop)."""

from __future__ import annotations

import numpy as np
import soxr

__all__ = ["Resampler", "resample"]


def resample(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """Convert a whole PCM16 mono clip from `from_rate` to `to_rate` Hz."""
    _check_rates(from_rate, to_rate)
    if from_rate == to_rate or not pcm:
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2")
    return (
        np.asarray(soxr.resample(samples, from_rate, to_rate, quality="HQ")).astype("<i2").tobytes()
    )


class Resampler:
    """A streaming converter for chunked audio: the filter state carries across chunks, so the
    joined output equals converting the whole clip at once (no clicks at chunk edges).

    Call `process(chunk)` for each chunk (any even length) and `flush()` once at the end to get
    the samples still held in the filter. One instance per stream; not thread-safe.
    """

    def __init__(self, from_rate: int, to_rate: int) -> None:
        _check_rates(from_rate, to_rate)
        self.from_rate = from_rate
        self.to_rate = to_rate
        self._stream: soxr.ResampleStream | None = (
            None
            if from_rate == to_rate
            else soxr.ResampleStream(from_rate, to_rate, 1, dtype="int16", quality="HQ")
        )
        self._odd = b""

    def process(self, pcm: bytes) -> bytes:
        """Convert the next chunk; returns what the filter can give so far (may be empty)."""
        data = self._odd + pcm
        cut = len(data) - len(data) % 2
        self._odd = data[cut:]
        if self._stream is None:
            return data[:cut]
        samples = np.frombuffer(data[:cut], dtype="<i2")
        return np.asarray(self._stream.resample_chunk(samples, last=False)).astype("<i2").tobytes()

    def flush(self) -> bytes:
        """End of stream: the remaining output. The resampler cannot be used afterwards."""
        if self._stream is None:
            return b""
        empty = np.zeros(0, dtype=np.int16)
        return np.asarray(self._stream.resample_chunk(empty, last=True)).astype("<i2").tobytes()


def _check_rates(from_rate: int, to_rate: int) -> None:
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
