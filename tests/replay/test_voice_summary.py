"""The last line of a voice replay's report: mean WER and the barge-ins over all its calls."""

from __future__ import annotations

from resvoice.replay.report import voice_summary
from resvoice.replay.runner import VoiceStats


def stats(wer: float | None, barge_ins: int = 0, resumed: int = 0, held: int = 0) -> VoiceStats:
    return VoiceStats(
        wer=wer,
        turn_latency_ms_p50=None,
        turn_latency_ms_p95=None,
        barge_ins=barge_ins,
        resumed=resumed,
        held=held,
    )


def test_the_mean_counts_only_calls_with_words_and_the_barge_ins_add_up() -> None:
    line = voice_summary([stats(0.1, 2, 1), stats(None, 1, 1, 1), stats(0.3, 0, 0, 2)])
    assert line == "voice: mean WER 0.200 over 2 calls | barge-ins 3, resumed 2, held 3"


def test_no_words_at_all_shows_no_mean() -> None:
    assert voice_summary([stats(None)]).startswith("voice: mean WER - over 0 calls")
