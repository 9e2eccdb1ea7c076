"""A local stand-in for Twilio's REST API (api.twilio.com/2010-04-01): call updates and SMS.

It speaks the documented wire protocol: HTTP basic auth with the account SID and auth token,
form-encoded parameters, JSON call and message resources back, and Twilio's JSON error body
(`code`, `message`, `more_info`, `status`) on failure. Every accepted update and message is
recorded. A message must carry exactly `To`, `Body` and one of `From` / `MessagingServiceSid`
(400 otherwise, as Twilio answers a missing or doubled sender); `message_faults` makes the next
sends answer 400 or 500, or hang until `release()` (a timeout for the client).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
from dataclasses import dataclass, field
from typing import Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class CallUpdate:
    account_sid: str
    call_sid: str
    params: dict[str, str]


@dataclass
class SentMessage:
    sid: str
    params: dict[str, str]  # the form exactly as posted


Fault = Literal[400, 500, "hang"]


@dataclass
class FakeTwilioRest:
    account_sid: str
    auth_token: str
    missing_calls: set[str] = field(default_factory=set)  # these answer 404
    updates: list[CallUpdate] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)
    message_faults: list[Fault] = field(default_factory=list)  # the next sends, in order
    message_requests: int = 0  # every POST to Messages.json, refused or not
    hanging: asyncio.Event = field(default_factory=asyncio.Event)  # a send is being held
    _released: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _sids: itertools.count[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/2010-04-01/Accounts/{account}/Calls/{call}.json",
                    self._update_call,
                    methods=["POST"],
                ),
                Route(
                    "/2010-04-01/Accounts/{account}/Messages.json",
                    self._create_message,
                    methods=["POST"],
                ),
            ]
        )

    def release(self) -> None:
        """Let every hanging request go (before the server stops)."""
        self._released.set()

    async def _create_message(self, request: Request) -> JSONResponse:
        account = request.path_params["account"]
        self.message_requests += 1
        if not self._authorised(request) or account != self.account_sid:
            return _error(20003, "Authenticate", 401)
        fault = self.message_faults.pop(0) if self.message_faults else None
        if fault == "hang":
            self.hanging.set()
            await self._released.wait()
            return _error(20500, "Internal Server Error", 500)
        if fault == 500:
            return _error(20500, "Internal Server Error", 500)
        form = await request.form()
        params = {key: str(value) for key, value in form.multi_items()}
        if len(params) != len(form.multi_items()):
            return _error(21603, "A parameter was given twice", 400)
        senders = {"From", "MessagingServiceSid"} & params.keys()
        if fault == 400 or not params.get("To", "").startswith("+"):
            return _error(21211, f"The 'To' number {params.get('To')} is not valid.", 400)
        if len(senders) != 1 or set(params) != {"To", "Body", *senders}:
            return _error(21603, "A 'From' or 'MessagingServiceSid' parameter is required", 400)
        if not params["Body"]:
            return _error(21602, "Message body is required.", 400)
        sid = f"SM{next(self._sids):032x}"
        self.messages.append(SentMessage(sid, params))
        return JSONResponse(
            {
                "sid": sid,
                "account_sid": account,
                "to": params["To"],
                "from": params.get("From"),
                "messaging_service_sid": params.get("MessagingServiceSid"),
                "body": params["Body"],
                "status": "accepted" if "MessagingServiceSid" in params else "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            },
            status_code=201,
        )

    async def _update_call(self, request: Request) -> JSONResponse:
        account = request.path_params["account"]
        call = request.path_params["call"]
        if not self._authorised(request) or account != self.account_sid:
            return _error(20003, "Authenticate", 401)
        if call in self.missing_calls:
            return _error(20404, f"The requested resource /Calls/{call}.json was not found", 404)
        form = await request.form()
        params = {key: str(value) for key, value in form.items()}
        self.updates.append(CallUpdate(account, call, params))
        return JSONResponse(
            {
                "sid": call,
                "account_sid": account,
                "status": "in-progress",
                "direction": "inbound",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{account}/Calls/{call}.json",
            }
        )

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user == self.account_sid and password == self.auth_token


def _error(code: int, message: str, status: int) -> JSONResponse:
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )
