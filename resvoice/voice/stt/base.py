"""The `STT` protocol: a streaming recogniser with its own turn detection.

A call opens one `STTStream`, pushes PCM16 mono audio at `STT.sample_rate` as it arrives and
reads `STTEvent`s. Every provider (Deepgram Flux, Whisper + Silero VAD, test fakes) maps its own
wire format onto these events in its own module; nothing else knows those formats.

Event order within one caller turn:
    TurnStarted -> TranscriptUpdate* -> (EagerEndOfTurn -> (TurnResumed | TurnEnded))* -> TurnEnded
`TurnStarted` is the speech onset that drives barge-in; `TurnEnded.text` is the final words.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class TurnStarted:
    """The caller started speaking (speech onset). `audio_ms`: position in the pushed audio."""

    audio_ms: float


@dataclass(frozen=True)
class TranscriptUpdate:
    """Partial words of the current turn so far (replaces, not appends to, the previous one)."""

    text: str
    audio_ms: float


@dataclass(frozen=True)
class EagerEndOfTurn:
    """The caller has probably finished; a reply may start speculatively."""

    text: str
    audio_ms: float


@dataclass(frozen=True)
class TurnResumed:
    """The caller kept talking after an `EagerEndOfTurn`: drop the speculative reply."""

    audio_ms: float


@dataclass(frozen=True)
class TurnEnded:
    """The caller finished a turn. `speech_end_ms` is where speech stopped in the pushed audio
    (before the end-of-turn silence), for latency accounting; empty text means noise only."""

    text: str
    audio_ms: float
    speech_end_ms: float | None = None
    confidence: float | None = None


STTEvent = TurnStarted | TranscriptUpdate | EagerEndOfTurn | TurnResumed | TurnEnded


class STTStream(Protocol):
    """One call's recognition stream."""

    async def push(self, pcm: bytes) -> None:
        """Queue PCM16 mono audio at the provider's `sample_rate`; any length, never blocks
        for recognition."""
        ...

    async def end_input(self) -> None:
        """No more audio: finish any turn in progress (a pending `TurnEnded` is emitted)."""
        ...

    def events(self) -> AsyncIterator[STTEvent]:
        """Recognition events in order; ends after `end_input()` or `aclose()`."""
        ...

    async def aclose(self) -> None:
        """Stop at once and release the connection or worker."""
        ...


@runtime_checkable
class Drainable(Protocol):
    """An `STTStream` that can tell when it has taken in every audio pushed so far, so that a
    replay pushing faster than real time keeps the line's clock with the recogniser's."""

    async def drained(self) -> None:
        """Return once every audio pushed so far has been through turn detection."""
        ...


class STT(Protocol):
    """A speech recogniser; one instance serves every call of a process."""

    name: str
    sample_rate: int

    async def open_stream(self) -> STTStream: ...

    async def aclose(self) -> None: ...
