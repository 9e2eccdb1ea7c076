"""Twilio webhooks: signature checks (PUBLIC_URL or the request URL), the stream TwiML, status."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from resvoice.server.signature import SignatureCheck
from tests.server.conftest import post_signed as post
from tests.server.conftest import sign

CALL = {
    "CallSid": "CA" + "1" * 32,
    "AccountSid": "AC" + "0" * 32,
    "From": "+14155550123",
    "To": "+15550002222",
    "CallStatus": "ringing",
}


def test_signed_webhook_answers_a_stream_with_call_parameters_and_a_token(
    ctx: ServerContext,
) -> None:
    with TestClient(create_app(ctx)) as client:
        response = post(client, "/twilio/voice", CALL)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    stream = ET.fromstring(response.text).find("./Connect/Stream")
    assert stream is not None
    assert stream.get("url") == "ws://testserver/twilio/stream"
    params = {p.get("name"): p.get("value") for p in stream.findall("Parameter")}
    assert params["callSid"] == CALL["CallSid"]
    assert params["from"] == CALL["From"]
    token = params["token"]
    assert token and len(token) >= 24
    assert ctx.tokens.redeem(token, CALL["CallSid"]) == "http://testserver"
    assert ctx.tokens.redeem(token, CALL["CallSid"]) is None  # one time only


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: {**p, "From": "+14155550999"},  # a parameter changed after signing
        lambda p: {**p, "Extra": "1"},  # a parameter added
    ],
)
def test_tampered_webhook_is_forbidden(ctx: ServerContext, tamper: Callable) -> None:
    signature = sign("http://testserver/twilio/voice", CALL)
    with TestClient(create_app(ctx)) as client:
        response = client.post(
            "/twilio/voice", data=tamper(CALL), headers={"X-Twilio-Signature": signature}
        )
    assert response.status_code == 403
    assert ctx.tokens._issued == {}


def test_missing_or_wrong_key_signature_is_forbidden(ctx: ServerContext) -> None:
    with TestClient(create_app(ctx)) as client:
        unsigned = client.post("/twilio/voice", data=CALL)
        wrong_key = client.post(
            "/twilio/voice",
            data=CALL,
            headers={"X-Twilio-Signature": sign("http://testserver/twilio/voice", CALL, "other")},
        )
        status = client.post("/twilio/status", data={**CALL, "CallStatus": "completed"})
    assert (unsigned.status_code, wrong_key.status_code, status.status_code) == (403, 403, 403)


def test_public_url_is_what_the_signature_covers(make_ctx: Callable[..., ServerContext]) -> None:
    ctx = make_ctx(public_url="https://restaurant.example.com/")
    with TestClient(create_app(ctx)) as client:
        ok = post(client, "/twilio/voice", CALL, "https://restaurant.example.com/twilio/voice")
        local = post(client, "/twilio/voice", CALL)  # signed for the URL the server saw
    assert ok.status_code == 200
    assert 'url="wss://restaurant.example.com/twilio/stream"' in ok.text
    assert local.status_code == 403


def test_insecure_dev_accepts_unsigned_requests(make_ctx: Callable[..., ServerContext]) -> None:
    ctx = make_ctx(signatures=SignatureCheck(None, None, insecure=True), insecure=True)
    with TestClient(create_app(ctx)) as client:
        response = client.post("/twilio/voice", data=CALL)
    assert response.status_code == 200
    assert "<Stream" in response.text


def test_no_auth_token_refuses_everything(make_ctx: Callable[..., ServerContext]) -> None:
    ctx = make_ctx(signatures=SignatureCheck(None, None))
    with TestClient(create_app(ctx)) as client:
        response = post(client, "/twilio/voice", CALL)
    assert response.status_code == 403


def test_draining_server_takes_no_new_call(ctx: ServerContext) -> None:
    ctx.calls.draining = True
    with TestClient(create_app(ctx)) as client:
        response = post(client, "/twilio/voice", CALL)
        health = client.get("/healthz")
    assert "<Stream" not in response.text and "<Hangup" in response.text
    assert health.status_code == 503
