"""`WhisperStream`'s end of turn from its words: a clearly finished turn ends after the short
silence, one the agent asked a name or a number for keeps the usual one, an unfinished one is
held. A scripted recogniser (speech frames are loud, silence is zeros; the transcript is
released by the test) makes every step happen in a known order, on audio time only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from resvoice.voice.stt.base import EagerEndOfTurn, STTEvent, TurnEnded
from resvoice.voice.stt.hints import ANYTHING, Expected, Listening
from resvoice.voice.stt.vad import FRAME_MS, FRAME_SAMPLES, SegmenterConfig, VADState
from resvoice.voice.stt.whisper_model import Transcription
from resvoice.voice.stt.whisper_stream import WhisperStream

CONFIG = SegmenterConfig(finished_silence_ms=300, end_silence_ms=600, unfinished_silence_ms=1500)
SPEECH = b"\x00\x10" * FRAME_SAMPLES  # one loud frame
QUIET = b"\x00\x00" * FRAME_SAMPLES


class ScriptedRecogniser:
    """Loud frames are speech; each final transcription waits for the test's `release`."""

    segmenter = CONFIG
    preroll_ms = 0.0
    partial_interval_ms = 1e9  # no partials
    busy = False

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.frames = 0  # frames the stream has taken in
        self._moved = asyncio.Event()
        self.answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def transcribe(
        self, pcm: bytes, hint: Listening = ANYTHING, *, partial: bool = False
    ) -> Transcription:
        self.asked.set()
        return Transcription(await asyncio.shield(self.answer), 0.9)

    async def taken_in(self, frames: int) -> None:
        """Wait until the stream has taken in (and acted on) `frames` frames."""
        while self.frames < frames:
            self._moved.clear()
            await self._moved.wait()
        await asyncio.sleep(0)  # the stream acts on a frame before it asks for the next

    async def vad_probabilities(self, state: VADState, pcm: bytes) -> list[float]:
        await asyncio.sleep(0)  # a real VAD runs in its thread: the loop moves on meanwhile
        step = FRAME_SAMPLES * 2
        self.frames += len(pcm) // step
        self._moved.set()
        return [0.9 if any(pcm[i : i + step]) else 0.0 for i in range(0, len(pcm), step)]


async def speak_then_pause(
    hint: Listening, text: str, *, silence_before_ms: float, eager_expected: bool = True
) -> tuple[list[STTEvent], TurnEnded]:
    """Speech, `silence_before_ms` of silence, the transcript `text` released (and, when one
    is expected, its `EagerEndOfTurn` seen), then silence until the turn ends. Returns the
    events and the turn's end."""
    stt = ScriptedRecogniser()
    stream = WhisperStream(stt)
    stream.listen_for(hint)
    events: list[STTEvent] = []
    eager = asyncio.Event()

    async def read(source: AsyncIterator[STTEvent]) -> None:
        async for event in source:
            events.append(event)
            if isinstance(event, EagerEndOfTurn):
                eager.set()

    reader = asyncio.create_task(read(stream.events()))
    for _ in range(20):  # 640 ms of speech
        await stream.push(SPEECH)
    quiet = round(silence_before_ms / FRAME_MS)
    for _ in range(quiet):
        await stream.push(QUIET)
    await stt.taken_in(20 + quiet)
    assert stt.asked.is_set()  # the speculative final began at the pause
    stt.answer.set_result(text)
    if eager_expected:
        await eager.wait()
    for _ in range(round(2000 / FRAME_MS)):
        await stream.push(QUIET)
    await stream.end_input()
    await reader
    [ended] = [e for e in events if isinstance(e, TurnEnded)]
    return events, ended


def silence_before_end(ended: TurnEnded) -> float:
    assert ended.speech_end_ms is not None
    return ended.audio_ms - ended.speech_end_ms


async def test_a_clearly_finished_turn_ends_after_the_short_silence() -> None:
    _, ended = await speak_then_pause(ANYTHING, "Do you have parking?", silence_before_ms=192)
    assert ended.text == "Do you have parking?"
    assert (
        CONFIG.finished_silence_ms
        <= silence_before_end(ended)
        < CONFIG.finished_silence_ms + FRAME_MS
    )


async def test_words_ready_after_the_short_silence_end_the_turn_at_the_next_frame() -> None:
    _, ended = await speak_then_pause(ANYTHING, "Yes, that's right.", silence_before_ms=416)
    assert 416 <= silence_before_end(ended) <= 416 + 2 * FRAME_MS  # not the whole 600 ms


async def test_asked_for_a_name_or_number_the_usual_silence_stands() -> None:
    answers: list[tuple[Expected, str]] = [
        ("name", "Yes, that's right."),
        ("phone", "I'd rather not say."),  # a whole answer, but no number: not cut short
    ]
    for expect, words in answers:
        events, ended = await speak_then_pause(Listening(expect), words, silence_before_ms=192)
        assert any(isinstance(e, EagerEndOfTurn) for e in events)
        assert silence_before_end(ended) >= CONFIG.end_silence_ms


async def test_words_that_may_go_on_keep_the_usual_silence() -> None:
    _, ended = await speak_then_pause(ANYTHING, "A table for 4.", silence_before_ms=192)
    assert CONFIG.end_silence_ms <= silence_before_end(ended) < CONFIG.unfinished_silence_ms


async def test_a_lone_first_name_after_its_cue_is_held_for_the_surname() -> None:
    events, ended = await speak_then_pause(
        ANYTHING, "The name is Maria.", silence_before_ms=192, eager_expected=False
    )
    assert not any(isinstance(e, EagerEndOfTurn) for e in events)
    assert silence_before_end(ended) >= CONFIG.unfinished_silence_ms


async def test_unfinished_words_are_held_to_the_longer_silence() -> None:
    events, ended = await speak_then_pause(
        ANYTHING, "My number is 555.", silence_before_ms=192, eager_expected=False
    )
    assert not any(isinstance(e, EagerEndOfTurn) for e in events)
    assert silence_before_end(ended) >= CONFIG.unfinished_silence_ms


async def test_a_number_all_but_whole_is_held_for_the_shorter_time() -> None:
    events, ended = await speak_then_pause(
        ANYTHING, "My number is 415-55-0142.", silence_before_ms=192, eager_expected=False
    )
    assert not any(isinstance(e, EagerEndOfTurn) for e in events)
    held = silence_before_end(ended)
    assert CONFIG.nearly_whole_silence_ms <= held < CONFIG.unfinished_silence_ms


async def test_a_number_at_a_group_boundary_keeps_the_long_hold() -> None:
    _, ended = await speak_then_pause(
        Listening("phone"), "415 555.", silence_before_ms=192, eager_expected=False
    )
    assert silence_before_end(ended) >= CONFIG.unfinished_silence_ms
