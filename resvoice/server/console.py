"""The staff console: `GET /console` (one page, inline JS/CSS, no CDN), its live feed over
server-sent events, and claiming an escalation. Protected by a token or HTTP basic auth."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import secrets
from collections.abc import AsyncIterator
from importlib import resources

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from resvoice.server.board import escalation_view
from resvoice.server.context import ConsoleAuth, ServerContext

COOKIE = "resvoice_console"
HEARTBEAT_S = 15.0


def _ctx(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and secrets.compare_digest(given.encode(), expected.encode())


def _user(request: Request, auth: ConsoleAuth, insecure: bool) -> str | None:
    """Who is asking, or None when not allowed."""
    if auth.token:
        header = request.headers.get("authorization", "")
        given = request.cookies.get(COOKIE) or request.query_params.get("token", "")
        if header.lower().startswith("bearer "):
            given = header[7:]
        if _same(given, auth.token):
            return "staff"
    if auth.user and auth.password:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None
            if _same(user, auth.user) and _same(password, auth.password):
                return user
    if not auth.configured and insecure:
        return "staff"
    return None


def _refuse(auth: ConsoleAuth) -> Response:
    if not auth.configured:
        return Response(
            "console disabled: set RESVOICE_CONSOLE_TOKEN or RESVOICE_CONSOLE_USER and "
            "RESVOICE_CONSOLE_PASSWORD",
            status_code=403,
        )
    headers = {"WWW-Authenticate": 'Basic realm="resvoice console"'} if auth.user else {}
    return Response("unauthorised", status_code=401, headers=headers)


async def page(request: Request) -> Response:
    ctx = _ctx(request)
    if _user(request, ctx.console_auth, ctx.insecure) is None:
        return _refuse(ctx.console_auth)
    if "token" in request.query_params:
        # the token rides once in the URL; from here on a cookie carries it
        response: Response = RedirectResponse("/console", status_code=303)
        public = ctx.signatures.public_url or str(request.url)
        response.set_cookie(
            COOKIE,
            request.query_params["token"],
            httponly=True,
            samesite="strict",
            secure=public.startswith("https://"),
        )
        return response
    html = resources.files("resvoice.server").joinpath("console.html").read_text("utf-8")
    return Response(html, media_type="text/html; charset=utf-8")


async def events(request: Request) -> Response:
    ctx = _ctx(request)
    if _user(request, ctx.console_auth, ctx.insecure) is None:
        return _refuse(ctx.console_auth)
    return StreamingResponse(
        _feed(ctx),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def claim(request: Request) -> Response:
    ctx = _ctx(request)
    user = _user(request, ctx.console_auth, ctx.insecure)
    if user is None:
        return _refuse(ctx.console_auth)
    raw = request.path_params["escalation_id"]
    assert ctx.board is not None
    row = await ctx.board.claim(int(raw), user)
    if row is None:
        return JSONResponse({"error": "unknown or already claimed"}, status_code=409)
    view = escalation_view(row)
    ctx.hub.publish("escalation", view)
    return JSONResponse(view)


async def _feed(ctx: ServerContext) -> AsyncIterator[str]:
    subscription = ctx.hub.subscribe()  # before the snapshot, so nothing falls between
    try:
        assert ctx.board is not None
        rows = await ctx.board.recent()
        snapshot = {"calls": ctx.calls.views(), "escalations": [escalation_view(r) for r in rows]}
        yield f"event: snapshot\ndata: {json.dumps(snapshot, default=str)}\n\n"
        while True:
            try:
                update = await asyncio.wait_for(subscription.get(), HEARTBEAT_S)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if update is None:
                return
            yield update.sse()
    finally:
        subscription.close()


routes = [
    Route("/console", page, methods=["GET"]),
    Route("/console/events", events, methods=["GET"]),
    Route("/console/escalations/{escalation_id:int}/claim", claim, methods=["POST"]),
]
