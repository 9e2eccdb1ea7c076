"""Cut PCM16 mono into fixed-length frames: whole clips, or a stream of uneven chunks."""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["Reframer", "frame_bytes", "frames"]


def frame_bytes(rate: int, ms: float = 20) -> int:
    """Bytes in one PCM16 mono frame of `ms` milliseconds at `rate` Hz (640 for 20 ms, 16 kHz)."""
    samples = round(rate * ms / 1000)
    if samples <= 0:
        raise ValueError(f"a {ms} ms frame at {rate} Hz holds no sample")
    return samples * 2


def frames(pcm: bytes, rate: int, ms: float = 20, *, pad: bool = True) -> Iterator[bytes]:
    """Yield consecutive `ms` frames of `pcm`. The last partial frame is padded with silence
    (`pad=True`, nothing lost) or dropped (`pad=False`)."""
    size = frame_bytes(rate, ms)
    whole = len(pcm) - len(pcm) % size
    for start in range(0, whole, size):
        yield pcm[start : start + size]
    rest = pcm[whole:]
    if rest and pad:
        yield rest + b"\x00" * (size - len(rest))


class Reframer:
    """Regroup a stream of arbitrary-length chunks into frames of exactly `size_bytes`.

    `push(chunk)` returns the frames completed by that chunk; the remainder waits for the next.
    """

    def __init__(self, size_bytes: int) -> None:
        if size_bytes <= 0 or size_bytes % 2:
            raise ValueError(f"frame size must be a positive even number of bytes: {size_bytes}")
        self.size_bytes = size_bytes
        self._pending = bytearray()

    def push(self, chunk: bytes) -> list[bytes]:
        """Add audio; returns the complete frames now available, oldest first."""
        self._pending += chunk
        size = self.size_bytes
        count = len(self._pending) // size
        out = [bytes(self._pending[i * size : (i + 1) * size]) for i in range(count)]
        del self._pending[: count * size]
        return out

    @property
    def pending(self) -> int:
        """Bytes waiting for a frame to fill."""
        return len(self._pending)
