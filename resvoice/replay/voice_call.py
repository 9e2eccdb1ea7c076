"""One voice-replay call on the line, turn by turn: the caller's speech, silence, noise and a
nod over the agent carried in 20 ms frames while the agent answers (`VoiceCall`), every event
of the call in order (`EventWatch`), and the silence timer that runs out only when the
transcript says the caller stays silent (`SilenceGate`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace

from resvoice.agent.events import Escalated, TurnCompleted
from resvoice.agent.keypad import Keypad
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.replay.line import CallerLine, LineClock, LineSTT
from resvoice.replay.noise import NoisyLine
from resvoice.replay.tape import ReplayOutput
from resvoice.replay.voice_options import VoiceReplayOptions
from resvoice.replay.wer import caller_words
from resvoice.voice.events import CallerSpeech, SpeechResumed, StateChanged, VoiceEvent
from resvoice.voice.session import VoiceSession
from resvoice.voice.tts.base import TTS

__all__ = ["NOD", "EventWatch", "Outcome", "SilenceGate", "VoiceCall"]

NOD = "Mm-hmm, okay, yeah, right."
"""What a caller on a noisy line says over the agent once a turn, a second into the reply: a
back-channel long enough to stop the agent before any word is recognised, so the resume after a
false interruption is exercised."""

_NOD_AFTER_FRAMES = 50
"""20 ms frames of the agent's audio on the line before the caller nods (one second)."""


@dataclass
class Outcome:
    completed: TurnCompleted | None
    recognised: str | None
    unheard: int = 0  # times the recogniser heard nothing of the line, so it was said again


class VoiceCall:
    """Drives one call turn by turn: speak, wait for the reply to be played, collect. The
    caller's side of the line (speech, silence, noise, a nod over the agent) is carried by
    `_stream` while a turn runs."""

    def __init__(
        self,
        session: VoiceSession,
        watch: EventWatch,
        output: ReplayOutput,
        silence: SilenceGate,
        options: VoiceReplayOptions,
        clock: LineClock,
        stt: LineSTT | None,
        listener: LineSTT | None = None,
    ) -> None:
        self.session = session
        self.watch = watch
        self.output = output
        self.tape = output.tape
        self.silence = silence
        self.options = options
        self.clock = clock
        self.stt = stt
        # `--fast` off the line's clock: tells when the recogniser has taken in a whole line
        self.listener = listener
        self._line: asyncio.Task[None] | None = None
        noise = NoisyLine(options.noise, options.noise_db) if options.noise else None
        self.line = CallerLine(noise, phone=options.phone_line)
        self.nod: bytes | None = None
        self._nodded_at: int | None = None  # the event count when this turn's nod began
        self._tail_frames = int(options.trailing_silence_ms) // 20

    async def greeting(self) -> None:
        """Wait for the greeting to be played (on the line's clock, the line carries it)."""
        async with self._carrying(b"", nod=False):
            await self.watch.wait(_listening, since=0)

    async def turn(
        self, user: str | None, dtmf: str | None, caller: TTS, *, again: bool = True
    ) -> Outcome:
        """Say `user` (or key `dtmf`); the agent's answer once played. A line the recogniser
        took in whole without hearing a turn in it (a short "Yep" the VAD let pass) is what a
        real caller meets as silence: the agent's silence timer runs out, it prompts again, and
        the caller says the line once more (`again`)."""
        since = len(self.watch.events)
        if dtmf is not None:
            probe = Keypad()
            probe.keyed = self.session.agent.keypad.keyed
            await self.session.dtmf(dtmf)
            if not probe.press(dtmf):
                return Outcome(None, None)  # the caller is still keying
            async with self._carrying(b"", nod=False):
                return Outcome(await self._answered(since), None)
        if not (user or "").strip():
            self.silence.fire()  # the caller stays silent: the reprompt timer runs out
            async with self._carrying(b"", nod=False):
                return Outcome(await self._answered(since), None)
        assert user is not None
        pcm = b"".join([chunk.pcm async for chunk in caller.synthesize(caller_words(user))])
        self.line.speech(pcm)
        if self.options.noise is not None and self.nod is None:
            self.nod = b"".join([c.pcm async for c in caller.synthesize(NOD)])
        self.tape.caller_turn()
        self._nodded_at = None
        async with self._carrying(pcm, nod=self.nod is not None):
            final = await self._heard(since)
            completed = await self._answered(since) if final is not None and final.text else None
        if final is None:
            if not again:
                return Outcome(None, "", unheard=1)
            self.silence.fire()  # the reprompt timer runs out
            async with self._carrying(b"", nod=False):
                await self._answered(since)
            repeated = await self.turn(user, None, caller, again=False)
            return replace(repeated, unheard=repeated.unheard + 1)
        finals = [  # what was heard of the caller's line (the nod is not scripted)
            e.text
            for e in self.watch.events[since : self._nodded_at]
            if isinstance(e, CallerSpeech) and e.final and e.text
        ]
        return Outcome(completed, " ".join(finals))

    @contextlib.asynccontextmanager
    async def _carrying(self, pcm: bytes, *, nod: bool) -> AsyncIterator[None]:
        """The caller's side of the line runs (`_stream`) while the body waits for the agent.
        Without speech and off the line's clock, nothing is carried (as before noise)."""
        if not pcm and self.output.pacing != "line":
            yield
            return
        done = asyncio.Event()
        line = asyncio.get_running_loop().create_task(self._stream(pcm, done, nod=nod))
        self._line = line
        try:
            yield
        finally:
            done.set()
            self.output.written.set()  # wakes a line waiting for the agent
            await line
            self._line = None

    async def _heard(self, since: int) -> CallerSpeech | None:
        """The recogniser's final words for the line being carried; None when it took in the
        whole line (`--fast`, with its silence after) and heard no turn in it."""
        heard = asyncio.ensure_future(self.watch.wait(_final, since=since))
        line = self._line
        if self.listener is None or line is None or self.output.pacing != "instant":
            final = await heard
        else:
            await asyncio.wait((heard, line), return_when=asyncio.FIRST_COMPLETED)
            if not heard.done():
                await self.listener.drained()
                # what it heard reaches the session and this watch over a few hops of the loop
                await asyncio.wait((heard,), timeout=_EVENTS_SETTLE_S)
            if not heard.done():
                heard.cancel()
                return None
            final = heard.result()
        assert isinstance(final, CallerSpeech)
        return final

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


class EventWatch:
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


class SilenceGate:
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


_EVENTS_SETTLE_S = 0.5
"""Wall time allowed for the recogniser's last words to reach the watch once it has taken in a
line; only a line it heard nothing in waits it out."""


def _listening(event: VoiceEvent) -> bool:
    return isinstance(event, StateChanged) and event.state == "listening"


def _final(event: VoiceEvent) -> bool:
    return isinstance(event, CallerSpeech) and event.final
