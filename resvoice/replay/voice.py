"""Voice replay: the shipped transcripts through the whole voice loop.

Each caller line is spoken by a caller voice (eSpeak NG, digits one at a time as callers say
them), streamed in 20 ms frames into the selected recogniser, answered by the agent and spoken
by the agent's TTS, exactly as a phone call would be. The expectations are the text replay's,
checked against what the agent replied to what it *heard*; the result adds the word error rate
of the recognised caller text and the end-of-speech to first-audio latency.
"""

from __future__ import annotations

import asyncio
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import Escalated, TurnCompleted
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.errors import FixtureError
from resvoice.replay.format import Transcript, load_transcript
from resvoice.replay.runner import (
    CallSetup,
    ReplayResult,
    TurnResult,
    VoiceStats,
    call_result,
    check_state,
    unreadable_result,
)
from resvoice.replay.tape import ReplayOutput, Tape
from resvoice.replay.wer import caller_words, word_error_rate
from resvoice.runtime import Runtime
from resvoice.voice.events import CallerSpeech, StateChanged, VoiceEvent
from resvoice.voice.latency import percentiles
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import STT
from resvoice.voice.tts.base import TTS

CALLER_VOICES = ("en-us+m3", "en-gb-x-rp", "en-us+f2", "en-us+m1", "en+klatt4")
"""eSpeak voices the callers use, one per transcript (by name); none is the agent's voice (Piper
joe, Deepgram, or eSpeak's plain en-us with `--tts espeak`)."""


@dataclass(frozen=True)
class VoiceReplayOptions:
    fast: bool = False
    """Push audio as fast as the recogniser takes it instead of in real time."""
    record_dir: Path | None = None
    """Write one stereo WAV per call here (caller left, agent right)."""
    turn_timeout_s: float = 60.0
    trailing_silence_ms: float = 1500.0
    """Silence after each caller line: enough for the recogniser to end the turn."""


@dataclass
class VoiceProviders:
    stt: STT
    tts: TTS  # the agent's voice
    caller: Callable[[str], Awaitable[TTS]]  # a caller voice by eSpeak voice name, at 16 kHz


async def voice_providers(
    runtime: Runtime, *, stt: str | None, tts: str | None, whisper_model: Path | None
) -> VoiceProviders:
    """The recogniser and agent voice the settings (or `--stt`/`--tts`) name; eSpeak callers.
    The runtime owns (and closes) every one of them."""
    recogniser = await runtime.stt(stt, whisper_model)
    voice = await runtime.tts(tts, sample_rate=INTERNAL_RATE)

    async def caller(name: str) -> TTS:
        return await runtime.tts("espeak", sample_rate=INTERNAL_RATE, espeak_voice=name)

    await caller("en-us")  # fails now, with a clear message, when eSpeak is not installed
    return VoiceProviders(stt=recogniser, tts=voice, caller=caller)


async def replay_voice_file(
    runtime: Runtime,
    path: Path,
    providers: VoiceProviders,
    options: VoiceReplayOptions,
    *,
    brain: str | None = None,
) -> ReplayResult:
    try:
        transcript = load_transcript(path)
    except FixtureError as exc:
        return unreadable_result(path, exc)
    return await replay_voice_transcript(
        runtime, transcript, source=str(path), providers=providers, options=options, brain=brain
    )


async def replay_voice_transcript(
    runtime: Runtime,
    transcript: Transcript,
    *,
    source: str,
    providers: VoiceProviders,
    options: VoiceReplayOptions,
    brain: str | None = None,
) -> ReplayResult:
    timezone = runtime.profile.restaurant.timezone
    try:
        setup = await CallSetup.prepare(runtime, transcript, source)
    except FixtureError as exc:
        return unreadable_result(Path(source), exc)
    agent = runtime.session(
        conversation_id=f"voice-replay-{uuid.uuid4().hex[:12]}",
        caller_id=transcript.caller,
        clock=FixedClock.at(transcript.today, timezone) if transcript.today else None,
        brain=brain or transcript.brain,
        messenger=setup.messenger,
    )
    tape = Tape()
    output = ReplayOutput(tape, paced=not options.fast)
    silence = _SilenceGate()
    session = VoiceSession(
        agent, providers.stt, providers.tts, output, VoiceConfig(), sleep=silence.sleep
    )
    output.on_mark = session.mark_played
    watch = _Watch(session)
    voice = CALLER_VOICES[zlib.crc32(transcript.name.encode()) % len(CALLER_VOICES)]
    caller = await providers.caller(voice)
    call = _Call(session, watch, tape, silence, options)
    running = asyncio.get_running_loop().create_task(session.run())
    failures: list[str] = []
    turns: list[TurnResult] = []
    heard: list[tuple[str, str]] = []
    try:
        async with asyncio.timeout(options.turn_timeout_s):
            await watch.wait(_listening, since=0)
        for index, turn in enumerate(transcript.turns, start=1):
            where = f"turn {index}"
            try:
                async with asyncio.timeout(options.turn_timeout_s):
                    outcome = await call.turn(turn.user, turn.dtmf, caller)
            except TimeoutError:
                failures.append(f"{where}: no answer within {options.turn_timeout_s:.0f} s")
                break
            if outcome.recognised is not None:
                heard.append((turn.user or "", outcome.recognised))
            reply = outcome.completed.reply if outcome.completed else ""
            if turn.user and outcome.completed is None:
                failures.append(f"{where}: the recogniser heard nothing in {turn.user!r}")
            turns.append(
                TurnResult(
                    user=turn.dtmf if turn.dtmf is not None else turn.user or "",
                    heard=outcome.recognised,
                    reply=reply,
                    latency_ms=round(outcome.completed.latency_ms, 3) if outcome.completed else 0,
                )
            )
            if turn.expect is not None:
                failures += check_state(agent.state, turn.expect, where, reply, watch.escalation)
    finally:
        await session.hangup("replay finished")
        await running
        await watch.close()
    if transcript.expect is not None:
        failures += check_state(
            agent.state, transcript.expect, "end of call", None, watch.escalation
        )
    if options.record_dir is not None:
        options.record_dir.mkdir(parents=True, exist_ok=True)
        tape.write(options.record_dir / f"{Path(source).stem}.wav")
    latency = percentiles(agent.state.metadata.voice_turns, "end_of_speech_to_first_audio_ms")
    stats = VoiceStats(
        wer=word_error_rate(heard),
        turn_latency_ms_p50=round(latency[0], 1) if latency else None,
        turn_latency_ms_p95=round(latency[1], 1) if latency else None,
    )
    given_failures, states, messages = await setup.outcome(runtime, transcript.expect)
    result = call_result(
        transcript, source, agent.state, failures + given_failures, watch.escalation, turns,
        voice=stats,
    )  # fmt: skip
    return result.model_copy(update={"given_reservations": states, "messages": messages})


