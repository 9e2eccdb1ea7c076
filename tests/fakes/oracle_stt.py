"""An `STT` that really listens for speech but takes the words from a script.

Turn detection runs on the audio it is given (20 ms frames, RMS level against a threshold), so
onsets, barge-ins and ends of turn come from what the caller actually sent down the wire; the
text of each turn is the next line of the script (a perfect recogniser); a line of None is a
turn it misses entirely (no event at all, as a VAD that lets a short "Yep" pass). `latency_s` delays
each final transcript like a real provider would.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable

from resvoice.audio.level import rms_dbfs
from resvoice.voice.stt.base import STTEvent, TranscriptUpdate, TurnEnded, TurnStarted
from tests.fakes.stt_queue import QueuedSTTStream

RATE = 16_000
FRAME = RATE * 20 // 1000 * 2  # bytes in 20 ms of PCM16


class OracleSTT:
    """Hears turns by level; each turn's words are the next line of `script`.

    Args:
        script: the words of each turn, in order (None: a turn not heard at all).
        threshold_dbfs: a frame louder than this is speech; `-math.inf` for any sound at all.
        end_silence_ms: silence that ends a turn.
        partial_after_ms: speech before the turn's one partial transcript (its first two
            words); `math.inf` for none.
        latency_s: how late each final transcript comes.
    """

    name = "oracle"
    sample_rate = RATE

    def __init__(
        self,
        script: Iterable[str | None] = (),
        *,
        threshold_dbfs: float = -40.0,
        end_silence_ms: float = 400.0,
        partial_after_ms: float = 200.0,
        latency_s: float = 0.0,
    ) -> None:
        self.script = tuple(script)  # every stream (call) hears the same lines in order
        self.threshold = threshold_dbfs
        self.end_silence_ms = end_silence_ms
        self.partial_after_ms = partial_after_ms
        self.latency_s = latency_s
        self.streams: list[OracleStream] = []

    async def open_stream(self) -> OracleStream:
        stream = OracleStream(self)
        self.streams.append(stream)
        return stream

    async def aclose(self) -> None:
        pass


class OracleStream(QueuedSTTStream):
    def __init__(self, stt: OracleSTT) -> None:
        super().__init__()
        self._stt = stt
        self._buffer = b""
        self._ms = 0.0
        self._speech_ms = 0.0  # length of the current turn's speech so far
        self._silence_ms = 0.0
        self._in_turn = False
        self._partial_sent = False
        self._text: str | None = ""
        self._script = deque(stt.script)
        self._tasks: set[asyncio.Task[None]] = set()
        self.frames = 0

    async def push(self, pcm: bytes) -> None:
        self._buffer += pcm
        while len(self._buffer) >= FRAME:
            frame, self._buffer = self._buffer[:FRAME], self._buffer[FRAME:]
            self._frame(frame)

    def _frame(self, frame: bytes) -> None:
        self.frames += 1
        self._ms += 20
        loud = rms_dbfs(frame) > self._stt.threshold
        if not self._in_turn:
            if loud:
                self._in_turn, self._speech_ms, self._silence_ms = True, 20.0, 0.0
                self._partial_sent = False
                self._text = self._script.popleft() if self._script else ""
                if self._text is not None:
                    self.emit(TurnStarted(self._ms - 20))
            return
        if self._text is None:  # a turn missed: its end passes unnoticed too
            self._silence_ms = 0.0 if loud else self._silence_ms + 20
            if self._silence_ms >= self._stt.end_silence_ms:
                self._in_turn = False
            return
        if loud:
            self._speech_ms += 20 + self._silence_ms
            self._silence_ms = 0.0
            if not self._partial_sent and self._speech_ms >= self._stt.partial_after_ms:
                self._partial_sent = True
                first = " ".join(self._text.split()[:2])
                self.emit(TranscriptUpdate(first, self._ms))
            return
        self._silence_ms += 20
        if self._silence_ms >= self._stt.end_silence_ms:
            self._in_turn = False
            end = TurnEnded(self._text, self._ms, speech_end_ms=self._ms - self._silence_ms)
            if self._stt.latency_s:
                task = asyncio.get_running_loop().create_task(self._later(end))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            else:
                self.emit(end)

    async def _later(self, event: STTEvent) -> None:
        await asyncio.sleep(self._stt.latency_s)
        self.emit(event)

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        await super().aclose()
