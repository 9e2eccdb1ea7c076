"""The real `twilio` SDK's REST client, on its asyncio HTTP client, pointed where settings say.

Transfers (`server/transfer.py`) and texts (`sms/twilio_sms.py`) both use it; `api_url`
replaces https://api.twilio.com (`RESVOICE_TWILIO_API_URL`: a local fake in tests).
"""

from __future__ import annotations

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

__all__ = ["close_twilio_client", "twilio_client"]


def twilio_client(
    account_sid: str, auth_token: str, api_url: str | None = None, *, timeout_s: float = 10.0
) -> Client:
    """A client whose requests give up after `timeout_s` seconds."""
    client = Client(
        account_sid,
        auth_token,
        http_client=AsyncTwilioHttpClient(timeout=timeout_s),
        environment={},  # settings come from config.py only
    )
    if api_url:
        client.api.base_url = api_url.rstrip("/")
    return client


async def close_twilio_client(client: Client) -> None:
    """Close the client's HTTP session (its aiohttp connections)."""
    close = getattr(client.http_client, "close", None)
    if close is not None:
        await close()
