"""Resampling (whole and streaming), framing, WAV files and levels."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from resvoice.audio.framing import Reframer, frame_bytes, frames
from resvoice.audio.level import SILENCE_PEAK, rms_dbfs, voiced_length
from resvoice.audio.resample import Resampler, resample
from resvoice.audio.wav import read_wav, write_wav
from resvoice.errors import ResvoiceError


def tone(freq: float, rate: int, seconds: float = 1.0, amp: float = 0.5) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * freq * t) * amp * 32767).astype("<i2").tobytes()


def dominant_hz(pcm: bytes, rate: int) -> float:
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spectrum))])


@pytest.mark.parametrize(
    ("src", "dst"),
    [(8000, 16000), (16000, 8000), (22050, 16000), (24000, 16000), (16000, 22050), (16000, 24000)],
)
def test_resample_keeps_length_ratio_and_pitch(src: int, dst: int) -> None:
    out = resample(tone(440, src), src, dst)
    assert abs(len(out) // 2 - dst) <= 2
    assert abs(dominant_hz(out, dst) - 440) < 3


def test_downsampling_filters_out_what_the_new_rate_cannot_hold() -> None:
    out = resample(tone(6000, 16000), 16000, 8000)  # above the 4 kHz Nyquist of 8 kHz
    assert rms_dbfs(out) < rms_dbfs(tone(6000, 16000)) - 40


def test_streaming_resampler_matches_whole_clip() -> None:
    clip = tone(300, 22050, 0.5) + tone(900, 22050, 0.5)
    whole = np.frombuffer(resample(clip, 22050, 16000), dtype="<i2").astype(np.int32)
    stream = Resampler(22050, 16000)
    sizes = [1, 641, 3, 882, 4000, 2]
    parts, pos, i = [], 0, 0
    while pos < len(clip):
        size = sizes[i % len(sizes)]
        parts.append(stream.process(clip[pos : pos + size]))
        pos, i = pos + size, i + 1
    parts.append(stream.flush())
    joined = np.frombuffer(b"".join(parts), dtype="<i2").astype(np.int32)
    assert abs(len(joined) - len(whole)) <= 2
    n = min(len(joined), len(whole))
    assert np.max(np.abs(joined[:n] - whole[:n])) <= 2


def test_same_rate_is_a_pass_through() -> None:
    clip = tone(440, 16000, 0.1)
    assert resample(clip, 16000, 16000) == clip
    stream = Resampler(16000, 16000)
    assert stream.process(clip[:3]) + stream.process(clip[3:]) + stream.flush() == clip


def test_rates_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        resample(b"\0\0", 0, 16000)


def test_frames_are_20_ms_and_the_tail_is_padded() -> None:
    assert frame_bytes(16000) == 640 and frame_bytes(8000) == 320
    clip = bytes(range(256)) * 5  # 1280 bytes = 2 frames at 16 kHz... plus 0
    out = list(frames(clip + b"\x01\x02", 16000))
    assert [len(f) for f in out] == [640, 640, 640]
    assert b"".join(out)[: len(clip) + 2] == clip + b"\x01\x02"
    assert out[-1][2:] == b"\x00" * 638
    assert len(list(frames(clip + b"\x01\x02", 16000, pad=False))) == 2


def test_reframer_regroups_uneven_chunks_without_loss() -> None:
    data = bytes(i % 251 for i in range(10_000))
    reframer = Reframer(1024)
    out: list[bytes] = []
    for start in range(0, len(data), 777):
        out += reframer.push(data[start : start + 777])
    assert all(len(f) == 1024 for f in out)
    assert b"".join(out) == data[: len(out) * 1024]
    assert reframer.pending == len(data) - len(out) * 1024


def test_wav_round_trip(tmp_path: Path) -> None:
    clip = tone(440, 22050, 0.2)
    write_wav(tmp_path / "a.wav", clip, 22050)
    assert read_wav(tmp_path / "a.wav") == (clip, 22050)


def test_stereo_wav_reads_as_mono_average(tmp_path: Path) -> None:
    left = np.full(100, 1000, dtype="<i2")
    right = np.full(100, 3000, dtype="<i2")
    write_wav(tmp_path / "s.wav", np.stack([left, right], axis=1).tobytes(), 8000, channels=2)
    pcm, rate = read_wav(tmp_path / "s.wav")
    assert rate == 8000 and set(np.frombuffer(pcm, dtype="<i2").tolist()) == {2000}


def test_bad_wav_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_bytes(b"not a wav at all")
    with pytest.raises(ResvoiceError, match="not a PCM WAV"):
        read_wav(tmp_path / "x.wav")
    with pytest.raises(ResvoiceError, match="no such file"):
        read_wav(tmp_path / "missing.wav")


def test_rms_dbfs_of_known_signals() -> None:
    assert rms_dbfs(b"") == -math.inf
    assert rms_dbfs(b"\x00\x00" * 100) == -math.inf
    square = np.array([32767, -32767] * 100, dtype="<i2").tobytes()
    assert rms_dbfs(square) == pytest.approx(0.0, abs=0.01)
    assert rms_dbfs(tone(1000, 16000, amp=1.0)) == pytest.approx(-3.01, abs=0.05)
    assert rms_dbfs(tone(1000, 16000, amp=0.1)) == pytest.approx(-23.01, abs=0.1)


def test_voiced_length_ends_at_the_last_sample_above_the_silence_floor() -> None:
    def pcm(*samples: int) -> bytes:
        return np.array(samples, dtype="<i2").tobytes()

    quiet = SILENCE_PEAK
    assert voiced_length(b"") == 0
    assert voiced_length(pcm(0, quiet, -quiet, 3)) == 0  # padding and a faint fade: silence
    assert voiced_length(pcm(0, 5000, 0, -quiet - 1, quiet, 0)) == 8  # up to -101, 2 bytes each
    assert voiced_length(pcm(-32768)) == 2  # no overflow at full scale
    assert voiced_length(tone(440, 16000) + pcm(*[0] * 100)) == len(tone(440, 16000))
