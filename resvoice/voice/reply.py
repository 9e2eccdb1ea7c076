"""One reply of a voice call (an epoch), and the stage that speaks it.

`ReplySpeaker.speak` takes a reply's sentences from a queue as the core turn produces them,
normalises each for speech, synthesises it (while the next one is being generated), converts it
to the transport's rate, writes it and asks for a mark after it. Cancelling `speak` (barge-in)
closes the TTS stream at once; nothing is written after that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from resvoice.audio.resample import Resampler
from resvoice.language.speakable import speakable
from resvoice.voice.latency import TurnTimer
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(eq=False)
class Reply:
    """One epoch: a greeting, a reply to a caller turn, a reprompt or the goodbye."""

    epoch: int
    kind: str  # greeting | turn | reprompt | goodbye
    text: str = ""  # a fixed line (goodbye)
    timer: TurnTimer = field(default_factory=TurnTimer)
    core: asyncio.Task[None] | None = None
    speaker: asyncio.Task[None] | None = None
    after: asyncio.Task[None] | None = None  # a speculative retrieval this turn reuses
    sentences: list[str] = field(default_factory=list)  # written to the output, in order
    marks: dict[str, int] = field(default_factory=dict)  # mark name -> sentence index
    played: int = 0  # sentences whose marks were played
    audio_started: bool = False
    all_written: bool = False
    core_done: bool = False
    stopped: bool = False  # barged in
    finished: bool = False  # played to the end, or barged in
    heard: str | None = None  # set on barge-in
    settled: bool = False


class ReplySpeaker:
    """Speaks replies through one TTS to one transport."""

    def __init__(
        self,
        tts: TTS,
        output: AudioOutput,
        *,
        on_sentence: Callable[[Reply, str], None],
        on_first_audio: Callable[[Reply], None],
        on_error: Callable[[], None],
    ) -> None:
        self._tts = tts
        self._output = output
        self._on_sentence = on_sentence
        self._on_first_audio = on_first_audio
        self._on_error = on_error

    async def speak(self, reply: Reply, queue: asyncio.Queue[str | None]) -> None:
        """Each sentence as it comes, a mark after each, until the queue's `None`. A sentence
        the TTS fails on is skipped (and counted); the reply goes on."""
        while (sentence := await queue.get()) is not None:
            text = speakable(sentence)
            if not text.strip():
                continue
            self._on_sentence(reply, sentence)
            try:
                await self._synthesize(reply, text)
            except Exception:
                self._on_error()
                log.exception("tts failed", extra={"epoch": reply.epoch})
                continue
            name = f"e{reply.epoch}-{len(reply.sentences)}"
            reply.marks[name] = len(reply.sentences)
            reply.sentences.append(sentence)
            await self._output.mark(name)
        reply.all_written = True

    async def _synthesize(self, reply: Reply, text: str) -> None:
        resampler: Resampler | None = None
        async with closing(self._tts.synthesize(text)) as chunks:
            async for chunk in chunks:
                if resampler is None:
                    resampler = Resampler(chunk.sample_rate, self._output.sample_rate)
                pcm = resampler.process(chunk.pcm)
                if not pcm:
                    continue
                if not reply.audio_started:
                    reply.audio_started = True
                    self._on_first_audio(reply)
                await self._output.write(pcm)
        tail = resampler.flush() if resampler is not None else b""
        if tail:
            await self._output.write(tail)


@asynccontextmanager
async def closing(stream: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    """`aclosing` for any async iterator: a cancelled reply closes its provider stream at once."""
    try:
        yield stream
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()
