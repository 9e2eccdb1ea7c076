"""The shared worker pool: bounded threads, one queue, a waiting caller's work first."""

from __future__ import annotations

import asyncio
import threading

import pytest

from resvoice.voice.worker_pool import BACKGROUND, URGENT, PriorityPool


async def test_urgent_work_overtakes_queued_background_work() -> None:
    pool = PriorityPool(1, "test")
    gate, started = threading.Event(), threading.Event()
    order: list[str] = []

    def hold() -> bool:
        started.set()
        return gate.wait()

    busy = pool.submit(URGENT, hold)
    await asyncio.to_thread(started.wait)  # the one thread is taken
    partials = [pool.submit(BACKGROUND, order.append, f"partial{i}") for i in range(3)]
    final = pool.submit(URGENT, order.append, "final")
    assert pool.queued == 4
    gate.set()
    await pool.run(BACKGROUND, lambda: None)  # everything before it has run
    assert busy.result() is True and final.done() and all(p.done() for p in partials)
    assert order == ["final", "partial0", "partial1", "partial2"]  # then by arrival
    pool.shutdown()


async def test_errors_reach_the_caller_and_shutdown_cancels_what_is_queued() -> None:
    pool = PriorityPool(1, "test")

    def fail() -> None:
        raise ValueError("model broke")

    with pytest.raises(ValueError, match="model broke"):
        await pool.run(URGENT, fail)
    gate = threading.Event()
    pool.submit(URGENT, gate.wait)
    queued = pool.submit(URGENT, lambda: "never")
    pool.shutdown()
    gate.set()
    assert queued.cancelled()
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit(URGENT, lambda: None)
