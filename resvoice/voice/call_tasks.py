"""The call's tasks: one `asyncio.TaskGroup`, each task guarded so that an unexpected error is
logged and, in a critical task, ends the call cleanly instead of tearing the group down
mid-booking."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)


class CallTasks:
    """Spawns guarded tasks into the TaskGroup bound by `bind()` while the call runs."""

    def __init__(self, on_critical_error: Callable[[], None]) -> None:
        self._on_critical_error = on_critical_error
        self._tg: asyncio.TaskGroup | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        return self._tg is not None

    def bind(self, tg: asyncio.TaskGroup | None) -> None:
        self._tg = tg

    def spawn(
        self, work: Coroutine[Any, Any, None], *, critical: bool = True
    ) -> asyncio.Task[None]:
        assert self._tg is not None, "the call is not running"
        task = self._tg.create_task(self._guarded(work, critical))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def cancel_pending(self) -> None:
        for task in [task for task in self._tasks if not task.done()]:
            task.cancel()

    async def _guarded(self, work: Coroutine[Any, Any, None], critical: bool) -> None:
        try:
            await work
        except Exception:
            log.exception("voice task failed", extra={"critical": critical})
            if critical:
                self._on_critical_error()
