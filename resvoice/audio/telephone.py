"""Audio between the phone line and the voice, in one step per chunk each way.

Twilio sends mu-law at 8 kHz; recognition runs on PCM16 at 16 kHz (`INTERNAL_RATE`). Decoding
and resampling each 20 ms frame separately costs a byte copy and a numpy round trip at each
step; `PhoneDecoder` decodes straight into the array the resampler reads and copies once, at
the end. The output is what `mulaw_to_pcm16` then a `Resampler` give (to soxr's dither: its
int16 output differs by a bit or two between any two resamplers). `PhoneEncoder` is the way
back for the agent's voice: PCM16 16 kHz to mu-law 8 kHz, what a `Resampler` then
`pcm16_to_mulaw` give, its one filter kept for the whole call (`flush` ends an utterance and
starts the filter afresh without building a new one).

`PairedDecoder` decodes the caller's frames `frames` at a time (two by default: one soxr call and
one hand-off to recognition per 40 ms instead of per 20 ms, up to 20 ms later); `flush` gives
the frames still held, so a call's last words are never lost.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import soxr

from resvoice.audio.codec import mulaw_decode_table, mulaw_encode_table

__all__ = ["PairedDecoder", "PhoneDecoder", "PhoneEncoder"]


class PhoneDecoder:
    """Streaming mu-law `from_rate` -> PCM16 `to_rate` (filter state kept across frames)."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if sys.byteorder != "little":  # pragma: no cover - the table is "<i2"; soxr is native
            raise RuntimeError("PhoneDecoder needs a little-endian machine")
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
        self._table = mulaw_decode_table()
        self._stream, self._resample = _filter(from_rate, to_rate)

    def process(self, ulaw: bytes) -> bytes:
        """The next frame, decoded and resampled (what the filter can give so far)."""
        samples = self._table[np.frombuffer(ulaw, dtype=np.uint8)].reshape(-1, 1)
        if self._resample is None:
            return samples.tobytes()
        out: bytes = self._resample(samples, False).tobytes()
        return out


class PairedDecoder:
    """A `PhoneDecoder` fed `frames` frames at a time: `process` holds a frame until the batch is
    whole, then gives the batch decoded (None while holding); `flush` gives what is held.
    The audio comes out in the order it went in, the same samples a `PhoneDecoder` gives."""

    def __init__(self, from_rate: int, to_rate: int, frames: int = 2) -> None:
        if frames < 1:
            raise ValueError(f"a batch holds at least one frame, got {frames}")
        self._decoder = PhoneDecoder(from_rate, to_rate)
        self._frames = frames
        self._held: list[bytes] = []

    @property
    def holding(self) -> bool:
        """Whether frames are held back, waiting for the rest of their batch."""
        return bool(self._held)

    def process(self, ulaw: bytes) -> bytes | None:
        """The batch decoded once this frame makes it whole; None while it is not."""
        held = self._held
        held.append(ulaw)
        if len(held) < self._frames:
            return None
        audio = b"".join(held)
        held.clear()
        return self._decoder.process(audio)

    def flush(self) -> bytes | None:
        """The frames held so far, decoded (None when none are held)."""
        if not self._held:
            return None
        audio = b"".join(self._held)
        self._held.clear()
        return self._decoder.process(audio)


class PhoneEncoder:
    """Streaming PCM16 `from_rate` -> mu-law `to_rate` (filter state kept across chunks)."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if sys.byteorder != "little":  # pragma: no cover - the table is indexed by "<u2" bits
            raise RuntimeError("PhoneEncoder needs a little-endian machine")
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
        self._table = mulaw_encode_table()
        self._stream, self._resample = _filter(from_rate, to_rate)
        self._odd = b""  # a byte short of a whole sample, kept for the next chunk

    def process(self, pcm: bytes) -> bytes:
        """The next chunk (any length), resampled and encoded (what the filter can give so far)."""
        if self._odd:
            pcm, self._odd = self._odd + pcm, b""
        if len(pcm) % 2:
            pcm, self._odd = pcm[:-1], pcm[-1:]
        samples = np.frombuffer(pcm, dtype="<i2").reshape(-1, 1)
        if self._resample is not None:
            samples = self._resample(samples, False)
        return self._encode(samples)

    def flush(self) -> bytes:
        """The end of an utterance: what the filter still holds, encoded; the encoder then starts
        afresh (as a new one would)."""
        self._odd = b""
        if self._resample is None:
            return b""
        tail = self._resample(np.zeros((0, 1), dtype=np.int16), True)
        self.reset()
        return self._encode(tail)

    def reset(self) -> None:
        """Drop what the filter holds (a barge-in's `clear`): the next chunk starts afresh."""
        self._odd = b""
        if self._stream is not None:
            self._stream.clear()

    def _encode(self, samples: Any) -> bytes:
        out: bytes = self._table[samples.view(np.uint16)].tobytes()
        return out


def _filter(from_rate: int, to_rate: int) -> tuple[Any, Callable[[Any, bool], Any] | None]:
    """The soxr stream for a rate change and the call that runs it; (None, None) for none."""
    if from_rate == to_rate:
        return None, None
    stream = soxr.ResampleStream(from_rate, to_rate, 1, dtype="int16", quality="HQ")
    # the C call behind `resample_chunk` takes [frames, channels] int16 as is; the Python
    # wrapper's checks and reshapes cost as much as the filter on 160 samples
    process = getattr(stream, "_process", None)
    return stream, process if callable(process) else _chunked(stream)


def _chunked(stream: Any) -> Callable[[Any, bool], Any]:
    def resample(samples: Any, last: bool) -> Any:
        return stream.resample_chunk(samples[:, 0], last=last)

    return resample
