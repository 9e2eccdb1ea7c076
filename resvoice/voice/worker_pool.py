"""Bounded worker threads shared by every call, fed from one priority queue.

Local models (Whisper, Piper) run on the machine's few cores; a thread per call would only
make every call wait on every other. A `PriorityPool` has a fixed number of threads and one
queue for all calls, ordered by priority and then by arrival: the work of a caller who has
finished speaking and waits for an answer (`URGENT`) goes before work that only refines what
is already known (`BACKGROUND`, e.g. a partial transcript while the caller still speaks).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

__all__ = ["BACKGROUND", "URGENT", "PriorityPool"]

T = TypeVar("T")

URGENT = 0
"""Someone is waiting on this now (a final transcription, the first words of a reply)."""
BACKGROUND = 1
"""Nice to have soon (a partial transcript)."""

_Job = tuple[int, int, Callable[[], Any], Future[Any]]


class PriorityPool:
    """`workers` threads running jobs by (priority, arrival).

    The threads are a `ThreadPoolExecutor`'s (joined at interpreter exit, as native model
    libraries need); each of its tasks runs whichever job is first in the priority queue when
    a thread comes free, so the executor's own first-in-first-out order never decides.
    """

    def __init__(self, workers: int, name: str) -> None:
        if workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers}")
        self.workers = workers
        self.name = name
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._jobs: list[_Job] = []  # a heap
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._closed = False

    @property
    def queued(self) -> int:
        """Jobs waiting for a thread (not counting the ones running)."""
        return len(self._jobs)

    def submit(self, priority: int, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self.name} pool is shut down")
            job: _Job = (priority, next(self._order), partial(fn, *args), future)
            heapq.heappush(self._jobs, job)
            self._executor.submit(self._run_first)
        return future

    async def run(self, priority: int, fn: Callable[..., T], *args: Any) -> T:
        """`submit` and await the result on the event loop."""
        return await asyncio.wrap_future(self.submit(priority, fn, *args))

    def shutdown(self) -> None:
        """Cancel what is queued and stop the threads (a job running finishes alone)."""
        with self._lock:
            self._closed = True
            jobs, self._jobs = self._jobs, []
        for *_, future in jobs:
            future.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _run_first(self) -> None:
        with self._lock:
            if not self._jobs:
                return
            _, _, job, future = heapq.heappop(self._jobs)
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = job()
        except BaseException as exc:  # handed to the awaiting coroutine
            future.set_exception(exc)
        else:
            future.set_result(result)
