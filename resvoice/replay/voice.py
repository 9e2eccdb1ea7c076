"""Voice replay: the shipped transcripts through the whole voice loop.

Each caller line is spoken by a caller voice (eSpeak NG voices and Piper's, digits one at a
time as callers say them), optionally put through an 8 kHz mu-law phone line (`phone_line`),
streamed in 20 ms frames into the selected recogniser, answered by the agent and spoken by the
agent's TTS, exactly as a phone call would be. A caller whose read-back comes back wrong
corrects it instead of agreeing (`resvoice.replay.correcting_caller`). The expectations are the
text replay's, checked against what the agent replied to what it *heard*; the result adds the
word error rate of the recognised scripted lines, the corrections the caller needed, and the
end-of-speech to first-audio latency. The call on the line is `voice_call`; the options,
providers and caller voices are `voice_options`.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from resvoice.agent.clock import Clock, FixedClock
from resvoice.agent.session import AgentSession
from resvoice.errors import FixtureError
from resvoice.replay.correcting_caller import CorrectingCaller
from resvoice.replay.format import Transcript, load_transcript
from resvoice.replay.line import LineClock, LineSTT
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
from resvoice.replay.voice_call import NOD, EventWatch, SilenceGate, VoiceCall
from resvoice.replay.voice_options import (
    CALLER_VOICES,
    PIPER_CALLER,
    CallerVoices,
    VoiceProviders,
    VoiceReplayOptions,
    caller_voice,
    voice_providers,
)
from resvoice.replay.wer import word_error_rate
from resvoice.runtime import Runtime
from resvoice.voice.barge_in import is_hum
from resvoice.voice.events import BargeIn, BargeInHeld, SpeechResumed
from resvoice.voice.latency import percentiles
from resvoice.voice.recording import recording_for
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.tts.base import TTS

__all__ = [  # the options, providers and caller voices are named from here too
    "CALLER_VOICES",
    "NOD",
    "PIPER_CALLER",
    "CallerVoices",
    "VoiceProviders",
    "VoiceReplayOptions",
    "caller_voice",
    "replay_voice_file",
    "replay_voice_transcript",
    "voice_providers",
]


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
    silence = SilenceGate()
    line_clock = LineClock()
    listener = LineSTT(providers.stt) if options.fast else None  # knows when a line is in
    stt = listener if on_line_clock else None
    session = VoiceSession(
        agent,
        listener or providers.stt,
        providers.tts,
        output,
        VoiceConfig(resume_after_s=runtime.settings.resume_after_s),
        sleep=silence.sleep,
        resume_sleep=line_clock.sleep if on_line_clock else asyncio.sleep,
        recording=recording_for(runtime.settings.recordings(), agent.conversation_id),
    )
    output.on_mark = session.mark_played
    watch = EventWatch(session)
    caller = await providers.caller(caller_voice(transcript.name, options.callers))
    call = VoiceCall(session, watch, output, silence, options, line_clock, stt, listener)
    corrector = _corrector(runtime, transcript, clock, brain) if options.correct else None
    running = asyncio.get_running_loop().create_task(session.run())
    failures: list[str] = []
    unheard = 0  # lines the recogniser heard nothing in, said again after the agent's prompt
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
            unheard += outcome.unheard
            if outcome.recognised is not None:
                heard.append((turn.user or "", outcome.recognised))
            reply = outcome.completed.reply if outcome.completed else ""
            if turn.user and outcome.completed is None and not is_hum(turn.user):
                # a caller's "hmm" is let pass by design: no turn, no answer, nothing failed
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
        said_again=unheard,
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
    call: VoiceCall,
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
                if fix.keyed:
                    outcome = await call.turn(None, fix.line, caller)
                else:
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
