"""`TwilioMessenger`: SMS through Twilio's Messages API with the real `twilio` SDK.

`POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with `To`, `Body` and either `From`
(`TWILIO_PHONE_NUMBER`) or `MessagingServiceSid` (`TWILIO_MESSAGING_SERVICE_SID`, preferred
when set). Twilio's refusals (401, 400...), connection errors and timeouts come back as a
`MessageResult` with `sent` False and the reason; retrying is the outbox's job.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from resvoice.agent.messenger import MessageResult
from resvoice.twilio_rest import close_twilio_client

__all__ = ["TwilioMessenger"]


class TwilioMessenger:
    """Sends each text as one Twilio Message resource."""

    def __init__(
        self,
        client: Client,
        *,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("a Twilio sender needs a From number or a Messaging Service SID")
        self._client = client
        self._from = from_number
        self._service = messaging_service_sid
        self._timeout_s = timeout_s

    async def send(self, to: str, body: str) -> MessageResult:
        params: dict[str, Any] = {"to": to, "body": body}
        if self._service:
            params["messaging_service_sid"] = self._service
        else:
            params["from_"] = self._from
        try:
            async with asyncio.timeout(self._timeout_s):
                message = await self._client.messages.create_async(**params)
        except TwilioRestException as exc:
            error = f"Twilio refused it ({exc.status}, code {exc.code}): {exc.msg}"
            return MessageResult(to=to, body=body, sent=False, error=error)
        except TimeoutError:
            error = f"Twilio did not answer within {self._timeout_s:g} s"
            return MessageResult(to=to, body=body, sent=False, error=error)
        except (TwilioException, aiohttp.ClientError, OSError) as exc:
            error = f"could not reach Twilio: {type(exc).__name__}: {exc}"
            return MessageResult(to=to, body=body, sent=False, error=error)
        return MessageResult(to=to, body=body, sent=True, id=message.sid)

    async def aclose(self) -> None:
        """Close the client's HTTP session."""
        await close_twilio_client(self._client)
