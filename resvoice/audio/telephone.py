"""Caller audio off the phone line into what the recogniser takes, in one step per frame.

Twilio sends mu-law at 8 kHz; recognition runs on PCM16 at 16 kHz (`INTERNAL_RATE`). Decoding
and resampling each 20 ms frame separately costs a byte copy and a numpy round trip at each
step; `PhoneDecoder` decodes straight into the array the resampler reads and copies once, at
the end. The output is what `mulaw_to_pcm16` then a `Resampler` give (to soxr's dither: its
int16 output differs by a bit or two between any two resamplers).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import soxr

from resvoice.audio.codec import mulaw_decode_table

__all__ = ["PhoneDecoder"]


class PhoneDecoder:
    """Streaming mu-law `from_rate` -> PCM16 `to_rate` (filter state kept across frames)."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if sys.byteorder != "little":  # pragma: no cover - the table is "<i2"; soxr is native
            raise RuntimeError("PhoneDecoder needs a little-endian machine")
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
        self._table = mulaw_decode_table()
        self._resample: Callable[[Any, bool], Any] | None = None
        if from_rate != to_rate:
            stream = soxr.ResampleStream(from_rate, to_rate, 1, dtype="int16", quality="HQ")
            # the C call behind `resample_chunk` takes [frames, channels] int16 as is; the
            # Python wrapper's checks and reshapes cost as much as the filter on 160 samples
            process = getattr(stream, "_process", None)
            self._resample = process if callable(process) else _chunked(stream)

    def process(self, ulaw: bytes) -> bytes:
        """The next frame, decoded and resampled (what the filter can give so far)."""
        samples = self._table[np.frombuffer(ulaw, dtype=np.uint8)].reshape(-1, 1)
        if self._resample is None:
            return samples.tobytes()
        out: bytes = self._resample(samples, False).tobytes()
        return out


def _chunked(stream: Any) -> Callable[[Any, bool], Any]:
    def resample(samples: Any, last: bool) -> Any:
        return stream.resample_chunk(samples[:, 0], last=last)

    return resample
