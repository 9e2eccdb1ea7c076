"""A fast replay on a noisy line keeps the line's clock: the caller's nod over a long reply
stops the agent, and the cut sentence is resumed, exactly as in real time. Driven by a
recogniser that finds turns by level and tells the caller's lines apart by their loudness."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np

from resvoice.audio.level import rms_dbfs
from resvoice.replay.format import load_transcript
from resvoice.replay.voice import NOD, VoiceProviders, VoiceReplayOptions, replay_voice_transcript
from resvoice.replay.wer import caller_words
from resvoice.runtime import Runtime
from resvoice.voice.stt.base import TurnEnded, TurnStarted
from resvoice.voice.tts.base import AudioChunk
from tests.conftest import TRANSCRIPTS
from tests.fakes.stt_queue import QueuedSTTStream
from tests.fakes.voice import ScriptedTTS

BOOKING = next(p for p in TRANSCRIPTS if p.name.startswith("01_"))
FRAME = 640  # 20 ms at 16 kHz


class LevelCaller:
    """A caller whose every distinct line is a steady level of its own, 1.5 s long."""

    name = "level caller"
    sample_rate = 16_000

    def __init__(self) -> None:
        self.levels: dict[str, int] = {}

    def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        level = self.levels.setdefault(text, 3000 + 400 * len(self.levels))
        return self._audio(level)

    async def _audio(self, level: int) -> AsyncIterator[AudioChunk]:
        yield AudioChunk(np.full(24_000, level, dtype="<i2").tobytes(), self.sample_rate)

    async def aclose(self) -> None:
        pass


class LevelSTT:
    """Turns by level (louder than -40 dBFS is speech, 400 ms of quiet ends it); the words are
    the caller's line of that loudness, as the caller meant it."""

    name = "level"
    sample_rate = 16_000

    def __init__(self, caller: LevelCaller, lines: list[str]) -> None:
        self.caller = caller
        self.meant = {caller_words(line): line for line in lines}

    async def open_stream(self) -> LevelStream:
        return LevelStream(self)

    async def aclose(self) -> None:
        pass


class LevelStream(QueuedSTTStream):
    def __init__(self, stt: LevelSTT) -> None:
        super().__init__()
        self._stt = stt
        self._ms = 0.0
        self._loud: list[float] = []
        self._quiet_ms = 0.0

    async def push(self, pcm: bytes) -> None:
        for at in range(0, len(pcm) - FRAME + 1, FRAME):
            self._frame(pcm[at : at + FRAME])

    def _frame(self, frame: bytes) -> None:
        self._ms += 20
        if rms_dbfs(frame) > -40:
            if not self._loud:
                self.emit(TurnStarted(self._ms - 20))
            self._loud.append(float(np.median(np.frombuffer(frame, dtype="<i2"))))
            self._quiet_ms = 0.0
        elif self._loud:
            self._quiet_ms += 20
            if self._quiet_ms >= 400:
                self.emit(TurnEnded(self._words(), self._ms, self._ms - 400, 0.9))
                self._loud = []

    def _words(self) -> str:
        level = float(np.median(self._loud))
        said = min(self._stt.caller.levels, key=lambda t: abs(self._stt.caller.levels[t] - level))
        return self._stt.meant.get(said, said)


async def test_a_fast_noisy_replay_barges_in_and_resumes(runtime: Runtime) -> None:
    transcript = load_transcript(BOOKING)
    lines = [turn.user for turn in transcript.turns if turn.user]
    caller = LevelCaller()
    providers = VoiceProviders(
        stt=LevelSTT(caller, lines),
        tts=ScriptedTTS(chunks=50, chunk_ms=40, sample_rate=16_000),  # 2 s a sentence
        caller=lambda _voice: _async(caller),
    )
    options = VoiceReplayOptions(fast=True, noise="hum", noise_db=30, phone_line=True)
    result = await replay_voice_transcript(
        runtime, transcript, source=str(BOOKING), providers=providers, options=options
    )
    assert result.passed, result.failures
    assert result.voice is not None
    assert result.voice.wer == 0.0  # the nods are not the caller's lines
    assert result.voice.barge_ins >= 1
    assert result.voice.resumed == result.voice.barge_ins
    assert NOD in caller.levels
    resumed = [t.reply for t in result.turns if "As I was saying" in t.reply]
    assert len(resumed) == result.voice.resumed


async def _async(caller: LevelCaller) -> LevelCaller:
    return caller