@dataclass
class _Outcome:
    completed: TurnCompleted | None
    recognised: str | None


class _Call:
    """Drives one call turn by turn: speak, wait for the reply to be played, collect."""

    def __init__(
        self,
        session: VoiceSession,
        watch: _Watch,
        tape: Tape,
        silence: _SilenceGate,
        options: VoiceReplayOptions,
    ) -> None:
        self.session = session
        self.watch = watch
        self.tape = tape
        self.silence = silence
        self.options = options

    async def turn(self, user: str | None, dtmf: str | None, caller: TTS) -> _Outcome:
        since = len(self.watch.events)
        if dtmf is not None:
            await self.session.dtmf(dtmf)
            return _Outcome(await self._answered(since), None)
        if not (user or "").strip():
            self.silence.fire()  # the caller stays silent: the reprompt timer runs out
            return _Outcome(await self._answered(since), None)
        assert user is not None
        pcm = b"".join([chunk.pcm async for chunk in caller.synthesize(caller_words(user))])
        self.tape.caller_turn()
        done = asyncio.Event()
        line = asyncio.get_running_loop().create_task(self._stream(pcm, done))
        try:
            final = await self.watch.wait(_final, since=since)
            assert isinstance(final, CallerSpeech)
            completed = await self._answered(since) if final.text else None
        finally:
            done.set()
            await line
        finals = [
            e.text
            for e in self.watch.events[since:]
            if isinstance(e, CallerSpeech) and e.final and e.text
        ]
        return _Outcome(completed, " ".join(finals))

    async def _stream(self, pcm: bytes, done: asyncio.Event) -> None:
        """The caller's line in 20 ms frames, then silence: a fixed stretch with `--fast`, in
        real time until the agent has answered (a phone line never stops carrying audio, and
        the tape then shows the real wait)."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        pcm += bytes(int(self.options.trailing_silence_ms) * 32)
        for frame in frames(pcm, INTERNAL_RATE, 20):
            await self._push(frame)
            if self.options.fast:
                await asyncio.sleep(0)
            else:
                due += 0.02
                await asyncio.sleep(max(0.0, due - loop.time()))
        silence = bytes(640)
        while not self.options.fast and not done.is_set():
            await self._push(silence)
            due += 0.02
            await asyncio.sleep(max(0.0, due - loop.time()))

    async def _push(self, frame: bytes) -> None:
        self.tape.caller(frame)
        await self.session.push_audio(frame)

    async def _answered(self, since: int) -> TurnCompleted:
        done = await self.watch.wait(lambda e: isinstance(e, TurnCompleted), since=since)
        assert isinstance(done, TurnCompleted)
        await self.watch.wait(_listening, since=self.watch.events.index(done))
        return done


class _Watch:
    """Every event of the call, kept in order; wait for one after a given position."""

    def __init__(self, session: VoiceSession) -> None:
        self.events: list[VoiceEvent] = []
        self.escalation: str | None = None
        self._changed = asyncio.Condition()
        self._stream = session.events()
        self._task = asyncio.get_running_loop().create_task(self._collect())

    async def _collect(self) -> None:
        async for event in self._stream:
            if isinstance(event, Escalated) and self.escalation is None:
                self.escalation = event.reason
            self.events.append(event)
            async with self._changed:
                self._changed.notify_all()

    async def wait(self, predicate: Callable[[VoiceEvent], bool], *, since: int) -> VoiceEvent:
        def found() -> VoiceEvent | None:
            return next((e for e in self.events[since:] if predicate(e)), None)

        async with self._changed:
            await self._changed.wait_for(lambda: found() is not None)
        event = found()
        assert event is not None
        return event

    async def close(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


class _SilenceGate:
    """The voice session's `sleep`: silence only runs out when the transcript says so."""

    def __init__(self) -> None:
        self._sleepers: list[asyncio.Future[None]] = []
        self._due = False  # fired before the timer was armed

    async def sleep(self, _seconds: float) -> None:
        if self._due:
            self._due = False
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append(future)
        try:
            await future
        finally:
            self._sleepers.remove(future)

    def fire(self) -> None:
        waiting = [future for future in self._sleepers if not future.done()]
        for future in waiting:
            future.set_result(None)
        self._due = not waiting


def _listening(event: VoiceEvent) -> bool:
    return isinstance(event, StateChanged) and event.state == "listening"


def _final(event: VoiceEvent) -> bool:
    return isinstance(event, CallerSpeech) and event.final
