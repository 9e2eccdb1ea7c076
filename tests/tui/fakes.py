"""Audio fakes for driving `resvoice talk` in voice mode without a sound card.

- `FeedMic`: a `MicSource` the test feeds (say, a speech WAV); `drained()` waits until the app
  has taken every frame.
- `VadSTT`: a recogniser that hears turns in the pushed audio with the real Silero VAD, and
  takes the words of each turn from a script (a stand-in for Whisper, which this test does not
  need: it checks that audio from the microphone drives turns and barge-in).
The speaker side is the app's own `PlaybackQueue`; the test plays it like a sound card would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.voice.stt.base import TranscriptUpdate, TurnEnded, TurnStarted
from resvoice.voice.stt.vad import (
    FRAME_MS,
    FRAME_SAMPLES,
    SileroVAD,
    SpeechEnd,
    SpeechStart,
    VADSegmenter,
    VADState,
)
from tests.fakes.stt_queue import QueuedSTTStream


class FeedMic:
    """Microphone frames (20 ms) the test feeds in; the app pulls them as from a real mic."""

    sample_rate = INTERNAL_RATE

    def __init__(self) -> None:
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._taken = 0
        self._fed = 0
        self._changed = asyncio.Condition()

    async def feed(self, pcm: bytes) -> None:
        for frame in frames(pcm, INTERNAL_RATE, 20):
            self._fed += 1
            self._queue.put_nowait(frame)

    async def drained(self) -> None:
        """Until the app has taken every frame fed so far and come back for more."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._taken >= self._fed)

    async def frames(self) -> AsyncIterator[bytes]:
        while (frame := await self._queue.get()) is not None:
            yield frame
            self._taken += 1
            async with self._changed:
                self._changed.notify_all()

    async def aclose(self) -> None:
        self._queue.put_nowait(None)


class VadSTTStream(QueuedSTTStream):
    def __init__(self, vad: SileroVAD, script: list[str]) -> None:
        super().__init__()
        self._vad = vad
        self._state = VADState()
        self._segmenter = VADSegmenter(frame_ms=FRAME_MS)
        self._script = script
        self._buffer = b""
        self.pushed = 0  # bytes of audio received

    async def push(self, pcm: bytes) -> None:
        self.pushed += len(pcm)
        self._buffer += pcm
        size = FRAME_SAMPLES * 2
        whole = len(self._buffer) - len(self._buffer) % size
        chunk, self._buffer = self._buffer[:whole], self._buffer[whole:]
        if not chunk:
            return
        for probability in await asyncio.to_thread(self._vad.probabilities, self._state, chunk):
            for event in self._segmenter.push(probability):
                self._on_vad(event)

    def _on_vad(self, event: object) -> None:
        words = self._script[0] if self._script else ""
        if isinstance(event, SpeechStart):
            self.emit(TurnStarted(event.onset_ms))
            self.emit(TranscriptUpdate(" ".join(words.split()[:3]), event.at_ms))
        elif isinstance(event, SpeechEnd) and event.confirmed:
            text = self._script.pop(0) if self._script else ""
            self.emit(TurnEnded(text, event.at_ms, speech_end_ms=event.speech_end_ms))


class VadSTT:
    name = "vad-scripted"
    sample_rate = INTERNAL_RATE

    def __init__(self, script: list[str]) -> None:
        self._vad = SileroVAD()
        self._script = script
        self.streams: list[VadSTTStream] = []

    async def open_stream(self) -> VadSTTStream:
        self.streams.append(VadSTTStream(self._vad, self._script))
        return self.streams[-1]

    async def aclose(self) -> None:
        pass
