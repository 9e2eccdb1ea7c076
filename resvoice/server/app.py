"""The ASGI app of `resvoice serve`: Twilio webhooks and media stream, console, health, metrics."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from resvoice.server import console, console_book, twilio_routes
from resvoice.server.board import relay_escalations
from resvoice.server.context import ServerContext
from resvoice.server.limits import BodyLimit
from resvoice.server.metrics import CONTENT_TYPE
from resvoice.server.stream import StreamEndpoint
from resvoice.server.sweep import run_sweeps

log = logging.getLogger(__name__)


def create_app(ctx: ServerContext) -> Starlette:
    """One app per server; everything it shares lives in `ctx` (also `app.state.ctx`)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if ctx.insecure:
            log.warning(
                "INSECURE DEV MODE: Twilio signatures and stream tokens are NOT checked; "
                "never expose this server to the internet"
            )
        # escalations made or changed by any server process on this database reach this one's
        # consoles; transfers whose outcome never came (their process died) are recovered
        assert ctx.board is not None
        stop_sweeping = asyncio.Event()
        relay = asyncio.create_task(relay_escalations(ctx.board, ctx.hub))
        staff = console_book.staff_book(ctx)
        book = asyncio.create_task(
            console_book.relay_reservations(staff, ctx.runtime.storage, ctx.hub)
        )
        texted = asyncio.create_task(console_book.relay_text_outcomes(staff, ctx.texted, ctx.hub))
        sweeps = asyncio.create_task(
            run_sweeps(
                ctx.runtime.storage, ctx.metrics, ctx.clock, ctx.sweep_interval_s, stop_sweeping
            )
        )
        try:
            yield
        finally:
            stop_sweeping.set()  # a sweep in flight finishes its storage call
            relay.cancel()
            book.cancel()
            texted.cancel()
            for task in (relay, book, texted, sweeps):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await shutdown(ctx)

    app = Starlette(
        routes=[
            *twilio_routes.routes,
            WebSocketRoute("/twilio/stream", StreamEndpoint(ctx)),
            *console.routes,
            *console_book.routes,
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
        middleware=[Middleware(BodyLimit)],
    )
    app.state.ctx = ctx
    return app


async def shutdown(ctx: ServerContext) -> None:
    """Stop taking calls, let live ones finish their turn, persist them all; idempotent."""
    if not ctx.calls.draining:
        log.info("draining", extra={"calls": len(ctx.calls.calls)})
    await ctx.calls.drain(ctx.drain_timeout_s)
    ctx.hub.close()
    if ctx.twilio is not None:
        http = ctx.twilio.http_client
        close = getattr(http, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()


async def healthz(request: Request) -> Response:
    ctx: ServerContext = request.app.state.ctx
    draining = ctx.calls.draining
    return JSONResponse(
        {"status": "draining" if draining else "ok", "calls": len(ctx.calls.calls)},
        status_code=503 if draining else 200,
    )


async def metrics(request: Request) -> Response:
    ctx: ServerContext = request.app.state.ctx
    return Response(ctx.metrics.render(), media_type=CONTENT_TYPE)
