"""One call's offline recognition: Silero VAD turns, Whisper words (see `WhisperSTT`).

Silero VAD on 32 ms frames finds the turns (`resvoice.voice.stt.vad`); speech onset confirmed
-> `TurnStarted`; while the caller speaks, the growing segment is re-transcribed at most every
`partial_interval_ms` -> `TranscriptUpdate`; when silence begins (`pause_ms`), the final
transcription starts *speculatively*, so it is usually ready before the end-of-turn silence
(`end_silence_ms`) runs out -> `EagerEndOfTurn` when it is, and `TurnEnded` with the same text
when the silence completes (or `TurnResumed` and a fresh transcription if the caller goes on).
When the end-of-turn silence runs out on words that sound unfinished ("my number is 555", "a
table at", "um"; `resvoice.voice.stt.endpoint`), the turn is held open until
`unfinished_silence_ms` of silence instead (`nearly_whole_silence_ms` for a phone number a digit
or two short of whole), and no `EagerEndOfTurn` is sent for them; when the
speculative transcript sounds clearly finished ("Do you have parking?"), the turn ends after the
shorter `finished_silence_ms` instead (never while a phone number or a name is expected). Segments
shorter than `min_speech_ms` never start a turn by themselves: they are transcribed at their end
and dropped unless Whisper is confident of real words that are not a filler ("uh-huh",
"mm-hmm"); a quick "yes" is still a whole turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from typing import Protocol

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import Reframer
from resvoice.language.affirm import is_yes
from resvoice.language.misheard import as_meant
from resvoice.voice.stt.base import (
    EagerEndOfTurn,
    STTEvent,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)
from resvoice.voice.stt.endpoint import sounds_finished, sounds_nearly_whole, sounds_unfinished
from resvoice.voice.stt.hints import ANYTHING, Listening
from resvoice.voice.stt.vad import (
    FRAME_SAMPLES,
    SegmenterConfig,
    SpeechEnd,
    SpeechPause,
    SpeechResume,
    SpeechStart,
    VADSegmenter,
    VADState,
)
from resvoice.voice.stt.whisper_model import Transcription

__all__ = ["StreamRecogniser", "WhisperStream"]

log = logging.getLogger(__name__)

_BYTES_PER_MS = INTERNAL_RATE * 2 // 1000
_FRAME_BYTES = FRAME_SAMPLES * 2
_FILLERS = frozenset(
    {"", "uh", "um", "uhm", "hmm", "hm", "mm", "mhm", "mm-hmm", "mmhmm", "uh-huh", "uhhuh",
     "uh huh", "mm hmm", "ah", "oh", "you"}
)  # fmt: skip

_BLIP_MIN_CONFIDENCE = 0.6
"""Measured on eSpeak blips: hums and "uh-huh" came back as invented words at 0.39-0.53 mean
token probability, a quick "yes" / "nope" at 0.75-0.86."""

_SHORT_ANSWERS = frozenset(
    {"yes", "yeah", "yep", "yup", "no", "nope", "nah", "correct", "right", "sure", "okay", "ok",
     "yes please", "no thanks", "no thank you", "thats right", "thats correct", "perfect"}
)  # fmt: skip
_ANSWER_MIN_CONFIDENCE = 0.3
"""A whole short answer ("No.", "Yes.", "Nope.") from the callers' voices came back at 0.33-0.64
mean token probability (five eSpeak voices and Piper, clips alone): under the blip floor, so a
quick "no" to a question was dropped and the call waited. Hums come back as other words."""


class StreamRecogniser(Protocol):
    """What a `WhisperStream` needs of its recogniser (`WhisperSTT` is one), so the stream
    depends on this small surface and not on the module that creates it."""

    @property
    def segmenter(self) -> SegmenterConfig: ...

    @property
    def preroll_ms(self) -> float: ...

    @property
    def partial_interval_ms(self) -> float: ...

    @property
    def busy(self) -> bool: ...

    async def transcribe(
        self, pcm: bytes, hint: Listening = ..., *, partial: bool = False
    ) -> Transcription: ...

    async def vad_probabilities(self, state: VADState, pcm: bytes) -> list[float]: ...


class WhisperStream:
    """One call's recognition: `push()` audio, read `events()`; see the module docstring."""

    def __init__(self, stt: StreamRecogniser) -> None:
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
        self._hint = ANYTHING
        self._worker = asyncio.create_task(self._run(), name="whisper-stream")

    def listen_for(self, hint: Listening) -> None:
        """Transcribe the caller's next turns listening for `hint` (`Hintable`)."""
        self._hint = hint

    async def push(self, pcm: bytes) -> None:
        if self._closed:
            raise RuntimeError("push() after end_input() or aclose()")
        self._audio.put_nowait(pcm)

    async def end_input(self) -> None:
        if not self._closed:
            self._closed = True
            self._audio.put_nowait(None)

    async def drained(self) -> None:
        """Every audio pushed so far has been through the VAD and the turn logic (`Drainable`);
        a turn it ended has been transcribed. Returns at once when the stream has stopped."""
        joined = asyncio.ensure_future(self._audio.join())
        await asyncio.wait((joined, self._worker), return_when=asyncio.FIRST_COMPLETED)
        joined.cancel()

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
                    self._audio.task_done()
                    continue
                data = b"".join(frames)
                probabilities = await self._stt.vad_probabilities(self._vad_state, data)
                for i, probability in enumerate(probabilities):
                    await self._on_frame(
                        data[i * _FRAME_BYTES : (i + 1) * _FRAME_BYTES], probability
                    )
                self._audio.task_done()
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
        task = asyncio.create_task(self._stt.transcribe(audio, self._hint), name="whisper-final")
        turn = self._turn

        def eager(done: asyncio.Task[Transcription]) -> None:
            if done.cancelled() or done.exception() is not None:
                return
            current = turn == self._turn and done is self._speculative
            text = done.result().text
            if current and self._confirmed and not self._ending and text:
                if sounds_unfinished(text, self._hint):
                    return
                if sounds_finished(text, self._hint):
                    self._segmenter.shorten()  # the turn ends at the next frame, or soon
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
        heard = await self._stt.transcribe(audio, self._hint, partial=True)
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
                heard = await self._stt.transcribe(bytes(self._segment[:keep]), self._hint)
        except Exception:  # the turn still ends; the caller is asked again
            log.exception("whisper transcription failed")
            heard = Transcription("", None)
        nearly_whole = sounds_nearly_whole(heard.text, self._hint)
        if (
            self._confirmed
            and sounds_unfinished(heard.text, self._hint)
            and self._segmenter.hold(nearly_whole=nearly_whole)
        ):
            log.debug("whisper holds an unfinished turn text=%r", heard.text[-40:])
            self._ending = False  # the speculation stays: it is this audio's transcription
            return
        if self._confirmed:
            self._emit(TurnEnded(heard.text, end.at_ms, end.speech_end_ms, heard.confidence))
        elif self._real_words(heard):
            self._emit(TurnStarted(end.onset_ms))
            self._emit(TurnEnded(heard.text, end.at_ms, end.speech_end_ms, heard.confidence))
        else:
            log.debug(
                "whisper dropped blip ms=%.0f text=%r confidence=%s",
                end.at_ms - end.onset_ms,
                heard.text,
                heard.confidence,
            )
        self._turn += 1
        self._confirmed = self._ending = self._eager_sent = False
        self._speculative = self._partial = None
        self._last_partial_text = ""
        self._segment = bytearray()
        self._preroll = bytearray()

    def _real_words(self, heard: Transcription) -> bool:
        """Whether a blip too short to start a turn held a real answer ("yes", "no"): Whisper
        makes words up for coughs and hums ("Book.", "Again."), at lower confidence. Asked a
        yes-or-no question, a quick yes in any words is the answer expected, so it counts at
        an answer's confidence ("Go ahead.", "Correct" heard "Connect.")."""
        words = _normalised(heard.text)
        confidence = heard.confidence or 0.0
        if words in _SHORT_ANSWERS:  # a quick "No." heard at 0.4 is still the caller's answer
            return confidence >= _ANSWER_MIN_CONFIDENCE
        if words in _FILLERS:
            return False
        if self._hint.expect == "yes_no" and is_yes(as_meant(heard.text)):
            return confidence >= _ANSWER_MIN_CONFIDENCE
        return confidence >= _BLIP_MIN_CONFIDENCE

    def _emit(self, event: STTEvent) -> None:
        self._events.put_nowait(event)


def _normalised(text: str) -> str:
    return re.sub(r"[^\w\s-]", "", text).strip().lower()
