"""Per-turn latency of the voice loop: end of caller speech -> final transcript -> first LLM
token -> first sentence -> first audio byte out. Keys as stored in session metadata
`voice_turns` and carried by `TurnLatency`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from resvoice.call_metadata import LatencyPercentiles
from resvoice.percentile import percentile

KEYS = (
    "end_of_speech_to_final_ms",
    "final_to_first_token_ms",
    "first_token_to_first_sentence_ms",
    "first_sentence_to_first_audio_ms",
    "end_of_speech_to_first_audio_ms",
)


@dataclass
class TurnTimer:
    """Moments of one turn on one monotonic clock (seconds)."""

    speech_end: float | None = None
    final: float | None = None
    moments: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str, at: float) -> None:
        """Note the first time `name` happened."""
        self.moments.setdefault(name, at)

    def first_audio(self, at: float) -> dict[str, float]:
        """The figures once the first audio byte goes out; missing stages are left out."""
        self.mark("first_audio", at)
        points = {"speech_end": self.speech_end, "final": self.final, **self.moments}
        spans = {
            "end_of_speech_to_final_ms": ("speech_end", "final"),
            "final_to_first_token_ms": ("final", "first_token"),
            "first_token_to_first_sentence_ms": ("first_token", "first_sentence"),
            "first_sentence_to_first_audio_ms": ("first_sentence", "first_audio"),
            "end_of_speech_to_first_audio_ms": ("speech_end", "first_audio"),
        }
        figures: dict[str, float] = {}
        for key, (start, end) in spans.items():
            a, b = points.get(start), points.get(end)
            if a is not None and b is not None:
                figures[key] = round(max(0.0, b - a) * 1000, 3)
        return figures


def percentiles(turns: Iterable[Mapping[str, float]], key: str) -> tuple[float, float] | None:
    """(p50, p95) of one key over a call's turns (nearest rank, as `resvoice stats` computes
    them), or None when no turn has it."""
    values = [turn[key] for turn in turns if key in turn]
    if not values:
        return None
    return percentile(values, 50), percentile(values, 95)


def latency_summary(turns: Iterable[Mapping[str, float]]) -> dict[str, LatencyPercentiles]:
    """Per key, p50 and p95 over a call's turns (session metadata `voice_latency_ms`)."""
    turns = list(turns)
    summary: dict[str, LatencyPercentiles] = {}
    for key in KEYS:
        found = percentiles(turns, key)
        if found is not None:
            summary[key] = LatencyPercentiles(p50=round(found[0], 1), p95=round(found[1], 1))
    return summary
