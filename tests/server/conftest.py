"""Fixtures for the server: a ServerContext on the seeded demo database, signing helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("twilio")

import httpx
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime
from resvoice.server.calls import VoiceCall
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.server.signature import SignatureCheck
from resvoice.server.transfer import TransferSettings
from resvoice.voice.transport import AudioOutput

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
AGENT_NUMBER = "+15550001111"
TWILIO_NUMBER = "+15550002222"
CONSOLE_TOKEN = "console-secret"


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """What Twilio puts in X-Twilio-Signature for a POST of `params` to `url`."""
    return str(RequestValidator(token).compute_signature(url, params))


def post_signed(
    client: TestClient, path: str, params: dict[str, str], signed_url: str | None = None
) -> httpx.Response:
    """POST a form to the test client's app as Twilio would, signed (for `signed_url`, by
    default the URL the app sees)."""
    url = signed_url or f"http://testserver{path}"
    return client.post(path, data=params, headers={"X-Twilio-Signature": sign(url, params)})


def no_voice(agent: AgentSession, output: AudioOutput) -> VoiceCall:
    raise AssertionError("this test opens no media stream")


@pytest.fixture
def make_ctx(runtime: Runtime) -> Callable[..., ServerContext]:
    def build(**overrides: Any) -> ServerContext:
        options: dict[str, Any] = {
            "runtime": runtime,
            "voice_factory": no_voice,
            "signatures": SignatureCheck(AUTH_TOKEN, overrides.pop("public_url", None)),
            "console_auth": ConsoleAuth(token=CONSOLE_TOKEN),
            "transfer_settings": TransferSettings(
                agent_number=AGENT_NUMBER, caller_id=TWILIO_NUMBER, timeout_s=20
            ),
        }
        options.update(overrides)
        return ServerContext(**options)

    return build


@pytest.fixture
async def ctx(make_ctx: Callable[..., ServerContext]) -> AsyncIterator[ServerContext]:
    yield make_ctx()
