"""Run the app on uvicorn with a graceful SIGTERM: drain calls first, then stop serving.

Uvicorn's own shutdown closes websockets at once (code 1012), which would cut callers off
mid-sentence. Here the first SIGTERM/SIGINT only starts the drain (no new calls, live calls
finish their turn and are persisted); uvicorn's shutdown runs after. A second signal forces.
The context is built inside the server's event loop, so database connections live on it.

The loop is uvloop and HTTP parsing httptools where installed (the `serve` extra brings them
on Linux and macOS; uvicorn's "auto" picks them), asyncio and h11 otherwise. Once the context
is built, everything made so far (imports, the restaurant, models) is frozen out of the
garbage collector's sight: a full collection during calls then scans only what the calls made,
not every object of the process (a 100-200 ms pause at 200 calls before). The youngest
generation is then collected every `YOUNG_COLLECTION_EVERY` new objects instead of Python's 700:
the frame path makes short-lived objects at 50 frames a second per call, and collecting them
700 at a time promoted enough of them to set off a full collection every few seconds
(docs/benchmarks.md has the figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from types import FrameType

import uvicorn

from resvoice.server.app import create_app, shutdown
from resvoice.server.context import ServerContext
from resvoice.server.logs import log_config

log = logging.getLogger(__name__)

Build = Callable[[], Awaitable[ServerContext]]
Close = Callable[[ServerContext], Awaitable[None]]
YOUNG_COLLECTION_EVERY = 20_000  # tracked objects allocated between young collections


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, build: Build, close: Close) -> None:
        super().__init__(config)
        self._build = build
        self._close = close
        self._ctx: ServerContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._drain: asyncio.Task[None] | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._ctx = await self._build()
        _tune_collector()
        try:
            self.config.app = create_app(self._ctx)
            await super().serve(sockets)
        finally:
            await self._close(self._ctx)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._drain is not None or self._loop is None or self._ctx is None:
            self.should_exit = self.force_exit = True
            return
        log.info("signal received: draining calls", extra={"signal": signal.Signals(sig).name})
        self._loop.call_soon_threadsafe(self._start_drain)

    def _start_drain(self) -> None:
        self._drain = asyncio.ensure_future(self._drain_then_exit())

    async def _drain_then_exit(self) -> None:
        assert self._ctx is not None
        try:
            await shutdown(self._ctx)
        finally:
            self.should_exit = True


def run(
    build: Build,
    close: Close,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    ws: str = "auto",
    loop: str = "auto",
) -> None:
    """Serve until SIGTERM/SIGINT, then drain and exit."""

    async def placeholder(scope: object, receive: object, send: object) -> None:
        raise RuntimeError("the app is created once the server's loop runs")

    config = uvicorn.Config(
        placeholder,
        host=host,
        port=port,
        log_level=log_level,
        log_config=log_config(log_level),
        proxy_headers=True,
        lifespan="on",
        ws=ws,
        loop=loop,
        # Twilio does not compress media frames; deflating 20 ms of mu-law costs CPU per frame
        # and saves nothing
        ws_per_message_deflate=False,
    )
    server = DrainingServer(config, build, close)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()


def _tune_collector() -> None:
    """Move every object alive now into the collector's permanent generation (never scanned):
    what the server built to start lives as long as the process; then collect the youngest
    generation less often (fewer objects promoted, fewer full collections)."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, oldest)
