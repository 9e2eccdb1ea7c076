"""Request bodies are capped and unsigned webhooks are refused before their body is read."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from resvoice.server.limits import MAX_BODY_BYTES

WEBHOOKS = ["/twilio/voice", "/twilio/status", "/twilio/dial", "/twilio/voicemail"]
CHUNK = b"A=" + b"x" * (16 * 1024 - 2)


async def _call(
    ctx: ServerContext, path: str, headers: list[tuple[bytes, bytes]]
) -> tuple[int, int]:
    """POST an endless streamed body straight to the ASGI app: (status, chunks it pulled)."""
    app = create_app(ctx)
    pulled = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if pulled > 10_000:  # 160 MB: the app read far past any cap
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": CHUNK, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
        "headers": [(b"host", b"testserver"), *headers],
    }
    await app(scope, receive, send)
    return status, pulled


@pytest.mark.parametrize("path", WEBHOOKS)
async def test_an_unsigned_webhook_is_refused_without_reading_its_body(
    ctx: ServerContext, path: str
) -> None:
    form = [(b"content-type", b"application/x-www-form-urlencoded")]
    assert await _call(ctx, path, form) == (403, 0)


@pytest.mark.parametrize("path", WEBHOOKS)
async def test_a_streamed_body_past_the_cap_is_refused_as_soon_as_it_passes(
    ctx: ServerContext, path: str
) -> None:
    headers = [
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"x-twilio-signature", b"bogus"),
        (b"transfer-encoding", b"chunked"),
    ]
    status, pulled = await _call(ctx, path, headers)
    assert status == 413
    assert pulled * len(CHUNK) <= MAX_BODY_BYTES + len(CHUNK)


@pytest.mark.parametrize("path", [*WEBHOOKS, "/console/escalations/1/claim"])
def test_a_declared_length_past_the_cap_is_refused_before_reading(
    ctx: ServerContext, path: str
) -> None:
    with TestClient(create_app(ctx)) as client:
        response = client.post(
            path,
            content=b"x" * (MAX_BODY_BYTES + 1),
            headers={"X-Twilio-Signature": "bogus", "Content-Type": "text/plain"},
        )
    assert response.status_code == 413
