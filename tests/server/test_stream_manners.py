"""Protected speech on a real Twilio media stream: the caller talks over a read-back, no `clear`
is sent, every mark of it comes back, and what the caller said is answered after it."""

from __future__ import annotations

from collections.abc import Callable

from resvoice.agent.events import TextDelta
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.calls import VoiceCall
from resvoice.server.context import ServerContext
from resvoice.voice.transport import AudioOutput
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import TwilioPeer
from tests.fakes.voice import ScriptedBrain
from tests.server.conftest import AUTH_TOKEN
from tests.server.harness import Console, ToneTTS, speech, voice_factory

READ_BACK = "Let me read that back: a table for four on Saturday at seven PM, under Ada."


async def test_no_clear_is_sent_while_a_read_back_plays(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    question = "Sorry, what day was that?"
    stt = OracleSTT([question])
    tts = ToneTTS(ms=1500)  # long sentences: the caller talks over the read-back
    brain = ScriptedBrain([[TextDelta(READ_BACK, protected=True)], ["It is on Saturday."]])
    inner = voice_factory(stt, tts)

    def make(agent: AgentSession, output: AudioOutput) -> VoiceCall:
        agent.brain = brain
        return inner(agent, output)

    ctx = make_ctx(voice_factory=make)
    console = Console(ctx.hub)
    sid = "CA" + "c1" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await peer.until(lambda played: played.frames >= 10)
        await peer.say(await speech(question), realtime=True)
        await console.answered(sid, 1)
        assert peer.played.clears == 0
        # every sentence of the read-back was played to its mark before the answer
        log = peer.played.log
        answer = len(tts.spoken)  # the last sentence synthesised
        first = next(
            i for i, (kind, p) in enumerate(log) if kind == "media" and tts.sentence_of(p) == answer
        )
        read_back_marks = [p for kind, p in log[:first] if kind == "mark"]
        assert len(read_back_marks) == len(tts.spoken) - 1
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    record = await runtime.storage.load_session(sid)
    assert record is not None
    lines = [(line.role, line.text, line.interrupted) for line in record.transcript]
    assert lines[0] == ("agent", READ_BACK, False)
    assert lines[1] == ("caller", question, False)
