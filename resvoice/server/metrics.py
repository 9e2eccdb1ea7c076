"""Prometheus metrics of one server (a registry per app, never the process-global one)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST


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
        self.frame_seconds = Histogram(
            "resvoice_frame_handling_seconds",
            "Time to handle one inbound media frame (parse, decode, resample, hand to STT).",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1),
            registry=r,
        )
        self.frame_lag = Histogram(
            "resvoice_frame_lag_seconds",
            "How much later than its own timestamp an inbound frame was read, relative to the "
            "stream's first frame (network jitter plus event-loop delay).",
            buckets=(0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=r,
        )
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
        self.rejected_streams = Counter(
            "resvoice_rejected_streams", "Media streams refused (no valid token).", registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
