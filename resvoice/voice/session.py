"""`VoiceSession`: one phone call spoken. Caller audio in, the agent's voice out.

It wraps a core `AgentSession` and owns the call's concurrency: one `asyncio.TaskGroup` per
call. Each reply is an *epoch*: a core task reads the agent's turn stream and cuts its text into
sentences, a speaker task normalises each sentence, synthesises it while the next is generated,
writes the audio and asks the transport for a mark after it. Marks played tell what the caller
actually heard.

Barge-in cancels speech, never captured data: the speaker task is cancelled and awaited, the
transport cleared and the epoch bumped, but the core turn runs on to its end without being
spoken (a booking in flight completes), and only then is its history line cut down to what was
heard (`AgentSession.reply_interrupted`). The next turn starts after that, so it reads a notepad
every earlier tool call has finished writing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, replace
from typing import Any

from resvoice.agent.events import CallEnded
from resvoice.agent.session import AgentSession
from resvoice.voice.barge_in import BargeInPolicy, is_backchannel
from resvoice.voice.call_tasks import CallTasks
from resvoice.voice.core_turn import CoreTurnReader, OpenTurn
from resvoice.voice.event_feed import EventFeed
from resvoice.voice.events import (
    AgentSpeech,
    BargeIn,
    CallerSpeech,
    StateChanged,
    TurnLatency,
    VoiceEvent,
    VoiceState,
)
from resvoice.voice.latency import TurnTimer, latency_summary
from resvoice.voice.push_clock import PushClock
from resvoice.voice.reply import Reply, Speaker
from resvoice.voice.sentences import split_sentences
from resvoice.voice.stt.base import (
    STT,
    EagerEndOfTurn,
    STTEvent,
    STTStream,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Now = Callable[[], float]


@dataclass(frozen=True)
class VoiceConfig:
    eager_replies: bool = False
    """Start the turn's retrieval on `EagerEndOfTurn` (see `resvoice.voice.eager`)."""
    reprompt_after_s: float = 8.0
    """Silence after the agent finished speaking before it asks whether the caller is there."""
    max_reprompts: int = 2
    """Reprompts in a row before a polite goodbye and hang-up."""
    min_barge_in_ms: float = 300.0
    """Caller speech shorter than this never interrupts the agent (coughs, clicks)."""
    backchannel_max_ms: float = 1000.0
    """Speech over the agent with no words recognised yet interrupts once it lasts this long;
    before that, only a recognised word that is not a back-channel ("uh-huh") interrupts."""
    goodbye: str = (
        "I haven't heard from you, so I'll hang up now. Please call us again any time. Goodbye!"
    )
    error_reply: str = "Sorry, I had a problem there. Could you say that again?"
    drain_timeout_s: float = 15.0
    """At hang-up, how long a turn in flight may take to finish writing what it captured."""


class VoiceSession:
    """One call, spoken. `run()` serves it; transports feed `push_audio` and `mark_played`."""

    def __init__(
        self,
        agent: AgentSession,
        stt: STT,
        tts: TTS,
        output: AudioOutput,
        config: VoiceConfig | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        now: Now = time.perf_counter,
    ) -> None:
        self.agent = agent
        self.config = config or VoiceConfig()
        self.state: VoiceState = "idle"
        self._stt = stt
        self._tts = tts
        self._output = output
        self._sleep = sleep
        self._now = now
        self._policy = BargeInPolicy(self.config.min_barge_in_ms, self.config.backchannel_max_ms)
        self._feed = EventFeed()
        self._tasks = CallTasks(on_critical_error=lambda: self._request_hangup("error"))
        self._stream: STTStream | None = None
        self._stream_ready = asyncio.Event()
        self._hangup = asyncio.Event()
        self._closed = asyncio.Event()
        self._end_reason = "hangup"
        self._running = False
        self._epoch = 0
        self._reply: Reply | None = None
        self._core_task: asyncio.Task[None] | None = None
        self._turn_lock = asyncio.Lock()
        self._silence_task: asyncio.Task[None] | None = None
        self._silences = 0
        self._clock = PushClock()
        self._stream_offset_ms = 0.0
        self._prefetch: tuple[str, asyncio.Task[None]] | None = None
        self._errors = {"stt": 0, "tts": 0, "llm": 0}
        self._speaker = Speaker(
            tts,
            output,
            on_sentence=lambda reply, text: self._emit(AgentSpeech(text, reply.epoch)),
            on_first_audio=self._first_audio,
            on_error=lambda: self._count_error("tts"),
        )

    # --- public interface ---------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self._closed.is_set()

    @property
    def epoch(self) -> int:
        return self._epoch

    async def run(self) -> None:
        """Greet, then serve the call until `hangup()`; returns when the call has ended."""
        if self._running or self.ended:
            raise RuntimeError("a VoiceSession runs once")
        self._running = True
        try:
            self._stream = await self._stt.open_stream()
            async with asyncio.TaskGroup() as tg:
                self._tasks.bind(tg)
                self._stream_ready.set()
                reader = self._spawn(self._read_stt())
                self._start_reply(Reply(self._next_epoch(), kind="greeting"), self.agent.start)
                await self._hangup.wait()
                reader.cancel()
                self._disarm_silence()
                self._drop_speculation()
                await self._stop_speaking(barge_in=False)
                if self._core_task is not None:
                    await asyncio.wait([self._core_task], timeout=self.config.drain_timeout_s)
                self._tasks.cancel_pending()
        finally:
            self._tasks.bind(None)
            if self._stream is not None:
                await self._stream.aclose()
            await self._finish()

    async def push_audio(self, pcm: bytes) -> None:
        """Caller audio: PCM16 mono at 16 kHz, any length."""
        if self._hangup.is_set():
            return
        await self._stream_ready.wait()
        assert self._stream is not None
        audio_ms = self._clock.pushed(pcm, self._now())
        await self._stream.push(pcm)
        await self._maybe_barge_in(audio_ms)

    async def typed(self, text: str) -> None:
        """A caller turn given as text (skips recognition)."""
        await self._stream_ready.wait()
        now = self._now()
        self._emit(CallerSpeech(text, final=True))
        await self._caller_turn(text, TurnTimer(speech_end=now, final=now))

    async def dtmf(self, digits: str) -> None:
        await self._stream_ready.wait()
        now = self._now()
        self._silences = 0
        async with self._turn_lock:
            await self._stop_speaking()
            self._start_reply(
                Reply(self._next_epoch(), kind="turn", timer=TurnTimer(now, now)),
                lambda: self.agent.dtmf(digits),
            )

    def mark_played(self, name: str) -> None:
        """The transport played everything written before mark `name`."""
        reply = self._reply
        if reply is None or reply.stopped:
            return
        index = reply.marks.get(name)
        if index is None:
            return
        reply.played = max(reply.played, index + 1)
        self._maybe_done_speaking(reply)

    async def hangup(self, reason: str = "hangup") -> None:
        """End the call: stop speaking, let captured data settle, persist; ends `run()`."""
        self._request_hangup(reason)
        if self._running:
            await self._closed.wait()
        elif not self.ended:
            await self._finish()

    def events(self) -> AsyncIterator[VoiceEvent]:
        """Every event from now on, until the call ends."""
        return self._feed.subscribe()

    # --- caller side --------------------------------------------------------------------------

    async def _read_stt(self) -> None:
        failures = 0
        while not self._hangup.is_set():
            assert self._stream is not None
            try:
                async for event in self._stream.events():
                    await self._on_stt(event)
                return
            except Exception:
                failures += 1
                self._count_error("stt")
                log.exception("stt stream failed", extra={"failures": failures})
                if failures >= 3:
                    self._request_hangup("stt_failed")
                    return
                await self._stream.aclose()
                self._stream = await self._stt.open_stream()
                self._stream_offset_ms = self._clock.audio_ms  # the new stream counts from zero

    async def _on_stt(self, event: STTEvent) -> None:
        at_ms = event.audio_ms + self._stream_offset_ms
        if isinstance(event, TurnStarted):
            self._disarm_silence()
            self._policy.started(at_ms)
        elif isinstance(event, TranscriptUpdate):
            self._policy.heard(event.text, at_ms)
            self._emit(CallerSpeech(event.text, final=False))
        elif isinstance(event, EagerEndOfTurn):
            self._policy.heard(event.text, at_ms)
            self._emit(CallerSpeech(event.text, final=False))
            self._speculate(event.text)
        elif isinstance(event, TurnResumed):
            self._policy.heard(None, at_ms)
            self._drop_speculation()
        if isinstance(event, TurnEnded):
            await self._stt_turn_ended(event)
        else:
            await self._maybe_barge_in(at_ms)

    def _speculate(self, text: str) -> None:
        """Eager end of turn: start the turn's retrieval now (the only part of a turn that is
        safe to run before the caller has surely finished; see the README)."""
        self._drop_speculation()
        idle = self._core_task is None or self._core_task.done()
        talking = self._reply is not None and not self._reply.finished
        if self.config.eager_replies and text.strip() and idle and not talking:
            self._prefetch = (
                text.strip(),
                self._spawn(self.agent.prefetch(text.strip()), critical=False),
            )

    def _drop_speculation(self) -> None:
        if self._prefetch is not None:
            self._prefetch[1].cancel()
            self._prefetch = None

    async def _stt_turn_ended(self, event: TurnEnded) -> None:
        self._policy.ended()
        text = event.text.strip()
        now = self._now()
        self._emit(CallerSpeech(text, final=True))
        talking = self._reply is not None and not self._reply.finished
        if not text or (talking and is_backchannel(text)):
            if not talking and self.state == "listening":
                self._arm_silence()  # noise only: keep waiting for the caller
            return
        speech_end = None
        if event.speech_end_ms is not None:
            speech_end = self._clock.wall_time(event.speech_end_ms + self._stream_offset_ms)
        await self._caller_turn(text, TurnTimer(speech_end=speech_end or now, final=now))

    async def _caller_turn(self, text: str, timer: TurnTimer) -> None:
        self._silences = 0
        async with self._turn_lock:
            self._disarm_silence()
            await self._stop_speaking()
            reply = Reply(self._next_epoch(), kind="turn", timer=timer)
            prefetch, self._prefetch = self._prefetch, None
            if prefetch is not None and prefetch[0] != text.strip():
                prefetch[1].cancel()
            reply.after = prefetch[1] if prefetch is not None else None
            self._start_reply(reply, lambda: self.agent.turn(text))

    async def _maybe_barge_in(self, audio_ms: float) -> None:
        reply = self._reply
        if reply is None or reply.finished or not self._policy.interrupts(audio_ms):
            return
        async with self._turn_lock:
            if self._reply is reply and not reply.finished:
                await self._stop_speaking()

    # --- agent side ---------------------------------------------------------------------------

    def _start_reply(self, reply: Reply, open_turn: OpenTurn | None) -> None:
        self._reply = reply
        self._set_state("processing")
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        previous = self._core_task
        if open_turn is not None:
            reply.core = self._spawn(self._think(reply, previous, open_turn, queue))
            self._core_task = reply.core
        else:
            for sentence in split_sentences(reply.text):
                queue.put_nowait(sentence)
            queue.put_nowait(None)
            reply.core_done = True
        reply.speaker = self._spawn(self._speak(reply, queue))

    async def _think(
        self,
        reply: Reply,
        previous: asyncio.Task[None] | None,
        open_turn: OpenTurn,
        queue: asyncio.Queue[str | None],
    ) -> None:
        """Run one core turn to its end; feed its sentences to the speaker while it is live."""
        waits = [task for task in (previous, reply.after) if task is not None]
        if waits:
            await asyncio.wait(waits)  # one core turn at a time, after its speculative retrieval
        reader = CoreTurnReader(
            reply,
            queue,
            now=self._now,
            emit=self._emit,
            error_reply=self.config.error_reply,
            on_error=lambda: self._count_error("llm"),
        )
        try:
            await reader.read(open_turn)
        finally:
            completed = reader.completed
            if reply.heard is not None:
                await self._settle_interrupted(reply)
                if completed is not None:
                    completed = replace(completed, reply=reply.heard)
            if completed is not None:
                self._emit(completed)

    async def _speak(self, reply: Reply, queue: asyncio.Queue[str | None]) -> None:
        await self._speaker.speak(reply, queue)
        self._maybe_done_speaking(reply)

    def _first_audio(self, reply: Reply) -> None:
        self._set_state("speaking")
        if reply.kind != "turn":
            return
        figures = reply.timer.first_audio(self._now())
        self.agent.state.metadata.setdefault("voice_turns", []).append(figures)
        self._emit(TurnLatency(figures))

    def _maybe_done_speaking(self, reply: Reply) -> None:
        if reply.finished or not reply.all_written or reply.played < len(reply.sentences):
            return
        reply.finished = True
        if reply is not self._reply:
            return
        self._set_state("listening")
        if reply.kind == "goodbye":
            self._request_hangup("silence")
        else:
            self._arm_silence()

    async def _stop_speaking(self, *, barge_in: bool = True) -> None:
        """Barge-in: cancel the live reply's speech, flush the transport, bump the epoch."""
        reply = self._reply
        if reply is None or reply.finished or reply.stopped:
            return
        reply.stopped = True
        if reply.speaker is not None:
            reply.speaker.cancel()
            await asyncio.wait([reply.speaker])
        await self._output.clear()
        reply.heard = " ".join(reply.sentences[: reply.played])
        reply.finished = True
        self._next_epoch()  # anything still carrying the old epoch is now late
        if barge_in:
            self._emit(BargeIn(epoch=reply.epoch, heard=reply.heard))
            log.info("barge-in", extra={"epoch": reply.epoch, "heard_sentences": reply.played})
        self._set_state("listening")
        if reply.core_done:
            await self._settle_interrupted(reply)

    async def _settle_interrupted(self, reply: Reply) -> None:
        """The interrupted turn has finished: its history line becomes what was heard."""
        if reply.settled or reply.heard is None:
            return
        reply.settled = True
        if reply.core is None:
            return  # a fixed line (goodbye), not a core turn
        self.agent.reply_interrupted(reply.heard)
        await self.agent.persist()

    # --- silence ------------------------------------------------------------------------------

    def _arm_silence(self) -> None:
        self._disarm_silence()
        if self._tasks.running and not self._hangup.is_set():
            self._silence_task = self._spawn(self._silence_timer())

    def _disarm_silence(self) -> None:
        if self._silence_task is not None:
            self._silence_task.cancel()
            self._silence_task = None

    async def _silence_timer(self) -> None:
        await self._sleep(self.config.reprompt_after_s)
        self._silence_task = None
        async with self._turn_lock:
            if self._reply is not None and not self._reply.finished:
                return
            self._silences += 1
            if self._silences > self.config.max_reprompts:
                self.agent.said(self.config.goodbye)
                self._start_reply(
                    Reply(self._next_epoch(), kind="goodbye", text=self.config.goodbye), None
                )
            else:
                reply = Reply(self._next_epoch(), kind="reprompt")
                self._start_reply(reply, lambda: self.agent.turn(""))

    # --- plumbing -----------------------------------------------------------------------------

    def _spawn(
        self, work: Coroutine[Any, Any, None], *, critical: bool = True
    ) -> asyncio.Task[None]:
        """A task in the call's TaskGroup (see `CallTasks`)."""
        return self._tasks.spawn(work, critical=critical)

    def _next_epoch(self) -> int:
        self._epoch += 1
        return self._epoch

    def _set_state(self, state: VoiceState) -> None:
        if state != self.state:
            self.state = state
            self._emit(StateChanged(state))

    def _emit(self, event: VoiceEvent) -> None:
        self._feed.publish(event)

    def _count_error(self, kind: str) -> None:
        self._errors[kind] += 1
        self.agent.state.metadata["voice_errors"] = dict(self._errors)

    def _request_hangup(self, reason: str) -> None:
        if not self._hangup.is_set():
            self._end_reason = reason
            self._hangup.set()

    async def _finish(self) -> None:
        if self.ended:
            return
        self._set_state("idle")
        summary = latency_summary(self.agent.state.metadata.get("voice_turns", []))
        if summary:
            self.agent.state.metadata["voice_latency_ms"] = summary
        ended = await self.agent.end(self._end_reason)
        self._emit(CallEnded(reason=ended.reason))
        self._closed.set()
        self._feed.close()
