"""Silero VAD: segmentation rules on scripted probabilities, then the real model on speech."""

from __future__ import annotations

import importlib.util

import pytest

from resvoice.audio.framing import Reframer
from resvoice.errors import ConfigError
from resvoice.voice.stt.vad import (
    FRAME_MS,
    FRAME_SAMPLES,
    SegmenterConfig,
    SileroVAD,
    SpeechEnd,
    SpeechPause,
    SpeechStart,
    VADEvent,
    VADSegmenter,
    VADState,
)

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("faster_whisper") is None
    or importlib.util.find_spec("onnxruntime") is None
    or importlib.util.find_spec("espeakng_loader") is None,
    reason="needs the offline extra",
)


def run(probabilities: list[float], config: SegmenterConfig | None = None) -> list[VADEvent]:
    segmenter = VADSegmenter(config, frame_ms=20)
    events = [e for p in probabilities for e in segmenter.push(p)]
    end = segmenter.finish()
    return events + ([end] if end else [])


def test_onset_is_confirmed_after_min_speech_and_dated_from_its_start() -> None:
    events = run([0.0] * 5 + [0.9] * 20 + [0.0] * 40)
    assert events == [
        SpeechStart(at_ms=5 * 20 + 300, onset_ms=100),
        SpeechPause(at_ms=500 + 100, speech_end_ms=500),  # 96 ms, at the next 20 ms frame
        SpeechEnd(at_ms=500 + 600, onset_ms=100, speech_end_ms=500, confirmed=True),
    ]


def test_a_blip_shorter_than_min_speech_never_starts_a_turn() -> None:
    events = run([0.0] * 5 + [0.95] * 10 + [0.0] * 40)  # 200 ms cough
    assert not any(isinstance(e, SpeechStart) for e in events)
    assert events[-1] == SpeechEnd(at_ms=900, onset_ms=100, speech_end_ms=300, confirmed=False)


def test_a_short_gap_resumes_the_same_turn() -> None:
    events = run([0.9] * 20 + [0.1] * 15 + [0.9] * 20 + [0.0] * 40)
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["SpeechStart", "SpeechPause", "SpeechResume", "SpeechPause", "SpeechEnd"]
    assert events[-1] == SpeechEnd(at_ms=1100 + 600, onset_ms=0, speech_end_ms=1100, confirmed=True)


def test_hysteresis_keeps_speech_through_middling_frames() -> None:
    events = run([0.9] * 20 + [0.4] * 30 + [0.0] * 40)  # 0.4 >= neg_threshold: still speech
    assert events[-1] == SpeechEnd(at_ms=1000 + 600, onset_ms=0, speech_end_ms=1000, confirmed=True)


def test_audio_ending_mid_speech_closes_the_segment() -> None:
    assert run([0.9] * 30)[-1] == SpeechEnd(600, 0, 600, True)
    assert run([0.0] * 30) == []


def test_silence_window_is_a_setting() -> None:
    events = run([0.9] * 20 + [0.0] * 20 + [0.9] * 20, SegmenterConfig(end_silence_ms=300))
    assert [e.confirmed for e in events if isinstance(e, SpeechEnd)] == [True, True]


def test_endless_speech_is_cut_into_bounded_turns() -> None:
    events = run([0.9] * 130, SegmenterConfig(max_segment_ms=1000))
    ends = [e for e in events if isinstance(e, SpeechEnd)]
    assert [(e.onset_ms, e.at_ms, e.speech_end_ms) for e in ends] == [
        (0, 1000, 1000),
        (1000, 2000, 2000),
        (2000, 2600, 2600),
    ]
    assert sum(isinstance(e, SpeechStart) for e in events) == 3


def test_bad_config_is_rejected() -> None:
    with pytest.raises(ConfigError, match="thresholds"):
        SegmenterConfig(threshold=0.3, neg_threshold=0.5)
    with pytest.raises(ConfigError, match="pause_ms"):
        SegmenterConfig(pause_ms=900, end_silence_ms=600)
    with pytest.raises(ConfigError, match="max_segment_ms"):
        SegmenterConfig(max_segment_ms=500)


