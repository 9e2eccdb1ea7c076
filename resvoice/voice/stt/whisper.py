"""Offline speech recognition: faster-whisper (Whisper tiny.en, int8) with Silero VAD turns.

`WhisperSTT` is the `STT` protocol over three parts: the shared model and its decoding
(`resvoice.voice.stt.whisper_model`: one model per `ModelCache`, in a bounded thread pool, so the
event loop never blocks), Silero VAD in its own thread (`resvoice.voice.stt.vad`), and one
`WhisperStream` per call that turns frames into turns and words
(`resvoice.voice.stt.whisper_stream`).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from resvoice.audio import INTERNAL_RATE
from resvoice.errors import ConfigError
from resvoice.voice.models import ModelCache
from resvoice.voice.stt.hints import ANYTHING, Listening
from resvoice.voice.stt.vad import SegmenterConfig, SileroVAD, VADState
from resvoice.voice.stt.whisper_context import (
    heard_in_context,
    number_heard_short,
    prompt_for,
    whole_number_among,
    without_echo,
)
from resvoice.voice.stt.whisper_model import (
    DEFAULT_PROMPT,
    SharedWhisper,
    Transcription,
    bundled_model_dir,
)
from resvoice.voice.stt.whisper_stream import WhisperStream
from resvoice.voice.worker_pool import BACKGROUND, URGENT

__all__ = ["DEFAULT_PROMPT", "Transcription", "WhisperSTT", "WhisperStream", "bundled_model_dir"]

log = logging.getLogger(__name__)

_READINGS = 5
"""Readings looked at when a phone number comes back short: the beam's own width, so the
second look is one decoding at the cost of the first."""


class WhisperSTT:
    """The `STT` protocol on faster-whisper and Silero VAD.

    Args:
        model_dir: a CTranslate2 Whisper model directory; default tiny.en from the wheel.
        segmenter: VAD turn-taking settings (silence that ends a turn, minimum speech...).
        partial_interval_ms: least time between two partial transcriptions of one turn.
        beam_size: 5 by default: on the 90 caller lines of the shipped transcripts (eSpeak
            voices, whole lines) WER 0.136 against 0.160 greedy, for about 5% more time.
        workers: transcriptions that may run at once (each uses all cores).
        prompt: Whisper's initial prompt (vocabulary and number style); "" for none.
        models: the process's model cache (the runtime's); None: one of this recogniser's own.
        timestamps: decode with timestamp tokens. Without them tiny.en often stops at the
            first sentence end of a long turn ("...at 7 pm." and the name and number that
            followed are lost); with them it reads on to the end of the audio.
    """

    name = "whisper"
    sample_rate = INTERNAL_RATE

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        segmenter: SegmenterConfig | None = None,
        partial_interval_ms: float = 700.0,
        beam_size: int = 5,
        workers: int = 1,
        vad: SileroVAD | None = None,
        preroll_ms: float = 200.0,
        prompt: str = DEFAULT_PROMPT,
        timestamps: bool = True,
        models: ModelCache | None = None,
    ) -> None:
        path = Path(model_dir) if model_dir else bundled_model_dir()
        if not (path / "model.bin").is_file():
            raise ConfigError(f"not a CTranslate2 Whisper model directory (no model.bin): {path}")
        if partial_interval_ms <= 0 or beam_size < 1 or workers < 1:
            raise ConfigError("Whisper needs partial_interval_ms > 0, beam_size >= 1, workers >= 1")
        self.model_dir = path
        self.segmenter = segmenter or SegmenterConfig()
        self.partial_interval_ms = partial_interval_ms
        self.preroll_ms = preroll_ms
        self._beam_size = beam_size
        self._prompt = prompt or None
        self._timestamps = timestamps
        models = models if models is not None else ModelCache()
        self._model = SharedWhisper.get(models, path, workers)
        self._vad = vad or SileroVAD(models=models)
        self._vad_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vad")

    async def open_stream(self) -> WhisperStream:
        """Start recognising one call's audio (PCM16 mono 16 kHz)."""
        return WhisperStream(self)

    async def transcribe(
        self, pcm: bytes, hint: Listening = ANYTHING, *, partial: bool = False
    ) -> Transcription:
        """Transcribe a whole clip (PCM16 mono 16 kHz) in the shared pool, listening for what
        `hint` says the caller is answering (`resvoice.voice.stt.whisper_context`); a `partial`
        (the caller still speaks) waits behind every final (a caller waits for an answer)."""
        prompt = prompt_for(self._prompt, hint)
        heard = await self._model.transcribe(
            pcm,
            self._beam_size,
            prompt,
            self._timestamps,
            priority=BACKGROUND if partial else URGENT,
        )
        text = heard_in_context(without_echo(heard.text, prompt), hint)
        if not partial and number_heard_short(text, hint):
            readings = await self._model.readings(pcm, self._beam_size, prompt, _READINGS)
            whole = whole_number_among([without_echo(r, prompt) for r in readings], hint)
            if whole is not None:
                log.info("whisper number read whole from a nearer reading")
                text = whole
        return heard if text == heard.text else Transcription(text, heard.confidence)

    @property
    def prompt(self) -> str | None:
        """Whisper's initial prompt (None: none)."""
        return self._prompt

    async def warm_up(self) -> None:
        """Load the model now rather than on the first turn of the first call."""
        await self.transcribe(b"\x00\x00" * INTERNAL_RATE)

    @property
    def busy(self) -> bool:
        """A transcription is running or queued (partials are skipped then)."""
        return self._model.busy

    async def vad_probabilities(self, state: VADState, pcm: bytes) -> list[float]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._vad_thread, self._vad.probabilities, state, pcm)

    async def aclose(self) -> None:
        """Stop the VAD thread; the model cache keeps the Whisper model for other calls."""
        self._vad_thread.shutdown(wait=False, cancel_futures=True)
