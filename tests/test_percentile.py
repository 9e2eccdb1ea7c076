"""One percentile for the project: nearest rank, and a call's own p95 is what `stats` reports."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resvoice.insights.stats import compute_stats
from resvoice.percentile import percentile
from resvoice.storage.records import SessionRecord
from resvoice.voice.latency import latency_summary

samples = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=200)


def test_nearest_rank_on_one_to_a_hundred() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # any order
    assert [percentile(values, q) for q in (1, 50, 95, 99, 100)] == [1, 50, 95, 99, 100]


def test_an_even_count_takes_the_lower_middle_and_never_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([10.0, 20.0], 95) == 20.0


@given(samples, st.floats(min_value=0.1, max_value=100))
def test_the_percentile_is_a_sample_with_q_percent_at_or_below(
    values: list[float], q: float
) -> None:
    found = percentile(values, q)
    assert found in values
    at_or_below = sum(v <= found for v in values)
    below = sum(v < found for v in values)
    assert at_or_below >= math.ceil(q / 100 * len(values)) - 1e-9
    assert below < max(1, math.ceil(q / 100 * len(values)))


def test_no_samples_or_a_bad_q_is_an_error() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 0)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60))
def test_a_calls_own_p95_equals_what_stats_reports(millis: list[int]) -> None:
    key = "end_of_speech_to_first_audio_ms"
    turns = [{key: m / 10} for m in millis]
    own = latency_summary(turns)[key]
    session = SessionRecord(conversation_id="c", metadata={"voice_turns": turns})
    reported = compute_stats([session], []).voice_latency_ms["end_to_end"]
    assert (own.p50, own.p95) == (round(reported.p50, 1), round(reported.p95, 1))
