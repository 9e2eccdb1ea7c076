"""Run the app on uvicorn with a graceful SIGTERM: drain calls first, then stop serving.

Uvicorn's own shutdown closes websockets at once (code 1012), which would cut callers off
mid-sentence. Here the first SIGTERM/SIGINT only starts the drain (no new calls, live calls
finish their turn and are persisted); uvicorn's shutdown runs after. A second signal forces.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from types import FrameType

import uvicorn

from resvoice.server.app import create_app, shutdown
from resvoice.server.context import ServerContext

log = logging.getLogger(__name__)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, ctx: ServerContext) -> None:
        super().__init__(config)
        self._ctx = ctx
        self._loop: asyncio.AbstractEventLoop | None = None
        self._drain: asyncio.Task[None] | None = None

    async def serve(self, sockets: list[object] | None = None) -> None:  # type: ignore[override]
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)  # type: ignore[arg-type]

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._drain is not None or self._loop is None:
            self.should_exit = self.force_exit = True
            return
        log.info("signal received: draining calls", extra={"signal": signal.Signals(sig).name})
        self._loop.call_soon_threadsafe(self._start_drain)

    def _start_drain(self) -> None:
        self._drain = asyncio.ensure_future(self._drain_then_exit())

    async def _drain_then_exit(self) -> None:
        try:
            await shutdown(self._ctx)
        finally:
            self.should_exit = True


def run(ctx: ServerContext, host: str, port: int, *, log_level: str = "info") -> None:
    """Serve until SIGTERM/SIGINT, then drain and exit."""
    config = uvicorn.Config(
        create_app(ctx),
        host=host,
        port=port,
        log_level=log_level,
        ws="websockets",
        proxy_headers=True,
        lifespan="on",
    )
    DrainingServer(config, ctx).run()
