"""Scripted voice providers for tests of anything that drives a `VoiceSession`.

Everything here is deterministic and driven by the test through events and gates, never sleeps:
- `ScriptedSTT`: the test sends recogniser events; `send()` returns once the session has
  handled the event (the session asked for the next one).
- `ScriptedTTS`: each synthesised sentence is numbered and its samples carry that number, so a
  test can tell which sentence any written audio belongs to; `gate` holds synthesis mid-sentence.
- `RecordingOutput`: records writes, marks and clears; plays (reports marks) at once or when the
  test calls `play()`.
- `ManualTimer`: an injectable `sleep` whose time only moves on `advance()`.
- `EventLog`: a subscription to a session's events that a test can wait on.
- `ScriptedBrain`: a brain that streams scripted replies, optionally held at an event.
A recogniser that finds turns in real audio frames is `tests.fakes.oracle_stt.OracleSTT`.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from resvoice.voice.events import VoiceEvent
from resvoice.voice.session import VoiceSession
from resvoice.voice.stt.base import STTEvent, TranscriptUpdate, TurnEnded, TurnStarted
from resvoice.voice.tts.base import AudioChunk
from tests.fakes.stt_queue import QueuedSTTStream

E = TypeVar("E")


class _Waitable:
    def __init__(self) -> None:
        self._changed = asyncio.Condition()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def until(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate()` holds (re-checked whenever this fake changes)."""
        async with self._changed:
            await self._changed.wait_for(predicate)


class ScriptedSTTStream(QueuedSTTStream, _Waitable):
    def __init__(self) -> None:
        super().__init__()
        self.audio = bytearray()
        self.closed = False
        self._sent = 0
        self._handled_count = 0

    async def push(self, pcm: bytes) -> None:
        self.audio += pcm

    async def aclose(self) -> None:
        self.closed = True
        await super().aclose()

    async def send(self, event: STTEvent) -> None:
        """Deliver one event and return once the session has handled it."""
        self._sent += 1
        wanted = self._sent
        self.emit(event)
        await self.until(lambda: self._handled_count >= wanted)

    async def _handled(self) -> None:
        self._handled_count += 1
        await self._notify()


