"""Recorded calls: a spoken notice, caller left and agent right as sent and played, time-aligned
on the line's clock, and an opt-out that stops the recording and deletes it."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from resvoice.agent.consent import DECLINED, NOTICE, asks_not_to_be_recorded
from resvoice.agent.events import RecordingDeclined, TurnCompleted
from resvoice.voice.events import BargeIn
from resvoice.voice.recording import CallRecording
from tests.fakes.voice import ScriptedBrain
from tests.voice.conftest import INSTANT, OpenCall

LONG = ["First, the good news. ", "We have a table. ", "It is by the window. ", "Enjoy it."]


def channels(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getframerate()) == (2, 16_000)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2)
    return frames[:, 0], frames[:, 1]


def caller_audio(ms: int, value: int) -> bytes:
    return np.full(16 * ms, value, dtype="<i2").tobytes()


async def test_both_channels_hold_what_was_sent_and_played(
    open_call: OpenCall, tmp_path: Path
) -> None:
    recording = CallRecording(tmp_path / "call.wav")
    brain = ScriptedBrain([["Hi. "], LONG, ["Sunday then."]])
    call = await open_call(INSTANT, auto_play=False, brain=brain, recording=recording)
    spoken = call.tts.spoken
    await call.output.until(
        lambda: spoken[-1:] == ["Hi."] and call.output.pending_marks() == len(spoken)
    )
    assert " ".join(spoken[:-1]) == NOTICE  # the notice opens the greeting
    call.output.play()
    await call.listening()
    greeting = b"".join(call.output.writes_after(0))
    sent = [caller_audio(400, 100)]
    await call.session.push_audio(sent[-1])  # the caller's line while the greeting played
    await call.stt.say("Is there a table tonight?")
    await call.output.until(lambda: call.output.pending_marks() == len(LONG))
    call.output.play(marks=1)
    cleared_at = len(call.output.log)
    played = bytes(call.output.played)
    sent.append(bytes(len(played) - len(greeting)))  # the line goes on while it plays
    await call.session.push_audio(sent[-1])
    await call.stt.start()  # a barge-in: the unplayed rest is cleared
    await call.log.wait_for(BargeIn)
    sent.append(caller_audio(600, 200))
    await call.session.push_audio(sent[-1])
    await call.stt.end("What about Sunday?")
    await call.log.wait_for(TurnCompleted, lambda e: e.user == "What about Sunday?")
    call.output.play()
    await call.listening(3)
    after = b"".join(call.output.writes_after(cleared_at))
    await call.session.hangup()
    await call.task

    assert call.agent.state.metadata.recording == str(tmp_path / "call.wav")
    left, right = channels(tmp_path / "call.wav")
    assert left[: len(b"".join(sent)) // 2].tobytes() == b"".join(sent)
    # the greeting went out before any caller audio: at the start of the line
    assert right[: len(greeting) // 2].tobytes() == greeting
    # the reply began at the line's position then (after the first stretch of caller audio)
    start = len(sent[0]) // 2
    heard = np.frombuffer(played[len(greeting) :], dtype="<i2")
    assert right[start : start + len(heard)].tobytes() == heard.tobytes()
    # what was sent but cleared unplayed is gone; the answer follows where the line was
    answer = len(b"".join(sent)) // 2
    assert right[answer : answer + len(after) // 2].tobytes() == after
    spoken = right[right != 0]
    expected = np.frombuffer(greeting + heard.tobytes() + after, dtype="<i2")
    assert spoken.tobytes() == expected[expected != 0].tobytes()


async def test_asking_not_to_be_recorded_stops_and_deletes_it(
    open_call: OpenCall, tmp_path: Path
) -> None:
    path = tmp_path / "call.wav"
    recording = CallRecording(path)
    call = await open_call(recording=recording)
    await call.listening()
    await call.session.push_audio(caller_audio(200, 100))
    await call.stt.say("Please don't record this call")
    await call.log.wait_for(RecordingDeclined)
    done = await call.log.wait_for(TurnCompleted, lambda e: bool(e.user))
    assert done.reply == DECLINED
    await call.session.push_audio(caller_audio(200, 100))
    await call.session.hangup()
    await call.task
    assert not path.exists() and recording.caller_track == bytearray()
    assert call.agent.state.metadata.recording == "declined"


def test_opt_out_phrases() -> None:
    for text in (
        "please don't record",
        "Don't record this call",
        "stop recording",
        "I don't want to be recorded",
        "Please do not record me",
        "I'd like to opt out",
    ):
        assert asks_not_to_be_recorded(text), text
    for text in ("I'd like a record of the booking", "Can I book a table?", "recorded music?"):
        assert not asks_not_to_be_recorded(text), text