def segments(vad: SileroVAD, pcm: bytes) -> list[SpeechEnd]:
    state, segmenter, reframer = VADState(), VADSegmenter(), Reframer(FRAME_SAMPLES * 2)
    ends: list[SpeechEnd] = []
    for frame in reframer.push(pcm):
        for p in vad.probabilities(state, frame):
            ends += [e for e in segmenter.push(p) if isinstance(e, SpeechEnd)]
    last = segmenter.finish()
    return ends + ([last] if last else [])


@needs_model
async def test_speech_silence_speech_gives_two_turns() -> None:
    from tests.voice.speech import espeak_16k, silence, voiced_span_ms

    first = await espeak_16k("I would like a table for four tomorrow night.")
    second = await espeak_16k("Seven thirty would be great.")
    clip = silence(300) + first + silence(1000) + second + silence(800)
    ends = segments(SileroVAD(), clip)
    assert [e.confirmed for e in ends] == [True, True]
    start_1, end_1 = voiced_span_ms(first)
    start_2, _ = voiced_span_ms(second)
    assert ends[0].onset_ms == pytest.approx(300 + start_1, abs=100)
    assert ends[0].speech_end_ms == pytest.approx(300 + end_1, abs=150)
    assert ends[1].onset_ms == pytest.approx(300 + len(first) / 32 + 1000 + start_2, abs=100)


@needs_model
@pytest.mark.parametrize("kind", ["silence", "low noise"])
def test_silence_or_low_noise_gives_no_turn(kind: str) -> None:
    from tests.voice.speech import noise, silence

    clip = silence(3000) if kind == "silence" else noise(3000, dbfs=-45)
    assert segments(SileroVAD(), clip) == []


@needs_model
def test_each_stream_keeps_its_own_state() -> None:
    from tests.voice.speech import noise

    vad = SileroVAD()
    clip = noise(FRAME_MS * 10, dbfs=-20)
    clip = clip[: len(clip) - len(clip) % (FRAME_SAMPLES * 2)]
    alone = vad.probabilities(VADState(), clip)
    a, b = VADState(), VADState()
    interleaved = [
        (vad.probabilities(a, clip[i : i + 1024]), vad.probabilities(b, b"\0" * 1024))[0][0]
        for i in range(0, len(clip), 1024)
    ]
    assert interleaved == pytest.approx(alone, abs=1e-5)


def test_vad_rejects_partial_frames() -> None:
    if importlib.util.find_spec("faster_whisper") is None:
        pytest.skip("needs the offline extra")
    with pytest.raises(ValueError, match="whole 512-sample frames"):
        SileroVAD().probabilities(VADState(), b"\0" * 100)


def test_hold_keeps_the_turn_open_until_the_longer_silence() -> None:
    config = SegmenterConfig(unfinished_silence_ms=1500)
    segmenter = VADSegmenter(config, frame_ms=20)
    events = [e for p in [0.9] * 20 + [0.0] * 30 for e in segmenter.push(p)]
    assert isinstance(events[-1], SpeechEnd) and events[-1].at_ms == 400 + 600
    assert segmenter.hold() and segmenter.in_segment
    assert not segmenter.hold()  # once per pause
    later = [e for p in [0.0] * 45 for e in segmenter.push(p)]
    assert later == [SpeechEnd(at_ms=400 + 1500, onset_ms=0, speech_end_ms=400, confirmed=True)]
    assert not segmenter.hold()  # the held pause ran out: the turn is over


