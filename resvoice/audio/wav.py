"""WAV files in and out: read any integer PCM WAV as PCM16 mono, write PCM16."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from resvoice.errors import ResvoiceError

__all__ = ["read_wav", "write_wav"]


def read_wav(path: str | Path) -> tuple[bytes, int]:
    """Read a PCM WAV file (8, 16, 24 or 32-bit integer, any channel count).

    Returns:
        (PCM16 mono little-endian bytes, sample rate); channels are averaged.

    Raises:
        ResvoiceError: the file is missing, not a WAV, or not integer PCM.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except FileNotFoundError:
        raise ResvoiceError(f"{path}: no such file") from None
    except (wave.Error, EOFError) as exc:
        raise ResvoiceError(f"{path}: not a PCM WAV file ({exc})") from None
    samples = _to_float(raw, width, str(path))
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels]
        samples = samples.reshape(-1, channels).mean(axis=1)
    pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    return pcm.tobytes(), rate


def write_wav(path: str | Path, pcm: bytes, rate: int, channels: int = 1) -> None:
    """Write PCM16 little-endian samples (interleaved when `channels` > 1) as a WAV file."""
    if len(pcm) % (2 * channels):
        raise ValueError(f"{len(pcm)} bytes is not a whole number of {channels}-channel frames")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)


def _to_float(raw: bytes, width: int, path: str) -> npt.NDArray[np.float64]:
    if width == 1:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    if width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        value = np.where(value & 0x800000, value - 0x1000000, value)
        return value.astype(np.float64) / 8388608.0
    if width == 4:
        return np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2147483648.0
    raise ResvoiceError(f"{path}: unsupported sample width of {width} bytes")
