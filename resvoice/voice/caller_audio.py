"""The caller's audio into recognition: one STT stream per call, reopened when it fails, and one
audio clock for the whole call.

A reopened stream counts its audio from zero; positions it reports are moved onto the call's
clock (`position`), and `heard_at` turns such a position into the wall time its audio reached us,
which turn latency counts from.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from resvoice.voice.push_clock import PushClock
from resvoice.voice.stt.base import STT, STTEvent, STTStream
from resvoice.voice.stt.hints import ANYTHING, Hintable, Listening

log = logging.getLogger(__name__)

MAX_FAILURES = 3
"""Stream failures in one call before recognition gives up (and the call ends)."""


class CallerAudio:
    """Pushes caller audio to the call's STT stream and reads its events back."""

    def __init__(self, stt: STT, *, now: Callable[[], float], on_error: Callable[[], None]) -> None:
        self._stt = stt
        self._now = now
        self._on_error = on_error
        self._clock = PushClock()
        self._stream: STTStream | None = None
        self._offset_ms = 0.0  # the call's audio before the current stream opened
        self._hint = ANYTHING

    async def open(self) -> None:
        self._stream = await self._stt.open_stream()

    def listen_for(self, hint: Listening) -> None:
        """Tell the recogniser what the caller's next turn answers, when it can use that
        (`Hintable`; a reopened stream is told again); a no-op for the others."""
        self._hint = hint
        if isinstance(self._stream, Hintable):
            self._stream.listen_for(hint)

    async def push(self, pcm: bytes) -> float:
        """PCM16 mono 16 kHz audio to the recogniser; the call's audio so far, in ms."""
        assert self._stream is not None, "open() first"
        audio_ms = self._clock.pushed(pcm, self._now())
        await self._stream.push(pcm)
        return audio_ms

    async def read(
        self, handle: Callable[[STTEvent], Awaitable[None]], *, until: asyncio.Event
    ) -> bool:
        """Hand every event to `handle` until the stream ends or `until` is set, reopening the
        stream after a failure; False when recognition failed `MAX_FAILURES` times."""
        failures = 0
        while not until.is_set():
            assert self._stream is not None
            try:
                async for event in self._stream.events():
                    await handle(event)
                return True
            except Exception:
                failures += 1
                self._on_error()
                log.exception("stt stream failed", extra={"failures": failures})
                if failures >= MAX_FAILURES:
                    return False
                await self._stream.aclose()
                self._stream = await self._stt.open_stream()
                self.listen_for(self._hint)
                self._offset_ms = self._clock.audio_ms  # the new stream counts from zero
        return True

    def position(self, stream_ms: float) -> float:
        """A position the current stream reported, on the call's audio clock."""
        return stream_ms + self._offset_ms

    def heard_at(self, stream_ms: float) -> float | None:
        """When the audio at the current stream's `stream_ms` reached us (wall time)."""
        return self._clock.wall_time(self.position(stream_ms))

    async def aclose(self) -> None:
        if self._stream is not None:
            await self._stream.aclose()