def test_speech_after_a_hold_is_the_same_turn() -> None:
    segmenter = VADSegmenter(SegmenterConfig(unfinished_silence_ms=1500), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 30:
        segmenter.push(p)
    assert segmenter.hold()
    events = [e for p in [0.0] * 20 + [0.9] * 20 + [0.0] * 30 for e in segmenter.push(p)]
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["SpeechResume", "SpeechPause", "SpeechEnd"]
    assert isinstance(events[-1], SpeechEnd) and events[-1].onset_ms == 0
    assert events[-1].at_ms - events[-1].speech_end_ms == 600  # back to the usual window
    assert segmenter.hold()  # a new pause may be held again


def test_no_hold_at_the_end_of_audio_or_without_a_longer_window() -> None:
    segmenter = VADSegmenter(frame_ms=20)
    for p in [0.9] * 20:
        segmenter.push(p)
    assert segmenter.finish() is not None and not segmenter.hold()
    same = VADSegmenter(SegmenterConfig(unfinished_silence_ms=600), frame_ms=20)
    assert any(isinstance(e, SpeechEnd) for p in [0.9] * 20 + [0.0] * 30 for e in same.push(p))
    assert not same.hold()
    with pytest.raises(ConfigError):
        SegmenterConfig(end_silence_ms=800, unfinished_silence_ms=700)


def test_shorten_ends_a_pause_at_the_finished_silence() -> None:
    segmenter = VADSegmenter(SegmenterConfig(finished_silence_ms=300), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 10:  # speech to 400 ms, then 200 ms of silence
        segmenter.push(p)
    assert segmenter.shorten()
    assert not segmenter.shorten()  # once per pause
    events = [e for p in [0.0] * 10 for e in segmenter.push(p)]
    assert events == [SpeechEnd(at_ms=400 + 300, onset_ms=0, speech_end_ms=400, confirmed=True)]


def test_shorten_after_the_finished_silence_ends_at_the_next_frame() -> None:
    segmenter = VADSegmenter(SegmenterConfig(finished_silence_ms=300), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 20:  # 400 ms of silence: past 300, short of 600
        segmenter.push(p)
    assert segmenter.shorten()
    assert segmenter.push(0.0) == [SpeechEnd(820, 0, 400, True)]


def test_shorten_is_only_for_a_pause_and_speech_undoes_it() -> None:
    segmenter = VADSegmenter(SegmenterConfig(finished_silence_ms=300), frame_ms=20)
    assert not segmenter.shorten()  # no segment
    for p in [0.9] * 20:
        segmenter.push(p)
    assert not segmenter.shorten()  # the caller is speaking
    for p in [0.0] * 10:
        segmenter.push(p)
    assert segmenter.shorten()
    events = [e for p in [0.9] * 10 + [0.0] * 30 for e in segmenter.push(p)]
    [end] = [e for e in events if isinstance(e, SpeechEnd)]
    assert end.at_ms - end.speech_end_ms == 600  # the caller went on: the usual window again


def test_no_shorten_after_a_hold_or_without_a_shorter_window() -> None:
    segmenter = VADSegmenter(SegmenterConfig(finished_silence_ms=300), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 30:
        segmenter.push(p)
    assert segmenter.hold()
    assert not segmenter.shorten()  # the words were unfinished: the hold stands
    same = VADSegmenter(SegmenterConfig(finished_silence_ms=600), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 10:
        same.push(p)
    assert not same.shorten()
    with pytest.raises(ConfigError, match="finished_silence_ms"):
        SegmenterConfig(finished_silence_ms=700)


def test_a_nearly_whole_hold_is_the_shorter_one_within_the_usual_bounds() -> None:
    config = SegmenterConfig(unfinished_silence_ms=1500, nearly_whole_silence_ms=1000)
    segmenter = VADSegmenter(config, frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 30:
        segmenter.push(p)
    assert segmenter.hold(nearly_whole=True)
    later = [e for p in [0.0] * 45 for e in segmenter.push(p)]
    assert later == [SpeechEnd(at_ms=400 + 1000, onset_ms=0, speech_end_ms=400, confirmed=True)]
    # a nearly-whole hold longer than the full one is cut to it; one shorter than the usual
    # end is no hold at all
    longer = VADSegmenter(SegmenterConfig(nearly_whole_silence_ms=2500), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 30:
        longer.push(p)
    assert longer.hold(nearly_whole=True)
    ends = [e for p in [0.0] * 70 for e in longer.push(p)]
    assert [e.at_ms for e in ends if isinstance(e, SpeechEnd)] == [400 + 1500]
    short = VADSegmenter(SegmenterConfig(nearly_whole_silence_ms=300), frame_ms=20)
    for p in [0.9] * 20 + [0.0] * 30:
        short.push(p)
    assert not short.hold(nearly_whole=True)
