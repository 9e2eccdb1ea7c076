"""The agent's question becomes the recogniser's hint: a number, a name, and who can use it."""

from __future__ import annotations

import math

from resvoice.agent.notepad import Notepad
from resvoice.agent.state import CallState
from resvoice.replay.format import load_transcript
from resvoice.replay.voice import VoiceProviders, VoiceReplayOptions, replay_voice_transcript
from resvoice.runtime import Runtime
from resvoice.voice.listening import listening_after
from resvoice.voice.stt.hints import Hintable, Listening
from tests.conftest import TRANSCRIPTS
from tests.fakes.oracle_stt import OracleStream, OracleSTT
from tests.fakes.voice import ScriptedTTS


def state(expecting: list[str] | None = None, name: str | None = None) -> CallState:
    call = CallState(conversation_id="c", notepad=Notepad(name=name))
    if expecting is not None:
        call.brain_state["expecting"] = expecting
    return call


def test_the_brain_s_expected_field_or_the_question_s_words_give_the_hint() -> None:
    assert listening_after(state(["phone"]), "Thanks.").expect == "phone"
    assert listening_after(state(), "Could you say the number again, digit by digit?").expect == (
        "phone"
    )
    named = listening_after(state(["name"], name="Sam Lee"), "May I have a name?")
    assert named == Listening(expect="name", names=("Sam Lee",))
    assert listening_after(state(), "How many people will be joining?").expect == "count"
    assert listening_after(state(), "Shall I book it?").expect == "yes_no"
    assert listening_after(state(), "We open at noon.").expect == "anything"


class HintedOracle(OracleSTT):
    """An oracle recogniser whose streams take hints and remember them."""

    def __init__(self, script: list[str]) -> None:
        super().__init__(
            script, threshold_dbfs=-math.inf, end_silence_ms=300, partial_after_ms=math.inf
        )
        self.hints: list[Listening] = []

    async def open_stream(self) -> OracleStream:
        oracle = self

        class Stream(OracleStream):
            def listen_for(self, hint: Listening) -> None:
                oracle.hints.append(hint)

        stream = Stream(self)
        self.streams.append(stream)
        return stream


async def test_the_voice_call_tells_a_hintable_recogniser_what_comes_next(
    runtime: Runtime,
) -> None:
    path = next(p for p in TRANSCRIPTS if p.name.startswith("01_"))
    transcript = load_transcript(path)
    stt = HintedOracle([t.user or "" for t in transcript.turns])

    async def caller(_voice: str) -> ScriptedTTS:
        return ScriptedTTS()

    result = await replay_voice_transcript(
        runtime,
        transcript,
        source=str(path),
        providers=VoiceProviders(stt=stt, tts=ScriptedTTS(), caller=caller),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert isinstance(stt.streams[0], Hintable)
    expected = [hint.expect for hint in stt.hints]
    assert "phone" in expected  # after "Is the number you're calling from the best one?"
    assert expected[-2] == "yes_no"  # the read-back
    assert Listening(expect="phone", names=("John Smith",)) in stt.hints
