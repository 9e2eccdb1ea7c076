"""Texts of a server's calls and staff are counted on its /metrics, by outcome."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from resvoice.agent.messenger import MessageResult, RecordingMessenger
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext


class _Refusing:
    async def send(self, to: str, body: str) -> MessageResult:
        return MessageResult(to=to, body=body, sent=False, error="Twilio refused it (400)")


async def test_sent_failed_and_skipped_texts_are_counted(
    make_ctx: Callable[..., ServerContext],
) -> None:
    ctx = make_ctx()
    recorded = ctx.runtime.outbox(RecordingMessenger(), conversation_id="CA1")
    await recorded.send("+14155550122", "Booked.")
    await recorded.send("555-0122", "Booked.")  # not E.164: skipped
    await recorded.drain()
    refused = ctx.runtime.outbox(_Refusing(), reservation_id=3)
    await refused.send("+14155550123", "Cancelled.")
    await refused.drain()
    with TestClient(create_app(ctx)) as client:
        text = client.get("/metrics").text
    counts = {
        sample.labels["status"]: sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "resvoice_texts"
        for sample in family.samples
        if sample.name.endswith("_total")
    }
    assert counts == {"sent": 1, "skipped": 1, "failed": 1}
