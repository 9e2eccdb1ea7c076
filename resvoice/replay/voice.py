"""Voice replay: the shipped transcripts through the whole voice loop.

Each caller line is spoken by a caller voice (eSpeak NG voices and Piper's, digits one at a
time as callers say them), optionally put through an 8 kHz mu-law phone line (`phone_line`),
streamed in 20 ms frames into the selected recogniser, answered by the agent and spoken by the
agent's TTS, exactly as a phone call would be. A caller whose read-back comes back wrong
corrects it instead of agreeing (`resvoice.replay.correcting_caller`). The expectations are the
text replay's, checked against what the agent replied to what it *heard*; the result adds the
word error rate of the recognised scripted lines, the corrections the caller needed, and the
end-of-speech to first-audio latency.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from resvoice.agent.clock import Clock, FixedClock
from resvoice.agent.events import Escalated, TurnCompleted
from resvoice.agent.keypad import Keypad
from resvoice.agent.session import AgentSession
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.errors import FixtureError
from resvoice.replay.correcting_caller import CorrectingCaller
from resvoice.replay.format import Transcript, load_transcript
from resvoice.replay.line import CallerLine, LineClock, LineSTT
from resvoice.replay.noise import NoiseKind, NoisyLine
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
from resvoice.voice.events import (
    BargeIn,
    BargeInHeld,
    CallerSpeech,
    SpeechResumed,
    StateChanged,
    VoiceEvent,
)
from resvoice.voice.latency import percentiles
from resvoice.voice.recording import recording_for
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import STT
from resvoice.voice.tts.base import TTS

NOD = "Mm-hmm, okay, yeah, right."
"""What a caller on a noisy line says over the agent once a turn, a second into the reply: a
back-channel long enough to stop the agent before any word is recognised, so the resume after a
false interruption is exercised."""

_NOD_AFTER_FRAMES = 50
"""20 ms frames of the agent's audio on the line before the caller nods (one second)."""

CALLER_VOICES = ("en-us+m3", "en-gb-x-rp", "en-us+f2", "en-us+m1", "en+klatt4")
"""eSpeak voices the callers use, one per transcript (by name); none is the agent's voice (Piper
joe, Deepgram, or eSpeak's plain en-us with `--tts espeak`)."""

PIPER_CALLER = "piper"
"""The caller voice that is Piper's (joe), a natural voice beside eSpeak's robotic ones."""

CallerVoices = Literal["espeak", "piper", "mixed"]

PIPER_SHARE = 3
"""With `mixed` callers, one transcript in this many (by name) has Piper's voice."""


def caller_voice(transcript_name: str, voices: CallerVoices) -> str:
    """The voice that speaks a transcript's caller, fixed by its name. With `mixed`, about one
    caller in `PIPER_SHARE` is Piper's and the others keep the eSpeak voice `espeak` gives them,
    so the two runs compare call by call."""
    key = zlib.crc32(transcript_name.encode())
    if voices == "piper" or (voices == "mixed" and _piper_draw(transcript_name) == 0):
        return PIPER_CALLER
    return CALLER_VOICES[key % len(CALLER_VOICES)]


def _piper_draw(transcript_name: str) -> int:
    """A second hash of the name, independent of the one choosing the eSpeak voice."""
    return int(hashlib.sha256(transcript_name.encode()).hexdigest(), 16) % PIPER_SHARE


@dataclass(frozen=True)
class VoiceReplayOptions:
    fast: bool = False
    """Push audio as fast as the recogniser takes it instead of in real time. With `noise`, the
    line keeps its clock: the caller's line (noise, nods) runs on while the agent speaks and
    the agent's audio counts as played once the line has carried it, so barge-in and resume
    happen as in real time."""
    record_dir: Path | None = None
    """Write one stereo WAV per call here (caller left, agent right)."""
    noise: NoiseKind | None = None
    """A noisy line (`--noise`): street, babble or hum on the caller's audio throughout."""
    noise_db: float = 10.0
    """The noise's level: this many dB below the caller's speech (`--noise-db`)."""
    turn_timeout_s: float = 60.0
    trailing_silence_ms: float = 1500.0
    """Silence after each caller line: enough for the recogniser to end the turn."""
    callers: CallerVoices = "mixed"
    """Which voices speak the callers: eSpeak's, Piper's, or both (one per transcript)."""
    phone_line: bool = False
    """Put the caller's audio through an 8 kHz mu-law line, as a Twilio call carries it."""
    correct: bool = True
    """A caller corrects a wrong read-back instead of agreeing (`CorrectingCaller`)."""


