"""The console against a hostile browser or client: a fresh token beats a stale cookie,
cross-origin state changes are refused (cookie and basic auth alike), the page cannot be framed
and runs under a strict CSP, and ids are bounded integers (404/400, never 500)."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.storage.records import EscalationRecord
from tests.server.conftest import CONSOLE_TOKEN, post_signed

BASIC = {"Authorization": "Basic " + base64.b64encode(b"ada:pw").decode()}
OURS = {"Origin": "http://testserver"}


def test_a_fresh_token_logs_in_over_a_stale_cookie(ctx: ServerContext) -> None:
    with TestClient(create_app(ctx)) as client:
        client.cookies.set("resvoice_console", "an-old-token")
        response = client.get(f"/console?token={CONSOLE_TOKEN}", follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/console").status_code == 200  # the cookie now holds the new one


def test_the_page_cannot_be_framed_and_runs_under_a_strict_policy(ctx: ServerContext) -> None:
    with TestClient(create_app(ctx)) as client:
        page = client.get("/console", headers={"Authorization": f"Bearer {CONSOLE_TOKEN}"})
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'sha256-" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize("mode", ["basic", "cookie"])
async def test_a_claim_from_another_origin_is_refused(
    make_ctx: Callable[..., ServerContext], runtime: Runtime, mode: str
) -> None:
    auth = ConsoleAuth(user="ada", password="pw") if mode == "basic" else None
    ctx = make_ctx(console_auth=auth) if auth else make_ctx()
    row = await runtime.storage.create_escalation(
        EscalationRecord(conversation_id="CA-x", reason="user_requested")
    )
    path = f"/console/escalations/{row.id}/claim"
    with TestClient(create_app(ctx)) as client:
        headers = dict(BASIC) if mode == "basic" else {}
        if mode == "cookie":
            client.get(f"/console?token={CONSOLE_TOKEN}", follow_redirects=False)
        evil = client.post(path, headers={**headers, "Origin": "https://evil.example"})
        bare = client.post(path, headers=headers)  # no Origin, no Referer
        ours = client.post(path, headers={**headers, **OURS})
    assert (evil.status_code, bare.status_code, ours.status_code) == (403, 403, 200)


@pytest.mark.parametrize("escalation", ["99999999999999999999999", "9223372036854775808", "0"])
def test_a_claim_of_an_id_out_of_range_is_404(ctx: ServerContext, escalation: str) -> None:
    with TestClient(create_app(ctx)) as client:
        response = client.post(
            f"/console/escalations/{escalation}/claim",
            headers={"Authorization": f"Bearer {CONSOLE_TOKEN}"},
        )
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/twilio/dial", "/twilio/voicemail"])
@pytest.mark.parametrize("escalation", ["%C2%B2", "99999999999999999999999", "-1", "1e3"])
def test_a_signed_webhook_with_a_bad_escalation_id_is_400(
    ctx: ServerContext, path: str, escalation: str
) -> None:
    params = {"CallSid": "CA" + "1" * 32, "DialCallStatus": "completed"}
    url = f"{path}?escalation={escalation}"
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        response = post_signed(client, url, params)
    assert response.status_code == 400
