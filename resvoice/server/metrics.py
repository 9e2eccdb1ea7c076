"""Prometheus metrics of one server (a registry per app, never the process-global one).

The two per-frame histograms (inbound handling time and lag, 50 samples a second per call) are
`FrameHistogram`s: a plain list of bucket counts bumped with no lock and no label lookup, turned
into a Prometheus histogram only when /metrics is scraped.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_LATEST


class FrameHistogram(Collector):
    """A histogram cheap enough to observe on every 20 ms frame of every call (the event loop is
    one thread, so no lock); exposed like a prometheus_client `Histogram`."""

    def __init__(self, name: str, documentation: str, buckets: tuple[float, ...]) -> None:
        self.name = name
        self.documentation = documentation
        self.bounds = tuple(sorted(buckets))
        self.counts = [0] * (len(self.bounds) + 1)  # the last one: above every bound (+Inf)
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value

    def collect(self) -> Iterator[Metric]:
        cumulative, running = [], 0
        for bound, count in zip((*map(str, self.bounds), "+Inf"), self.counts, strict=True):
            running += count
            cumulative.append((bound, float(running)))
        yield HistogramMetricFamily(
            self.name, self.documentation, buckets=cumulative, sum_value=self.sum
        )


class _Setting(Collector):
    """A configured limit, shown as a gauge (read at scrape time)."""

    def __init__(self, name: str, documentation: str, read: Callable[[], float]) -> None:
        self._name = name
        self._documentation = documentation
        self._read = read

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(self._name, self._documentation, value=self._read())


class ServerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.active_calls = Gauge("resvoice_active_calls", "Calls in progress.", registry=r)
        self.calls = Counter(
            "resvoice_calls", "Calls ended, by how they ended.", ["reason"], registry=r
        )
        self.turn_latency = Histogram(
            "resvoice_turn_latency_seconds",
            "Agent turn latency (caller's end of speech to first agent audio when known, "
            "otherwise the core turn).",
            buckets=(0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0),
            registry=r,
        )
        self.escalations = Counter(
            "resvoice_escalations", "Escalations to a human, by reason.", ["reason"], registry=r
        )
        self.transfers = Counter(
            "resvoice_transfers", "Transfers to a human, by outcome.", ["outcome"], registry=r
        )
        self.texts = Counter(
            "resvoice_texts",
            "Texts to guests, by what became of them (sent, failed, skipped).",
            ["status"],
            registry=r,
        )
        self.provider_errors = Counter(
            "resvoice_provider_errors", "STT/TTS/LLM errors.", ["provider"], registry=r
        )
        self.frame_seconds = FrameHistogram(
            "resvoice_frame_handling_seconds",
            "Time to handle one inbound media frame (parse, decode, resample, hand to STT).",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1),
        )
        self.frame_lag = FrameHistogram(
            "resvoice_frame_lag_seconds",
            "How much later than its own timestamp an inbound frame was read, relative to the "
            "stream's most punctual frame (network jitter plus event-loop delay).",
            buckets=(0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
        )
        r.register(self.frame_seconds)
        r.register(self.frame_lag)
        self.bad_frames = Counter(
            "resvoice_bad_frames", "Malformed media-stream frames, survived.", ["kind"], registry=r
        )
        self.late_frames = Counter(
            "resvoice_late_frames",
            "Outbound 20 ms frames that were ready in time but sent after the caller's buffer "
            "had run dry (the server's fault, not the synthesiser's).",
            registry=r,
        )
        self.frames_sent = Counter(
            "resvoice_frames_sent", "Outbound 20 ms frames of agent audio.", registry=r
        )
        self.lines_busy = Counter(
            "resvoice_lines_busy",
            "Calls answered with 'all our lines are busy' and a callback offer (over the limit).",
            registry=r,
        )
        self.rejected_streams = Counter(
            "resvoice_rejected_streams", "Media streams refused (no valid token).", registry=r
        )

    def limit_calls(self, read: Callable[[], float]) -> None:
        """Expose the call limit (`RESVOICE_MAX_CALLS` or the measured default) on /metrics."""
        self.registry.register(
            _Setting("resvoice_max_calls", "Calls taken at once; past it: lines busy.", read)
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