@dataclass
class VoiceProviders:
    stt: STT
    tts: TTS  # the agent's voice
    caller: Callable[[str], Awaitable[TTS]]  # a caller voice by name (`caller_voice`), 16 kHz


async def voice_providers(
    runtime: Runtime, *, stt: str | None, tts: str | None, whisper_model: Path | None
) -> VoiceProviders:
    """The recogniser and agent voice the settings (or `--stt`/`--tts`) name; eSpeak and Piper
    callers. The runtime owns (and closes) every one of them."""
    recogniser = await runtime.stt(stt, whisper_model)
    voice = await runtime.tts(tts, sample_rate=INTERNAL_RATE)

    async def caller(name: str) -> TTS:
        if name == PIPER_CALLER:
            return await runtime.tts("piper", sample_rate=INTERNAL_RATE)
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
    clock = FixedClock.at(transcript.today, timezone) if transcript.today else None
    try:
        setup = await CallSetup.prepare(runtime, transcript, source)
    except FixtureError as exc:
        return unreadable_result(Path(source), exc)
    agent = runtime.session(
        conversation_id=f"voice-replay-{uuid.uuid4().hex[:12]}",
        caller_id=transcript.caller,
        clock=clock,
        brain=brain or transcript.brain,
        messenger=setup.messenger,
    )
    tape = Tape()
    on_line_clock = options.fast and options.noise is not None
    output = ReplayOutput(
        tape, pacing="line" if on_line_clock else "instant" if options.fast else "wall"
    )
    silence = _SilenceGate()
    line_clock = LineClock()
    stt = LineSTT(providers.stt) if on_line_clock else None
    session = VoiceSession(
        agent,
        stt or providers.stt,
        providers.tts,
        output,
        VoiceConfig(resume_after_s=runtime.settings.resume_after_s),
        sleep=silence.sleep,
        resume_sleep=line_clock.sleep if on_line_clock else asyncio.sleep,
        recording=recording_for(runtime.settings.recordings(), agent.conversation_id),
    )
    output.on_mark = session.mark_played
    watch = _Watch(session)
    caller = await providers.caller(caller_voice(transcript.name, options.callers))
    call = _Call(session, watch, output, silence, options, line_clock, stt)
    corrector = _corrector(runtime, transcript, clock, brain) if options.correct else None
    running = asyncio.get_running_loop().create_task(session.run())
    failures: list[str] = []
    turns: list[TurnResult] = []
    heard: list[tuple[str, str]] = []
    try:
        if corrector is not None:
            await corrector.start()
        async with asyncio.timeout(options.turn_timeout_s):
            await call.greeting()
        for index, turn in enumerate(transcript.turns, start=1):
            where = f"turn {index}"
            if corrector is not None and turn.dtmf is not None:
                await corrector.pressed(turn.dtmf)
            elif corrector is not None and turn.user:
                await corrector.said(turn.user)
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
            if corrector is not None:
                following = transcript.turns[index].user if index < len(transcript.turns) else None
                repaired = await _repairs(call, corrector, agent, reply, following, caller, turns)
                if repaired is None:
                    failures.append(f"{where}: no answer to the caller's correction")
                    break
                reply = repaired
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
        corrections=[c.field for c in corrector.made] if corrector is not None else [],
        barge_ins=sum(isinstance(e, BargeIn) for e in watch.events),
        resumed=sum(isinstance(e, SpeechResumed) for e in watch.events),
        held=sum(isinstance(e, BargeInHeld) for e in watch.events),
    )
    given_failures, states, messages = await setup.outcome(runtime, transcript.expect)
    result = call_result(
        transcript, source, agent.state, failures + given_failures, watch.escalation, turns,
        voice=stats,
    )  # fmt: skip
    return result.model_copy(update={"given_reservations": states, "messages": messages})


