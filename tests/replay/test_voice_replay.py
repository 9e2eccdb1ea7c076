"""Voice replay plumbing with scripted providers: frames in, checks, WER, JSON, the WAV tape."""

from __future__ import annotations

import math
import wave
from pathlib import Path

from resvoice.replay.format import load_transcript
from resvoice.replay.voice import VoiceProviders, VoiceReplayOptions, replay_voice_transcript
from resvoice.replay.wer import caller_words
from resvoice.runtime import Runtime
from resvoice.voice.stt.vad import SegmenterConfig
from tests.conftest import TRANSCRIPTS
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.voice import ScriptedTTS

BOOKING = next(p for p in TRANSCRIPTS if p.name.startswith("01_"))


def user_lines(path: Path) -> list[str]:
    return [t.user for t in load_transcript(path).turns if t.user]


def providers(heard: list[str]) -> VoiceProviders:
    # the scripted caller's samples are tiny (1, 2, ...): any sound at all is speech
    stt = OracleSTT(heard, threshold_dbfs=-math.inf, end_silence_ms=300, partial_after_ms=math.inf)

    async def caller(_voice: str) -> ScriptedTTS:
        return ScriptedTTS()

    return VoiceProviders(stt=stt, tts=ScriptedTTS(), caller=caller)


async def test_a_perfectly_heard_call_passes_like_the_text_replay(
    runtime: Runtime, tmp_path: Path
) -> None:
    lines = user_lines(BOOKING)
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=providers(lines),
        options=VoiceReplayOptions(fast=True, record_dir=tmp_path),
    )
    assert result.passed, result.failures
    assert result.reservation is not None
    assert result.voice is not None and result.voice.wer == 0.0
    assert result.voice.turn_latency_ms_p50 is not None
    assert result.voice.turn_latency_ms_p95 is not None
    assert result.voice.turn_latency_ms_p50 <= result.voice.turn_latency_ms_p95
    assert [t.heard for t in result.turns] == lines
    data = result.json_line()
    assert set(data["voice"]) == {
        *("wer", "turn_latency_ms_p50", "turn_latency_ms_p95"),
        *("barge_ins", "resumed", "held"),
        *("corrections", "said_again"),
    }
    assert data["voice"]["corrections"] == [] and data["voice"]["said_again"] == 0
    with wave.open(str(tmp_path / f"{BOOKING.stem}.wav")) as wav:
        assert wav.getnchannels() == 2 and wav.getframerate() == 16_000
        frames = wav.readframes(wav.getnframes())
    left = frames[0::4] + frames[1::4]
    right = frames[2::4] + frames[3::4]
    assert any(left) and any(right)  # the caller on the left, the agent on the right


async def test_a_turn_held_to_the_longest_silence_still_ends_in_fast_mode(
    runtime: Runtime,
) -> None:
    # every line sounds unfinished to the recogniser: it waits the longest hold, plus its lag
    held_ms = SegmenterConfig().unfinished_silence_ms + 200
    lines = user_lines(BOOKING)
    stt = OracleSTT(lines, threshold_dbfs=-math.inf, end_silence_ms=held_ms)
    base = providers(lines)
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=VoiceProviders(stt=stt, tts=base.tts, caller=base.caller),
        options=VoiceReplayOptions(fast=True, correct=False, turn_timeout_s=10),
    )
    assert result.passed, result.failures  # no turn left waiting for silence that never came


async def test_misheard_words_fail_the_checks_and_raise_the_wer(runtime: Runtime) -> None:
    lines = user_lines(BOOKING)
    misheard = [lines[0], lines[1].replace("four", "for"), "It's 555 123 4576", lines[3]]
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=providers(misheard),
        options=VoiceReplayOptions(fast=True, correct=False),  # a caller who never corrects
    )
    assert not result.passed
    assert result.voice is not None and result.voice.wer is not None and result.voice.wer > 0
    assert any("turn 3" in failure for failure in result.failures)


async def test_silence_and_dtmf_turns(runtime: Runtime) -> None:
    path = next(p for p in TRANSCRIPTS if p.name.startswith("30_"))
    result = await replay_voice_transcript(
        runtime,
        load_transcript(path),
        source=str(path),
        providers=providers(user_lines(path)),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    path = next(p for p in TRANSCRIPTS if p.name.startswith("18_"))
    result = await replay_voice_transcript(
        runtime,
        load_transcript(path),
        source=str(path),
        providers=providers(user_lines(path)),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert result.escalated


def test_text_replay_json_has_no_voice_fields() -> None:
    from resvoice.replay.runner import ReplayResult, TurnResult

    data = ReplayResult(
        name="x", file="x.yaml", passed=True, turns=[TurnResult(user="a", reply="b", latency_ms=1)]
    ).json_line()
    assert "voice" not in data and "heard" not in data["turns"][0] and "file" not in data


def test_callers_say_phone_numbers_digit_by_digit() -> None:
    assert caller_words("It's 555 123 4567") == "It's 5 5 5, 1 2 3, 4 5 6 7"
    assert caller_words("call 5551234567") == "call 5 5 5, 1 2 3, 4 5 6 7"
    assert caller_words("party of 4 at 7:30, $12.50") == "party of 4 at 7:30, $12.50"
