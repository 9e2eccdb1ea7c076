"""The `TTS` protocol: text in, a stream of PCM16 audio chunks out.

The voice session hands TTS one sentence at a time, already normalised for speech
(`resvoice.language.speakable`), and plays chunks as they arrive; cancelling the iteration
(barge-in) must stop synthesis promptly. Providers run blocking engines off the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AudioChunk:
    """PCM16 mono little-endian samples at `sample_rate`."""

    pcm: bytes
    sample_rate: int

    @property
    def duration_ms(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate * 1000


class TTS(Protocol):
    """A speech synthesiser; one instance serves every call of a process."""

    name: str
    sample_rate: int

    def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        """Speak one sentence; chunks arrive as soon as they are made."""
        ...

    async def aclose(self) -> None: ...