def _corrector(
    runtime: Runtime, transcript: Transcript, clock: Clock | None, brain: str | None
) -> CorrectingCaller:
    """The caller's memory of what it said: a shadow text call on the same clock and brain."""
    shadow = runtime.session(
        conversation_id=f"voice-replay-shadow-{uuid.uuid4().hex[:12]}",
        caller_id=transcript.caller,
        clock=clock,
        brain=brain or transcript.brain,
    )
    return CorrectingCaller(shadow)


async def _repairs(
    call: _Call,
    corrector: CorrectingCaller,
    agent: AgentSession,
    reply: str,
    following: str | None,
    caller: TTS,
    turns: list[TurnResult],
) -> str | None:
    """After the agent's `reply`, the lines the caller says to correct it (each a turn of its
    own, see `CorrectingCaller.repair`); the agent's last reply, None when one went unanswered
    in time."""
    while (fix := corrector.repair(agent.state.notepad, reply, following)) is not None:
        try:
            async with asyncio.timeout(call.options.turn_timeout_s):
                outcome = await call.turn(fix.line, None, caller)
        except TimeoutError:
            return None
        done = outcome.completed
        reply = done.reply if done else ""
        turns.append(
            TurnResult(
                user=fix.line,
                heard=outcome.recognised,
                reply=reply,
                latency_ms=round(done.latency_ms, 3) if done else 0,
                correction=True,
            )
        )
    return reply


@dataclass
class _Outcome:
    completed: TurnCompleted | None
    recognised: str | None


