"""Twilio request signatures (`X-Twilio-Signature`) and the one-time tokens of media streams.

Twilio signs every webhook with the account's auth token over the URL it called plus the POST
parameters. Behind a proxy or tunnel the URL the server sees differs from the one Twilio called,
so `PUBLIC_URL` (when set) replaces the scheme and host of the request's own URL.
A media stream carries no signature; it is accepted only with a token that a signed webhook
issued for that call, once.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field

from starlette.requests import Request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)


class Forbidden(Exception):
    """The request is not from Twilio (or not for this account)."""


class SignatureCheck:
    """Validates Twilio webhooks; `insecure=True` (`--insecure-dev`) accepts everything."""

    def __init__(self, auth_token: str | None, public_url: str | None, *, insecure: bool = False):
        self._validator = RequestValidator(auth_token) if auth_token else None
        self.public_url = public_url.rstrip("/") if public_url else None
        self.insecure = insecure

    def url_for(self, request: Request) -> str:
        """The URL Twilio called: PUBLIC_URL + path + query, or the request's own URL."""
        if self.public_url is None:
            return str(request.url)
        query = f"?{request.url.query}" if request.url.query else ""
        return f"{self.public_url}{request.url.path}{query}"

    async def form(self, request: Request) -> dict[str, str]:
        """The webhook's POST parameters, after checking the signature (`Forbidden` if bad).

        A request without a signature is refused before its body is read; the body itself is
        capped by `limits.BodyLimit` around the whole app."""
        signature = request.headers.get("x-twilio-signature", "")
        if not self.insecure:
            if self._validator is None:
                raise Forbidden("TWILIO_AUTH_TOKEN is not set")
            if not signature:
                raise Forbidden("no X-Twilio-Signature")
        form = await request.form()
        params = {key: str(value) for key, value in form.items()}
        if self.insecure:
            return params
        assert self._validator is not None
        if not self._validator.validate(self.url_for(request), params, signature):
            raise Forbidden("bad X-Twilio-Signature")
        return params


@dataclass
class StreamTokens:
    """One-time tokens: the signed webhook issues one per call, the media stream redeems it."""

    ttl_s: float = 120.0
    _issued: dict[str, tuple[str, str, float]] = field(default_factory=dict)

    def issue(self, call_sid: str, callback_base: str) -> str:
        """A token for the stream of `call_sid`; `callback_base` is where Twilio reached us."""
        self._expire()
        token = secrets.token_urlsafe(24)
        self._issued[token] = (call_sid, callback_base, time.monotonic() + self.ttl_s)
        return token

    @property
    def pending(self) -> int:
        """Calls answered whose stream has not started yet (they count against the limit)."""
        self._expire()
        return len(self._issued)

    def redeem(self, token: str, call_sid: str) -> str | None:
        """The callback base, once, for a live token issued for `call_sid`; else None."""
        self._expire()
        issued = self._issued.pop(token, None)
        if issued is None or not secrets.compare_digest(issued[0], call_sid):
            return None
        return issued[1]

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, (_, _, until) in self._issued.items() if until < now]:
            del self._issued[token]
