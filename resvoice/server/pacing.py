"""One pacing clock for the outbound audio of every call in the process.

Each call's `TwilioOutput` keeps its caller's buffer topped up to a lead of a few hundred ms.
Instead of a timer per call, one clock ticks for all of them: at each tick it tops up every
output that still has audio queued, in one pass (batched work per tick), and it stops ticking
when no call has anything left to send. Sending stays with each output's own task, so a peer
whose socket is slow holds up only its own call.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

__all__ = ["Paced", "PacingClock"]


class Paced(Protocol):
    def pump(self, now: float) -> bool:
        """Release what is due at `now`; True while audio is still queued."""
        ...


class PacingClock:
    """Ticks every `tick_s` while any output is waiting; idle otherwise (no task at all)."""

    def __init__(self, tick_s: float = 0.1) -> None:
        if tick_s <= 0:
            raise ValueError(f"tick_s must be positive, got {tick_s}")
        self.tick_s = tick_s
        self.ticks = 0
        self._waiting: dict[Paced, None] = {}  # insertion-ordered set
        self._task: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def want(self, output: Paced) -> None:
        """`output` has audio queued beyond its lead: pump it at the next ticks."""
        self._waiting[output] = None
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="pacing")

    def forget(self, output: Paced) -> None:
        self._waiting.pop(output, None)

    async def _run(self) -> None:
        next_tick = time.monotonic()
        while self._waiting:
            next_tick += self.tick_s
            now = time.monotonic()
            if next_tick < now:  # the loop was busy: skip missed ticks rather than burst
                next_tick = now
            await asyncio.sleep(next_tick - now)
            self.ticks += 1
            now = time.monotonic()
            for output in list(self._waiting):
                if not output.pump(now):
                    self._waiting.pop(output, None)