class _Call:
    """Drives one call turn by turn: speak, wait for the reply to be played, collect. The
    caller's side of the line (speech, silence, noise, a nod over the agent) is carried by
    `_stream` while a turn runs."""

    def __init__(
        self,
        session: VoiceSession,
        watch: _Watch,
        output: ReplayOutput,
        silence: _SilenceGate,
        options: VoiceReplayOptions,
        clock: LineClock,
        stt: LineSTT | None,
    ) -> None:
        self.session = session
        self.watch = watch
        self.output = output
        self.tape = output.tape
        self.silence = silence
        self.options = options
        self.clock = clock
        self.stt = stt
        noise = NoisyLine(options.noise, options.noise_db) if options.noise else None
        self.line = CallerLine(noise, phone=options.phone_line)
        self.nod: bytes | None = None
        self._nodded_at: int | None = None  # the event count when this turn's nod began
        self._tail_frames = int(options.trailing_silence_ms) // 20

    async def greeting(self) -> None:
        """Wait for the greeting to be played (on the line's clock, the line carries it)."""
        async with self._carrying(b"", nod=False):
            await self.watch.wait(_listening, since=0)

    async def turn(self, user: str | None, dtmf: str | None, caller: TTS) -> _Outcome:
        since = len(self.watch.events)
        if dtmf is not None:
            probe = Keypad()
            probe.keyed = self.session.agent.keypad.keyed
            await self.session.dtmf(dtmf)
            if not probe.press(dtmf):
                return _Outcome(None, None)  # the caller is still keying
            async with self._carrying(b"", nod=False):
                return _Outcome(await self._answered(since), None)
        if not (user or "").strip():
            self.silence.fire()  # the caller stays silent: the reprompt timer runs out
            async with self._carrying(b"", nod=False):
                return _Outcome(await self._answered(since), None)
        assert user is not None
        pcm = b"".join([chunk.pcm async for chunk in caller.synthesize(caller_words(user))])
        self.line.speech(pcm)
        if self.options.noise is not None and self.nod is None:
            self.nod = b"".join([c.pcm async for c in caller.synthesize(NOD)])
        self.tape.caller_turn()
        self._nodded_at = None
        async with self._carrying(pcm, nod=self.nod is not None):
            final = await self.watch.wait(_final, since=since)
            assert isinstance(final, CallerSpeech)
            completed = await self._answered(since) if final.text else None
        finals = [  # what was heard of the caller's line (the nod is not scripted)
            e.text
            for e in self.watch.events[since : self._nodded_at]
            if isinstance(e, CallerSpeech) and e.final and e.text
        ]
        return _Outcome(completed, " ".join(finals))

    @contextlib.asynccontextmanager
    async def _carrying(self, pcm: bytes, *, nod: bool) -> AsyncIterator[None]:
        """The caller's side of the line runs (`_stream`) while the body waits for the agent.
        Without speech and off the line's clock, nothing is carried (as before noise)."""
        if not pcm and self.output.pacing != "line":
            yield
            return
        done = asyncio.Event()
        line = asyncio.get_running_loop().create_task(self._stream(pcm, done, nod=nod))
        try:
            yield
        finally:
            done.set()
            self.output.written.set()  # wakes a line waiting for the agent
            await line

    async def _stream(self, pcm: bytes, done: asyncio.Event, *, nod: bool) -> None:
        """The caller's line in 20 ms frames, then silence (a phone line never stops carrying
        audio) until the agent has answered. With `nod`, the caller nods along a second into a
        reply long enough to nod in (a false interruption), then stays quiet long enough for
        the recogniser to end that stretch. In real time every 20 ms; `--fast`, a fixed stretch of
        silence after the caller's words, or on the line's clock (`--fast --noise`) only while
        there is something to carry: the agent's audio, the nod, or a resume's wait."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        if pcm:
            pcm += bytes(int(self.options.trailing_silence_ms) * 32)
        for frame in frames(pcm, INTERNAL_RATE, 20):
            due = await self._carry(frame, due)
        silence = bytes(640)
        nodding = list(frames(self.nod, INTERNAL_RATE, 20)) if nod and self.nod else []
        heard = 0  # frames of the agent's audio on the line so far
        tail = 0  # frames of quiet still owed after the nod
        while not done.is_set():
            audible = self.output.audible
            heard += audible
            if nodding and heard >= _NOD_AFTER_FRAMES and self._nods_over_the_agent(nodding):
                if self._nodded_at is None:
                    self._nodded_at = len(self.watch.events)
                frame = nodding.pop(0)
                tail = 0 if nodding else self._tail_frames
            elif self.output.pacing == "instant":
                return
            elif self.output.pacing == "line" and not (audible or tail or self.session.resuming):
                self.output.written.clear()
                await self.output.written.wait()  # the agent has more to say, or we're done
                continue
            else:
                frame = silence
                tail = max(0, tail - 1)
            due = await self._carry(frame, due)

    def _nods_over_the_agent(self, nodding: list[bytes]) -> bool:
        """The nod goes on (once begun), or begins where the agent has more than a nod's length
        still to say on the line: a caller nods along a long reply, not after a short one."""
        if self._nodded_at is not None:
            return True
        ahead = self.tape.agent_end - self.tape.cursor
        return ahead >= sum(len(frame) for frame in nodding)

    async def _carry(self, frame: bytes, due: float) -> float:
        """One frame onto the line, paced; the next frame's due time (real time)."""
        frame = self.line.frame(frame)
        self.tape.caller(frame)
        await self.session.push_audio(frame)
        self.clock.carried(frame)
        self.output.line_moved()
        if not self.options.fast:
            due += 0.02
            await asyncio.sleep(max(0.0, due - asyncio.get_running_loop().time()))
        elif self.stt is not None:
            await self.stt.drained()
        else:
            await asyncio.sleep(0)
        return due

    async def _answered(self, since: int) -> TurnCompleted:
        """The turn's reply, once played to its end. A reply cut off by noise (a false
        interruption) is waited for until it has been resumed; its reply is what was said."""
        done = await self.watch.wait(lambda e: isinstance(e, TurnCompleted), since=since)
        assert isinstance(done, TurnCompleted)
        await self.watch.wait(_listening, since=self.watch.events.index(done))
        await self.session.resumed()  # at most `resume_after_s`, or the caller's noise, away
        resumed = [e for e in self.watch.events[since:] if isinstance(e, SpeechResumed)]
        if not resumed:
            return done
        await self.watch.wait(_listening, since=self.watch.events.index(resumed[-1]))
        said = " ".join([done.reply, *(e.text for e in resumed)]).strip()
        return replace(done, reply=said)


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
