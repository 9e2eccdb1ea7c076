"""The replayed call's line: what reaches the agent from the caller's side, and its clock.

`CallerLine` is the caller's room and phone: the noise (`NoisyLine`) is mixed into the caller's
voice first and the two then go through the 8 kHz mu-law line together (`PhoneLine`), as a
street or a busy room behind a real caller would. `LineClock` counts the audio the line has
carried, so waits that belong to the call (the resume after a false interruption) run on the
line's time, in real time and in a fast replay alike. `LineSTT` lets a fast replay push the
caller's line only as fast as the recogniser takes it in (`Drainable`), so that what the
recogniser hears over the agent lines up with the agent's audio as it would in real time.
"""

from __future__ import annotations

import asyncio

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.phone_line import PhoneLine
from resvoice.replay.noise import NoisyLine
from resvoice.voice.stt.base import STT, Drainable, STTStream

__all__ = ["CallerLine", "LineClock", "LineSTT"]

_BYTES_PER_MS = INTERNAL_RATE * 2 // 1000


class CallerLine:
    """The caller's frames as the agent receives them: noise mixed in, then the phone line."""

    def __init__(self, noise: NoisyLine | None, *, phone: bool) -> None:
        self.noise = noise
        self._phone = PhoneLine() if phone else None

    def speech(self, pcm: bytes) -> None:
        """The caller's next line (clean): the noise's level is set against it."""
        if self.noise is not None:
            self.noise.speech(pcm)

    def frame(self, pcm: bytes) -> bytes:
        """One frame of the caller's side (speech or silence, PCM16 16 kHz) off the line."""
        if self.noise is not None:
            pcm = self.noise.mix(pcm)
        return self._phone.frame(pcm) if self._phone is not None else pcm


class LineClock:
    """The audio the line has carried, and `sleep` on that clock."""

    def __init__(self) -> None:
        self.ms = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def carried(self, pcm: bytes) -> None:
        """The line carried `pcm`; sleeps it took to their end are over."""
        self.ms += len(pcm) / _BYTES_PER_MS
        for _, future in [s for s in self._sleepers if s[0] <= self.ms]:
            if not future.done():
                future.set_result(None)

    async def sleep(self, seconds: float) -> None:
        """Return once the line has carried `seconds` more audio."""
        if seconds <= 0:
            return
        sleeper = (self.ms + seconds * 1000, asyncio.get_running_loop().create_future())
        self._sleepers.append(sleeper)
        try:
            await sleeper[1]
        finally:
            self._sleepers.remove(sleeper)


class LineSTT:
    """One call's view of the shared recogniser that remembers its stream, so the replay can
    wait until the recogniser has taken in the audio pushed so far (`drained`). The runtime
    owns the recogniser; closing this closes nothing."""

    def __init__(self, stt: STT) -> None:
        self._stt = stt
        self.name = stt.name
        self.sample_rate = stt.sample_rate
        self._stream: STTStream | None = None

    async def open_stream(self) -> STTStream:
        self._stream = await self._stt.open_stream()
        return self._stream

    async def drained(self) -> None:
        """The recogniser took in every audio pushed so far, and the session has had its turn
        at what it heard (a recogniser that cannot tell: the session's turn only)."""
        if isinstance(self._stream, Drainable):
            await self._stream.drained()
        for _ in range(3):  # the session reads the recogniser's events on its own task
            await asyncio.sleep(0)

    async def aclose(self) -> None:
        pass
