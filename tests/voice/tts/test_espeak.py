"""eSpeak NG through ctypes: real speech, voices, resampling, abort on close, serialised engine."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import numpy as np
import pytest

from resvoice.audio.level import rms_dbfs
from resvoice.errors import ConfigError
from resvoice.voice.tts.base import AudioChunk

pytest.importorskip("espeakng_loader", reason="needs the offline extra")

from resvoice.voice.tts.espeak import NATIVE_RATE, EspeakTTS

SENTENCE = "A table for four people on Saturday, February seventh at seven thirty p.m."


async def speak(tts: EspeakTTS, text: str = SENTENCE) -> list[AudioChunk]:
    return [chunk async for chunk in tts.synthesize(text)]


async def test_speaks_a_sentence_in_chunks() -> None:
    chunks = await speak(EspeakTTS())
    assert len(chunks) > 5  # streamed, not one blob
    assert {c.sample_rate for c in chunks} == {NATIVE_RATE}
    total_ms = sum(c.duration_ms for c in chunks)
    assert 3000 < total_ms < 9000
    assert rms_dbfs(b"".join(c.pcm for c in chunks)) > -30


async def test_resamples_to_the_requested_rate() -> None:
    native = sum(c.duration_ms for c in await speak(EspeakTTS()))
    chunks = await speak(EspeakTTS(sample_rate=16_000))
    assert {c.sample_rate for c in chunks} == {16_000}
    assert sum(c.duration_ms for c in chunks) == pytest.approx(native, rel=0.03)  # eSpeak jitters


def median_pitch_hz(pcm: bytes, rate: int = NATIVE_RATE) -> float:
    """Median autocorrelation pitch over the loud 40 ms frames."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    size, pitches = rate // 25, []
    for start in range(0, len(x) - size, size):
        frame = x[start : start + size]
        if np.sqrt(np.mean(frame * frame)) < 1000:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        low, high = rate // 400, rate // 70
        pitches.append(rate / (low + int(np.argmax(corr[low:high]))))
    return float(np.median(pitches))


async def test_voices_are_selectable() -> None:
    male = b"".join(c.pcm for c in await speak(EspeakTTS("en-us")))
    female = b"".join(c.pcm for c in await speak(EspeakTTS("en-us+f3")))
    assert median_pitch_hz(female) > 1.5 * median_pitch_hz(male)


async def test_concurrent_requests_are_serialised_on_one_engine() -> None:
    slow = EspeakTTS("en+m3", words_per_minute=120)
    alone = [sum(c.duration_ms for c in await speak(t)) for t in (EspeakTTS(), slow)]
    both = await asyncio.gather(speak(EspeakTTS()), speak(slow), speak(EspeakTTS("en-us+f3")))
    together = [sum(c.duration_ms for c in chunks) for chunks in both[:2]]
    # each request kept its own voice settings: the slow voice stays ~175/120 times longer
    assert together == pytest.approx(alone, rel=0.02)
    assert together[1] > 1.3 * together[0]
    assert median_pitch_hz(b"".join(c.pcm for c in both[2])) > 150


async def test_closing_early_aborts_and_the_engine_keeps_serving() -> None:
    tts = EspeakTTS()
    async with aclosing(tts.synthesize(SENTENCE * 5)) as stream:
        async for _ in stream:
            break  # barge-in after the first chunk
    full = await speak(tts, "Still here.")
    assert sum(c.duration_ms for c in full) > 500


async def test_unknown_voice_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown eSpeak voice 'xx-nope'"):
        await speak(EspeakTTS("xx-nope"))
    assert await speak(EspeakTTS()), "a bad voice must not break the engine"


def test_bad_settings_are_rejected() -> None:
    with pytest.raises(ConfigError, match="words per minute"):
        EspeakTTS(words_per_minute=10)
    with pytest.raises(ConfigError, match="pitch"):
        EspeakTTS(pitch=200)


async def test_blank_text_gives_no_audio() -> None:
    assert await speak(EspeakTTS(), "   ") == []
