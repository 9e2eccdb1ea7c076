"""One reply of a voice call (an epoch), and the stage that speaks it.

`ReplySpeaker.speak` takes a reply's sentences (by their index in `Reply.produced`) from a queue
as the core turn produces them, normalises each for speech, synthesises it (while the next one
is being generated), converts it to the transport's rate, writes it and asks for a mark after
it. The mark goes right after the sentence's last word, before the silence a synthesiser pads
it with (written after the mark): a mark played means the caller heard every word of the
sentence, so speech over that silence neither drops the sentence from what was heard nor has
it said again. Cancelling `speak` (barge-in) closes the TTS stream at once; nothing is written
after that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from resvoice.audio.level import voiced_length
from resvoice.audio.resample import Resampler
from resvoice.language.speakable import speakable
from resvoice.voice.latency import TurnTimer
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a reply; `protected` ones are not cut off by caller speech."""

    text: str
    protected: bool = False


@dataclass(eq=False)
class Reply:
    """One epoch: a greeting, a reply to a caller turn, a reprompt, a resumed sentence or the
    goodbye."""

    epoch: int
    kind: str  # greeting | turn | reprompt | resume | goodbye
    text: str = ""  # a fixed line (goodbye)
    timer: TurnTimer = field(default_factory=TurnTimer)
    core: asyncio.Task[None] | None = None
    speaker: asyncio.Task[None] | None = None
    after: asyncio.Task[None] | None = None  # a speculative retrieval this turn reuses
    produced: list[Sentence] = field(default_factory=list)  # every sentence, spoken or not
    sentences: list[str] = field(default_factory=list)  # written to the output, in order
    sources: list[int] = field(default_factory=list)  # index in `produced` of each written one
    protected: set[int] = field(default_factory=set)  # indices in `sentences`
    current: int | None = None  # index in `produced` of the sentence being synthesised
    marks: dict[str, int] = field(default_factory=dict)  # mark name -> sentence index
    played: int = 0  # sentences whose marks were played
    audio_started: bool = False
    all_written: bool = False
    core_done: bool = False
    stopped: bool = False  # barged in
    finished: bool = False  # played to the end, or barged in
    heard: str | None = None  # set on barge-in
    resume_from: int | None = None  # set on barge-in: index in `produced` of the cut sentence
    settled: bool = False

    @property
    def protected_now(self) -> bool:
        """Whether what the caller hears at this moment is protected speech: the first written
        sentence whose mark has not been played, or else the one being synthesised."""
        if self.finished:
            return False
        if self.played < len(self.sentences):
            return self.played in self.protected
        return self.current is not None and self.produced[self.current].protected

    @property
    def cut_at(self) -> int | None:
        """Index in `produced` of the first sentence the caller did not hear whole."""
        if self.played < len(self.sources):
            return self.sources[self.played]
        return self.current


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

    async def speak(self, reply: Reply, queue: asyncio.Queue[int | None]) -> None:
        """Each sentence as it comes, a mark after each, until the queue's `None`. A sentence
        the TTS fails on is skipped (and counted); the reply goes on."""
        while (index := await queue.get()) is not None:
            sentence = reply.produced[index]
            text = speakable(sentence.text)
            if not text.strip():
                continue
            reply.current = index
            self._on_sentence(reply, sentence.text)
            try:
                silence = await self._synthesize(reply, text)
            except Exception:
                self._on_error()
                log.exception("tts failed", extra={"epoch": reply.epoch})
                continue
            finally:
                reply.current = None
            name = f"e{reply.epoch}-{len(reply.sentences)}"
            reply.marks[name] = len(reply.sentences)
            if sentence.protected:
                reply.protected.add(len(reply.sentences))
            reply.sources.append(index)
            reply.sentences.append(sentence.text)
            await self._output.mark(name)
            if silence:
                await self._output.write(silence)  # after the mark: no word of the sentence
        reply.all_written = True

    async def _synthesize(self, reply: Reply, text: str) -> bytes:
        """Write the sentence's audio as it comes, all but the silence after its last word:
        that is held back and returned, to go after the sentence's mark."""
        resampler: Resampler | None = None
        words = _WordsFirst(self._output)
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
                await words.write(pcm)
        tail = resampler.flush() if resampler is not None else b""
        if tail:
            await words.write(tail)
        return words.held


class _WordsFirst:
    """One sentence's audio on its way to the output, the silence after its last word so far
    held back (`held`): more words may follow it (a pause), or it ends the sentence. Silence
    before the first word is written at once, and so is a sentence with no word in it at all."""

    def __init__(self, output: AudioOutput) -> None:
        self._output = output
        self._voiced = False
        self.held = b""

    async def write(self, pcm: bytes) -> None:
        end = voiced_length(pcm)
        if end:
            self._voiced = True
            pcm, self.held = self.held + pcm[:end], pcm[end:]
            await self._output.write(pcm)
        elif self._voiced:
            self.held += pcm
        else:
            await self._output.write(pcm)


@asynccontextmanager
async def closing(stream: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    """`aclosing` for any async iterator: a cancelled reply closes its provider stream at once."""
    try:
        yield stream
    finally:
        close = getattr(stream, "aclose", None)
        if close is not None:
            await close()
