"""`NullSTT`: no speech recognition (`--stt none`): audio is accepted and ignored, and turns
come only as typed text or DTMF."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from resvoice.audio import INTERNAL_RATE
from resvoice.voice.stt.base import STTEvent

__all__ = ["NullSTT"]


class NullSTT:
    """The `STT` protocol that hears nothing."""

    name = "none"
    sample_rate = INTERNAL_RATE

    async def open_stream(self) -> _NullStream:
        return _NullStream()

    async def aclose(self) -> None:
        """Nothing to release."""


class _NullStream:
    def __init__(self) -> None:
        self._ended = asyncio.Event()

    async def push(self, pcm: bytes) -> None:
        """Ignored."""

    async def end_input(self) -> None:
        self._ended.set()

    async def events(self) -> AsyncIterator[STTEvent]:
        await self._ended.wait()
        return
        yield  # an async generator that yields nothing

    async def aclose(self) -> None:
        self._ended.set()
