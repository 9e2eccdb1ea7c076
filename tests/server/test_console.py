"""The staff console: auth, the SSE feed (snapshot then live updates) and claiming."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable

import httpx
from starlette.testclient import TestClient

from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.board import escalation_view
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.storage.records import EscalationRecord
from tests.fakes.servers import serving
from tests.server.conftest import CONSOLE_TOKEN
from tests.server.harness import sse_events

HANG_GUARD_S = 30  # only stops a broken feed from hanging the run; nothing is timed


def test_console_needs_the_token_then_keeps_it_in_a_cookie(ctx: ServerContext) -> None:
    with TestClient(create_app(ctx)) as client:
        assert client.get("/console").status_code == 401
        assert client.get("/console?token=wrong").status_code == 401
        assert client.get("/console/events").status_code == 401
        first = client.get(f"/console?token={CONSOLE_TOKEN}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/console"
        assert "httponly" in first.headers["set-cookie"].lower()
        page = client.get("/console")
    assert page.status_code == 200
    assert "EventSource" in page.text
    # no CDN: nothing is loaded from elsewhere
    assert "<script src" not in page.text and "<link" not in page.text
    assert "http://" not in page.text and "https://" not in page.text


def test_console_basic_auth_and_disabled_console(make_ctx: Callable[..., ServerContext]) -> None:
    ctx = make_ctx(console_auth=ConsoleAuth(user="maria", password="s3cret"))
    good = "Basic " + base64.b64encode(b"maria:s3cret").decode()
    bad = "Basic " + base64.b64encode(b"maria:nope").decode()
    with TestClient(create_app(ctx)) as client:
        refused = client.get("/console", headers={"Authorization": bad})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Basic")
        assert client.get("/console", headers={"Authorization": good}).status_code == 200
    with TestClient(create_app(make_ctx(console_auth=ConsoleAuth()))) as client:
        disabled = client.get("/console")
    assert disabled.status_code == 403 and "RESVOICE_CONSOLE_TOKEN" in disabled.text


async def test_feed_sends_a_snapshot_then_live_updates_and_claims(
    ctx: ServerContext, runtime: Runtime
) -> None:
    old = await runtime.storage.create_escalation(
        EscalationRecord(
            conversation_id="CA-old",
            reason="frustrated",
            notepad={"name": "Ada"},
            missing_fields=("phone",),
        )
    )
    headers = {"Authorization": f"Bearer {CONSOLE_TOKEN}"}
    async with (
        serving(create_app(ctx)) as base,
        httpx.AsyncClient(base_url=base, headers=headers) as client,
        client.stream("GET", "/console/events") as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response)
        kind, snapshot = await anext(events)
        assert kind == "snapshot"
        assert snapshot["calls"] == []
        assert snapshot["escalations"] == [json.loads(json.dumps(escalation_view(old)))]

        new = await runtime.storage.create_escalation(
            EscalationRecord(conversation_id="CA-new", reason="user_requested")
        )
        # no publish here: the server's relay of the storage's escalation feed pushes it
        kind, pushed = await asyncio.wait_for(anext(events), HANG_GUARD_S)
        assert (kind, pushed["id"], pushed["status"]) == ("escalation", new.id, "queued")

        claimed = await client.post(f"/console/escalations/{new.id}/claim")
        assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
        kind, pushed = await anext(events)
        assert (kind, pushed["id"], pushed["status"]) == ("escalation", new.id, "claimed")
        again = await client.post(f"/console/escalations/{new.id}/claim")
        assert again.status_code == 409
        assert again.json()["error"] == "already claimed by staff"
        assert again.json()["escalation"]["claimed_by"] == "staff"
        unknown = await client.post("/console/escalations/999999/claim")
        assert unknown.status_code == 404
    [row] = await runtime.storage.escalations("CA-new")
    assert (row.status, row.claimed_by) == ("claimed", "staff")
    assert row.claimed_at is not None
