"""A local stand-in for Twilio's REST API (api.twilio.com/2010-04-01), enough for call updates.

It speaks the documented wire protocol: HTTP basic auth with the account SID and auth token,
form-encoded parameters, JSON call resources back, and Twilio's JSON error body
(`code`, `message`, `more_info`, `status`) on failure. Every accepted update is recorded.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

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
class FakeTwilioRest:
    account_sid: str
    auth_token: str
    missing_calls: set[str] = field(default_factory=set)  # these answer 404
    updates: list[CallUpdate] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/2010-04-01/Accounts/{account}/Calls/{call}.json",
                    self._update_call,
                    methods=["POST"],
                )
            ]
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
