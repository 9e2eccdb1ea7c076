"""`VoiceSession`: one phone call spoken. Caller audio in, the agent's voice out.

It wraps a core `AgentSession` and owns the call's concurrency: one `asyncio.TaskGroup` per
call (`CallTasks`). The session is the call's state machine and its caller side: it turns what
the recogniser hears (`CallerAudio`) into caller turns, barge-ins and speculative retrieval,
and reprompts a silent caller (`Reprompts`). Each reply is an *epoch* run by the `Playout`: a
core task reads the agent's turn stream and cuts its text into sentences, a speaker task speaks
them, and marks played tell what the caller actually heard.

Protected speech (a read-back) is never cut off: speech over it is held and answered once it
has been played. A barge-in that no real turn follows within `resume_after_s` (the recogniser
heard nothing, only back-channels, or noise) was a false interruption: the agent resumes from
the start of the sentence it was cut off in (`Resumption`).

Barge-in cancels speech, never captured data: the interrupted core turn runs on to its end
unspoken (a booking in flight completes) before its history line is cut down to what was heard.
The next turn starts after that, so it reads a notepad every earlier tool call has finished
writing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from resvoice.agent.events import CallEnded, RecordingDeclined, TurnCompleted
from resvoice.agent.session import AgentSession
from resvoice.language.phone_validity import national_digits
from resvoice.voice.barge_in import BargeInPolicy, is_false_interruption
from resvoice.voice.call_tasks import CallTasks
from resvoice.voice.caller_audio import CallerAudio
from resvoice.voice.event_feed import EventFeed
from resvoice.voice.events import (
    BargeInHeld,
    CallerSpeech,
    SpeechResumed,
    StateChanged,
    VoiceEvent,
    VoiceState,
)
from resvoice.voice.latency import TurnTimer, latency_summary
from resvoice.voice.listening import listening_after
from resvoice.voice.playout import Playout
from resvoice.voice.recording import CallRecording, RecordedOutput
from resvoice.voice.reply import Reply
from resvoice.voice.reprompt import Reprompts
from resvoice.voice.resume import Resumption
from resvoice.voice.stt.base import (
    STT,
    EagerEndOfTurn,
    STTEvent,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import TTS
from resvoice.voice.voice_config import VoiceConfig

__all__ = ["VoiceConfig", "VoiceSession"]

Sleep = Callable[[float], Awaitable[None]]
Now = Callable[[], float]


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
        resume_sleep: Sleep | None = None,
        now: Now = time.perf_counter,
        recording: CallRecording | None = None,
    ) -> None:
        self.agent = agent
        self.recording = recording
        if recording is not None:
            output = RecordedOutput(output, recording)
            agent.recorded = True  # the greeting says so; the caller may opt out
        self.config = config or VoiceConfig()
        self.state: VoiceState = "idle"
        self._now = now
        self._policy = BargeInPolicy(self.config.min_barge_in_ms, self.config.backchannel_max_ms)
        self._feed = EventFeed()
        self._tasks = CallTasks(on_critical_error=lambda: self._request_hangup("error"))
        self._caller = CallerAudio(stt, now=now, on_error=lambda: self._count_error("stt"))
        self._number_digits = national_digits(agent.config.phone_region)
        self._stream_ready = asyncio.Event()
        self._hangup = asyncio.Event()
        self._closed = asyncio.Event()
        self._end_reason = "hangup"
        self._running = False
        self._turn_lock = asyncio.Lock()
        self._prefetch: tuple[str, asyncio.Task[None]] | None = None
        self._errors = {"stt": 0, "tts": 0, "llm": 0}
        self._playout = Playout(
            agent,
            tts,
            output,
            spawn=self._spawn,
            emit=self._emit,
            set_state=self._set_state,
            now=now,
            error_reply=self.config.error_reply,
            count_error=self._count_error,
            on_listening=self._listening,
        )
        self._reprompts = Reprompts(
            agent,
            self._playout,
            self.config,
            turn_lock=self._turn_lock,
            sleep=sleep,
            spawn=self._spawn,
            can_arm=lambda: self._tasks.running and not self._hangup.is_set(),
        )
        self._resumption = Resumption(
            self.config,
            self._playout,
            agent,
            turn_lock=self._turn_lock,
            sleep=resume_sleep or sleep,  # `sleep` times silences (reprompts)
            spawn=lambda work: self._spawn(work, critical=False),
            can_resume=lambda: not self._policy.speaking and not self._hangup.is_set(),
            emit=lambda epoch, text: self._emit(SpeechResumed(epoch, text)),
        )
        self._held: Reply | None = None  # the protected reply a caller spoke over

    # --- public interface ---------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self._closed.is_set()

    @property
    def resuming(self) -> bool:
        """A reply stopped by a barge-in waits to be resumed (or for a real turn)."""
        return self._resumption.pending

    async def resumed(self) -> None:
        """Wait until a reply stopped by a barge-in has been resumed, or a real turn came."""
        await self._resumption.settled()

    @property
    def epoch(self) -> int:
        return self._playout.epoch

    async def run(self) -> None:
        """Greet, then serve the call until `hangup()`; returns when the call has ended."""
        if self._running or self.ended:
            raise RuntimeError("a VoiceSession runs once")
        self._running = True
        try:
            await self._caller.open()
            async with asyncio.TaskGroup() as tg:
                self._tasks.bind(tg)
                self._stream_ready.set()
                reader = self._spawn(self._read_stt())
                self._playout.start("greeting", self.agent.start)
                await self._hangup.wait()
                reader.cancel()
                self._reprompts.disarm()
                self._drop_speculation()
                await self._playout.stop(barge_in=False)
                await self._playout.drain(self.config.drain_timeout_s)
                self._tasks.cancel_pending()
        finally:
            self._tasks.bind(None)
            await self._caller.aclose()
            await self._finish()

    async def push_audio(self, pcm: bytes) -> None:
        """Caller audio: PCM16 mono at 16 kHz, any length."""
        if self._hangup.is_set():
            return
        await self._stream_ready.wait()
        if self.recording is not None:
            self.recording.caller(pcm)
        await self._maybe_barge_in(await self._caller.push(pcm))

    async def typed(self, text: str) -> None:
        """A caller turn given as text (skips recognition)."""
        await self._stream_ready.wait()
        now = self._now()
        self._emit(CallerSpeech(text, final=True))
        await self._caller_turn(text, TurnTimer(speech_end=now, final=now))

    async def dtmf(self, keys: str) -> None:
        """Keypad keys (one Twilio `dtmf` event, or several): an entry they complete (`#`, a
        lone `0`) is a caller turn; until then the caller is keying and the silence timer
        starts again."""
        await self._stream_ready.wait()
        now = self._now()
        self._reprompts.answered()
        self._resumption.drop()
        entries = self.agent.keypad.press(keys)
        if not entries:
            if not self._playout.talking and self.state == "listening":
                self._reprompts.arm()
            return
        await self._playout.until_unprotected()
        async with self._turn_lock:
            self._reprompts.disarm()
            await self._playout.stop()
            self._playout.start(
                "turn", lambda: self.agent.keyed(entries), timer=TurnTimer(now, now)
            )

    def mark_played(self, name: str) -> None:
        """The transport played everything written before mark `name`."""
        self._playout.mark_played(name)

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
        if not await self._caller.read(self._on_stt, until=self._hangup):
            self._request_hangup("stt_failed")

    async def _on_stt(self, event: STTEvent) -> None:
        at_ms = self._caller.position(event.audio_ms)
        if isinstance(event, TurnStarted):
            self._reprompts.disarm()
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
        idle = not (self._playout.thinking or self._playout.talking)
        if self.config.eager_replies and text.strip() and idle:
            self._prefetch = (
                text.strip(),
                self._spawn(self.agent.prefetch(text.strip()), critical=False),
            )

    def _drop_speculation(self) -> None:
        if self._prefetch is not None:
            self._prefetch[1].cancel()
            self._prefetch = None

    async def _stt_turn_ended(self, event: TurnEnded) -> None:
        end_ms = event.speech_end_ms if event.speech_end_ms is not None else event.audio_ms
        lasted = self._policy.lasted(self._caller.position(end_ms))
        self._policy.ended()
        text = event.text.strip()
        now = self._now()
        self._emit(CallerSpeech(text, final=True))
        talking = self._playout.talking
        resuming = self._resumption.pending
        over_agent = talking or resuming
        if not text or (over_agent and is_false_interruption(text, event.confidence, lasted)):
            if resuming:
                await self._resumption.maybe_resume()  # a false interruption
            elif not talking and self.state == "listening":
                self._reprompts.arm()  # noise only: keep waiting for the caller
            return
        speech_end = None
        if event.speech_end_ms is not None:
            speech_end = self._caller.heard_at(event.speech_end_ms)
        await self._caller_turn(text, TurnTimer(speech_end=speech_end or now, final=now))

    async def _caller_turn(self, text: str, timer: TurnTimer) -> None:
        self._reprompts.answered()
        self._resumption.drop()  # a real turn: nothing is resumed
        await self._playout.until_unprotected()  # a read-back is heard whole, then answered
        self._held = None
        async with self._turn_lock:
            self._reprompts.disarm()
            await self._playout.stop()
            prefetch, self._prefetch = self._prefetch, None
            if prefetch is not None and prefetch[0] != text.strip():
                prefetch[1].cancel()
            after = prefetch[1] if prefetch is not None else None
            self._playout.start("turn", lambda: self.agent.turn(text), timer=timer, after=after)

    async def _maybe_barge_in(self, audio_ms: float) -> None:
        reply = self._playout.reply
        if reply is None or reply.finished or not self._policy.interrupts(audio_ms):
            return
        if reply.protected_now:
            if self._held is not reply:
                self._held = reply
                self._emit(BargeInHeld(reply.epoch))
            return
        async with self._turn_lock:
            if self._playout.reply is reply and not reply.finished:
                self._resumption.hold()  # `resumed()` waits for the outcome from now on
                await self._playout.stop()
                self._reprompts.disarm()
                if self._tasks.running and not self._hangup.is_set():
                    self._resumption.arm(reply)
                else:  # the call was hung up while this caller audio waited for the turn lock
                    self._resumption.drop()

    # --- agent side ---------------------------------------------------------------------------

    def _listening(self, reply: Reply) -> None:
        """A reply was played to its end."""
        if reply.kind == "goodbye":
            self._request_hangup("silence")
        else:
            self._reprompts.arm()

    # --- plumbing -----------------------------------------------------------------------------

    def _spawn(
        self, work: Coroutine[Any, Any, None], *, critical: bool = True
    ) -> asyncio.Task[None]:
        """A task in the call's TaskGroup (see `CallTasks`)."""
        return self._tasks.spawn(work, critical=critical)

    def _set_state(self, state: VoiceState) -> None:
        if state != self.state:
            self.state = state
            self._emit(StateChanged(state))

    def _emit(self, event: VoiceEvent) -> None:
        if isinstance(event, TurnCompleted):  # what the caller answers next, for the recogniser
            hint = listening_after(self.agent.state, event.reply, number_digits=self._number_digits)
            self._caller.listen_for(hint)
        if isinstance(event, RecordingDeclined) and self.recording is not None:
            self.recording.discard()
        self._feed.publish(event)

    def _count_error(self, kind: str) -> None:
        self._errors[kind] += 1
        self.agent.state.metadata.voice_errors = dict(self._errors)

    def _request_hangup(self, reason: str) -> None:
        if not self._hangup.is_set():
            self._end_reason = reason
            self._hangup.set()

    async def _finish(self) -> None:
        if self.ended:
            return
        self._set_state("idle")
        summary = latency_summary(self.agent.state.metadata.voice_turns)
        if summary:
            self.agent.state.metadata.voice_latency_ms = summary
        if self.recording is not None:
            saved = await asyncio.to_thread(self.recording.save)
            if saved is not None:
                self.agent.state.metadata.recording = str(saved)
        ended = await self.agent.end(self._end_reason)
        self._emit(CallEnded(reason=ended.reason))
        self._closed.set()
        self._feed.close()