class ScriptedSTT(_Waitable):
    """An `STT` whose events the test sends. `at_ms` is the fake audio clock."""

    name = "scripted"
    sample_rate = 16_000

    def __init__(self) -> None:
        super().__init__()
        self.streams: list[ScriptedSTTStream] = []
        self._at_ms = 0.0

    @property
    def at_ms(self) -> float:
        """Never behind the audio the session pushed (both count from the call's start)."""
        pushed = sum(len(stream.audio) for stream in self.streams) / 32
        return max(self._at_ms, pushed)

    @at_ms.setter
    def at_ms(self, value: float) -> None:
        self._at_ms = value

    @property
    def stream(self) -> ScriptedSTTStream:
        return self.streams[-1]

    async def open_stream(self) -> ScriptedSTTStream:
        self.streams.append(ScriptedSTTStream())
        await self._notify()
        return self.stream

    async def opened(self, count: int = 1) -> ScriptedSTTStream:
        await self.until(lambda: len(self.streams) >= count)
        return self.stream

    async def aclose(self) -> None:
        pass

    async def start(self) -> None:
        await self.stream.send(TurnStarted(self.at_ms))

    async def partial(self, text: str, ms: float) -> None:
        self.at_ms += ms
        await self.stream.send(TranscriptUpdate(text, self.at_ms))

    async def end(self, text: str, ms: float = 0, *, confidence: float | None = None) -> None:
        self.at_ms += ms
        await self.stream.send(TurnEnded(text, self.at_ms, self.at_ms, confidence))

    async def say(self, text: str, ms: float = 1200) -> None:
        """A whole caller turn: onset, a partial half way, the end."""
        await self.start()
        words = text.split()
        await self.partial(" ".join(words[: max(1, len(words) // 2)]), ms / 2)
        await self.end(text, ms / 2)


class ScriptedTTS(_Waitable):
    """Each sentence becomes `chunks` chunks of `chunk_ms`; every sample of sentence n (1-based,
    in synthesis order) has the value `level` + n: quiet by default, words with a `level` above
    the silence floor (`resvoice.audio.level.SILENCE_PEAK`), then `silence_ms` of digital
    silence as a real synthesiser pads a sentence with. While `gate` is set to an unset event,
    synthesis stops after each sentence's first chunk until it is set."""

    name = "scripted"

    def __init__(
        self,
        sample_rate: int = 16_000,
        chunks: int = 3,
        chunk_ms: int = 20,
        *,
        level: int = 0,
        silence_ms: int = 0,
    ) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.chunks = chunks
        self.chunk_ms = chunk_ms
        self.level = level
        self.silence_ms = silence_ms
        self.spoken: list[str] = []
        self.gate: asyncio.Event | None = None
        self.held = 0  # syntheses waiting at the gate now
        self.closed_streams = 0
        self.fail_on: str | None = None

    def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        return self._synthesize(text)

    async def _synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        self.spoken.append(text)
        number = len(self.spoken)
        samples = self.sample_rate * self.chunk_ms // 1000
        try:
            for index in range(self.chunks):
                if self.fail_on is not None and self.fail_on in text:
                    raise RuntimeError("synthesis failed")
                if index > 0 and self.gate is not None and not self.gate.is_set():
                    self.held += 1
                    await self._notify()
                    try:
                        await self.gate.wait()
                    finally:
                        self.held -= 1
                yield AudioChunk(struct.pack("<h", self.level + number) * samples, self.sample_rate)
            if self.silence_ms:
                silence = bytes(2 * (self.sample_rate * self.silence_ms // 1000))
                yield AudioChunk(silence, self.sample_rate)
        finally:
            self.closed_streams += 1

    def sentence_of(self, pcm: bytes) -> str:
        """Which synthesised sentence this audio came from."""
        (value,) = struct.unpack("<h", pcm[:2])
        return self.spoken[int(value) - self.level - 1]

    async def aclose(self) -> None:
        pass


class RecordingOutput(_Waitable):
    """An `AudioOutput` that records everything. With `auto_play` every mark is reported played
    as soon as it is asked for; otherwise the test plays queued audio with `play()`."""

    def __init__(self, sample_rate: int = 16_000, *, auto_play: bool = True) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.auto_play = auto_play
        self.on_mark: Callable[[str], None] | None = None
        self.log: list[tuple[str, Any]] = []  # ("write", pcm) | ("mark", name) | ("clear", None)
        self.queued: list[tuple[str, Any]] = []
        self.played = bytearray()

    async def write(self, pcm: bytes) -> None:
        self.log.append(("write", pcm))
        self.queued.append(("write", pcm))
        await self._notify()

    async def mark(self, name: str) -> None:
        self.log.append(("mark", name))
        self.queued.append(("mark", name))
        if self.auto_play:
            self.play()
        await self._notify()

    async def clear(self) -> None:
        self.log.append(("clear", None))
        self.queued.clear()
        await self._notify()

    def play(self, marks: int | None = None, *, ms: float | None = None) -> None:
        """Play queued audio in order, reporting marks; stop after `marks` marks if given, or
        once `ms` of audio has been played (a mark right after that audio is reported: all
        the audio before it was played)."""
        budget = None if ms is None else 2 * int(self.sample_rate * ms / 1000)
        while self.queued and marks != 0:
            kind, payload = self.queued[0]
            if kind == "write":
                if budget == 0:
                    break
                if budget is not None and len(payload) > budget:
                    payload, rest = payload[:budget], payload[budget:]
                    self.queued[0] = ("write", rest)
                else:
                    self.queued.pop(0)
                if budget is not None:
                    budget -= len(payload)
                self.played += payload
            else:
                self.queued.pop(0)
                if marks is not None:
                    marks -= 1
                if self.on_mark is not None:
                    self.on_mark(payload)

    @property
    def marks(self) -> list[str]:
        return [payload for kind, payload in self.log if kind == "mark"]

    def writes_after(self, index: int) -> list[bytes]:
        return [payload for kind, payload in self.log[index:] if kind == "write"]

    def pending_marks(self) -> int:
        return sum(1 for kind, _ in self.queued if kind == "mark")


class ManualTimer(_Waitable):
    """An injectable `sleep`: sleepers wake only when the test advances the time."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (self.now + seconds, future)
        self._sleepers.append(entry)
        await self._notify()
        try:
            await future
        finally:
            self._sleepers.remove(entry)

    @property
    def sleeping(self) -> int:
        return sum(1 for _, future in self._sleepers if not future.done())

    async def advance(self, seconds: float) -> None:
        """Move time on, wake every sleeper now due, and let them run."""
        self.now += seconds
        for deadline, future in list(self._sleepers):
            if deadline <= self.now and not future.done():
                future.set_result(None)
        await asyncio.sleep(0)  # yield once so woken sleepers resume


class EventLog(_Waitable):
    """Every event of a session from subscription on; wait for the ones a test expects."""

    def __init__(self, session: VoiceSession) -> None:
        super().__init__()
        self.events: list[VoiceEvent] = []
        self._stream = session.events()
        self._task = asyncio.get_running_loop().create_task(self._collect())

    async def _collect(self) -> None:
        async for event in self._stream:
            self.events.append(event)
            await self._notify()

    def of(self, kind: type[E]) -> list[E]:
        return [event for event in self.events if isinstance(event, kind)]

    async def wait_for(
        self, kind: type[E], predicate: Callable[[E], bool] = lambda _: True, *, count: int = 1
    ) -> E:
        """The `count`-th event of `kind` matching `predicate` (waits until it exists)."""

        def found() -> bool:
            return len([e for e in self.of(kind) if predicate(e)]) >= count

        await self.until(found)
        return [e for e in self.of(kind) if predicate(e)][count - 1]

    async def close(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


class ScriptedBrain:
    """A `Brain` that answers turn n with `replies[n]` (the greeting is turn 0), streamed as
    deltas. An `asyncio.Event` in a reply holds the stream there until it is set; a
    `TextDelta` is yielded as it is (a protected piece). Records the history each turn saw."""

    name = "scripted"

    def __init__(self, replies: list[list[Any]]) -> None:
        self.replies = replies
        self.histories: list[list[tuple[str, str]]] = []

    async def respond(self, turn: Any, context: Any) -> AsyncIterator[Any]:
        from resvoice.agent.events import TextDelta

        self.histories.append([(line.role, line.text) for line in context.history])
        index = len(self.histories) - 1
        for piece in self.replies[index] if index < len(self.replies) else ["Okay."]:
            if isinstance(piece, asyncio.Event):
                await piece.wait()
            elif isinstance(piece, TextDelta):
                yield piece
            else:
                yield TextDelta(piece)
