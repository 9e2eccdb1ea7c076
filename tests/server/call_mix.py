"""A mix of whole calls, one of each way a call ends, for driving one server many times over
(the memory test and `bench/memory_soak.py`).

The voice providers here keep nothing of a call once it ends (unlike the fakes that record
every stream and sentence for a test to inspect), so what a long run holds is the server's.
`track`, when given, sees every per-call object the server makes, for weak references.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from resvoice.agent.session import AgentSession
from resvoice.server.calls import VoiceCall
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import STTStream
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import AudioChunk
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.twilio_peer import TwilioPeer
from tests.server.conftest import AUTH_TOKEN
from tests.server.harness import Console, ToneTTS, speech

LINES = ("Hi, I'd like to book a table", "John Smith, party of four, Saturday at seven pm")
# the caller hangs up; talks over the greeting then hangs up; presses 0 for a human; the
# socket breaks mid-reply; the voice fails on every sentence and the call goes on unheard
KINDS = ("hangup", "barge", "transfer", "broken", "failing")
Track = Callable[[str, object], None]


def call_sid(kind: str, number: int) -> str:
    return f"CA{kind}{number:0{32 - len(kind)}d}"


class _ForgetfulSTT:
    """The oracle recogniser, without its list of every stream it opened."""

    name = "oracle"

    def __init__(self, track: Track) -> None:
        self._stt = OracleSTT(LINES)
        self.sample_rate = self._stt.sample_rate
        self._track = track

    async def open_stream(self) -> STTStream:
        stream = await self._stt.open_stream()
        self._stt.streams.clear()
        self._track("stt stream", stream)
        return stream

    async def aclose(self) -> None:
        pass


class _ForgetfulTTS:
    """The tone voice, without its log of every sentence; `failing` raises on each one."""

    name = "tone"
    sample_rate = ToneTTS.sample_rate

    def __init__(self, track: Track, ms: int, *, failing: bool = False) -> None:
        self._tone = ToneTTS(ms=ms)
        self._track = track
        self._failing = failing

    def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        if self._failing:
            raise RuntimeError("the synthesiser is down")
        stream = self._tone.synthesize(text)
        self._tone.spoken.clear()
        self._track("tts stream", stream)
        return stream

    async def aclose(self) -> None:
        pass


class CallMix:
    """The voice factory of a server taking the mix, and the caller's side of each call."""

    def __init__(self, track: Track | None = None) -> None:
        self._track: Track = track or (lambda kind, obj: None)
        self._stt = _ForgetfulSTT(self._track)
        self._short = _ForgetfulTTS(self._track, 120)
        self._long = _ForgetfulTTS(self._track, 4000)  # long enough to talk over
        self._failing = _ForgetfulTTS(self._track, 120, failing=True)
        self._speech: dict[str, bytes] = {}

    def voice(self, agent: AgentSession, output: AudioOutput) -> VoiceCall:
        sid = agent.conversation_id
        tts = self._short
        if sid.startswith(("CAbarge", "CAbroken")):
            tts = self._long
        elif sid.startswith("CAfailing"):
            tts = self._failing
        voice = VoiceSession(agent, self._stt, tts, output, VoiceConfig(reprompt_after_s=60))
        for kind, obj in [("agent", agent), ("transport", output), ("voice", voice)]:
            self._track(kind, obj)
        self._track("escalation", agent.escalation)
        self._track("brain", agent.brain)
        return voice

    async def _say(self, peer: TwilioPeer, line: str, *, realtime: bool = False) -> None:
        if line not in self._speech:
            self._speech[line] = await speech(line)
        await peer.say(self._speech[line], realtime=realtime)

    async def call(self, base: str, kind: str, sid: str, console: Console) -> None:
        """Place one call of `kind` on the server at `base`; returns once the server ended it."""
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        if kind == "hangup":
            await console.replied(sid, 1)
            for turn, line in enumerate(LINES, start=2):
                await self._say(peer, line)
                await console.replied(sid, turn)
            await peer.hang_up()
        elif kind == "barge":
            await peer.until(lambda played: played.frames >= 25)  # mid-greeting
            await self._say(peer, LINES[0], realtime=True)
            await peer.until(lambda played: played.clears >= 1)
            await console.answered(sid, 1)
            await peer.hang_up()
        elif kind == "transfer":
            await console.replied(sid, 1)
            await peer.dtmf("0")
            await peer.closed.wait()  # the server ends its side once Twilio runs the <Dial>
            await peer.close()
        elif kind == "failing":  # no reply is heard, but the call goes on
            await console.replied(sid, 1)
            await self._say(peer, LINES[0])
            await console.replied(sid, 2)
            await peer.hang_up()
        else:  # the socket breaks mid-reply: no stop, no close frame
            await peer.until(lambda played: played.frames >= 25)
            peer.ws.transport.abort()
            await peer.close()
        await console.until(lambda c: sid in c.ended)
