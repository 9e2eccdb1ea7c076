"""Request-body caps for every HTTP route: Twilio's webhooks and the console's POSTs are a few KB,
so a body past `MAX_BODY_BYTES` is refused (413) without being read: at once when its
Content-Length says so, and as soon as a streamed (chunked) body passes the cap otherwise."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """A request body passed the cap while being read."""


class BodyLimit:
    """ASGI middleware: refuse bodies larger than `limit` bytes with 413 (plain text)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and not (length.isascii() and length.isdigit()):
            await _refuse(send, 400, b"bad Content-Length")
            return
        if length is not None and int(length) > self.limit:
            await _refuse(send, 413, b"request body too large")
            return
        received = 0
        started = False

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(send, 413, b"request body too large")


def _content_length(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return str(value.decode("latin-1")).strip()
    return None


async def _refuse(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
