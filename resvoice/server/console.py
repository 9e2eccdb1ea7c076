"""The staff console: `GET /console` (one page, inline JS/CSS, no CDN), its live feed over
server-sent events, and claiming an escalation. Protected by a token or HTTP basic auth."""

from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import hashlib
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator
from importlib import resources
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from resvoice.server.board import escalation_view
from resvoice.server.context import ConsoleAuth, ServerContext

log = logging.getLogger(__name__)

COOKIE = "resvoice_console"
HEARTBEAT_S = 15.0
MAX_ID = 2**63 - 1  # storage ids are signed 64-bit integers


def _ctx(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and secrets.compare_digest(given.encode(), expected.encode())


def _user(request: Request, auth: ConsoleAuth, insecure: bool) -> str | None:
    """Who is asking, or None when not allowed."""
    if _bearer(request, auth):
        return "staff"
    if auth.token:
        # a fresh `?token=` wins over a stale cookie left by an earlier token
        for given in (request.query_params.get("token"), request.cookies.get(COOKIE)):
            if given and _same(given, auth.token):
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


def _bearer(request: Request, auth: ConsoleAuth) -> bool:
    """A bearer token: sent by a script on purpose, never by a browser on its own."""
    header = request.headers.get("authorization", "")
    return (
        auth.token is not None
        and header.lower().startswith("bearer ")
        and _same(header[7:], auth.token)
    )


def _same_origin(request: Request, public_url: str | None) -> bool:
    """A state-changing request carried by a browser's cookie or saved basic credentials must
    come from this console's own page: its Origin (or, without one, Referer) is ours."""
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(origin)
    given = f"{parts.scheme}://{parts.netloc}".lower()
    ours = {f"{request.url.scheme}://{request.headers.get('host', '')}".lower()}
    if public_url:
        public = urlsplit(public_url)
        ours.add(f"{public.scheme}://{public.netloc}".lower())
    return bool(parts.scheme and parts.netloc) and given in ours


def _refuse(auth: ConsoleAuth) -> Response:
    if not auth.configured:
        return Response(
            "console disabled: set RESVOICE_CONSOLE_TOKEN or RESVOICE_CONSOLE_USER and "
            "RESVOICE_CONSOLE_PASSWORD",
            status_code=403,
        )
    headers = {"WWW-Authenticate": 'Basic realm="resvoice console"'} if auth.user else {}
    headers["Connection"] = "close"  # an unread body is not drained
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
    html, policy = _page()
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


@functools.cache
def _page() -> tuple[str, str]:
    """The console page and its Content-Security-Policy: nothing but its own inline script
    and style (by hash), its feed and claims on this origin, no framing."""
    html = resources.files("resvoice.server").joinpath("console.html").read_text("utf-8")

    def hashes(tag: str) -> str:
        bodies = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.DOTALL)
        return " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'"
            for b in bodies
        )

    policy = (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; "
        "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    return html, policy


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
    """Claim an escalation: 200 and the row when this user got it; 409 with the reason and the
    row as it stands when someone (in any server process) was first or it is not open; 404."""
    ctx = _ctx(request)
    user = _user(request, ctx.console_auth, ctx.insecure)
    if user is None:
        return _refuse(ctx.console_auth)
    if not _bearer(request, ctx.console_auth) and not _same_origin(
        request, ctx.signatures.public_url
    ):
        log.warning("console claim refused: not from the console's origin")
        return JSONResponse({"error": "cross-origin request refused"}, status_code=403)
    escalation_id = int(request.path_params["escalation_id"])
    if not 1 <= escalation_id <= MAX_ID:
        return JSONResponse({"error": "no such escalation"}, status_code=404)
    assert ctx.board is not None
    result = await ctx.board.claim(escalation_id, user)
    if result.row is None:
        return JSONResponse({"error": f"no escalation {escalation_id}"}, status_code=404)
    view = escalation_view(result.row)
    ctx.hub.publish("escalation", view)  # winner or not, every console here shows the truth
    if not result.won:
        log.info("claim refused", extra={"escalation": escalation_id, "reason": result.refusal})
        return JSONResponse({"error": result.refusal, "escalation": view}, status_code=409)
    log.info("escalation claimed", extra={"escalation": escalation_id, "by": user})
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
