"""/metrics: Prometheus text on a registry of its own per app."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from resvoice.server.app import create_app
from resvoice.server.context import ServerContext


def test_metrics_are_prometheus_text_and_per_app(make_ctx: Callable[..., ServerContext]) -> None:
    first, second = make_ctx(), make_ctx()
    first.metrics.escalations.labels(reason="frustrated").inc()
    first.metrics.active_calls.inc()
    with TestClient(create_app(first)) as one, TestClient(create_app(second)) as two:
        text_one = one.get("/metrics")
        text_two = two.get("/metrics")
        health = one.get("/healthz")
    assert text_one.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(text_one.text)}
    for name in (
        "resvoice_active_calls",
        "resvoice_turn_latency_seconds",
        "resvoice_escalations",
        "resvoice_provider_errors",
        "resvoice_frame_handling_seconds",
        "resvoice_late_frames",
    ):
        assert name in families, name
    assert families["resvoice_active_calls"].samples[0].value == 1
    [escalated] = [s for s in families["resvoice_escalations"].samples if s.name.endswith("_total")]
    assert escalated.labels == {"reason": "frustrated"} and escalated.value == 1
    assert "resvoice_escalations_total{" not in text_two.text  # nothing leaks between apps
    assert health.json() == {"status": "ok", "calls": 1 - 1}
