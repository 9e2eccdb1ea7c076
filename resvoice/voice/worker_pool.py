"""Bounded worker threads shared by every call, fed from one priority queue.

Local models (Whisper, Piper) run on the machine's few cores; a thread per call would only
make every call wait on every other. A `PriorityPool` has a fixed number of threads and one
queue for all calls, ordered by priority and then by arrival: the work of a caller who has
finished speaking and waits for an answer (`URGENT`) goes before work that only refines what
is already known (`BACKGROUND`, e.g. a partial transcript while the caller still speaks).
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["BACKGROUND", "URGENT", "PriorityPool"]

T = TypeVar("T")

URGENT = 0
"""Someone is waiting on this now (a final transcription, the first words of a reply)."""
BACKGROUND = 1
"""Nice to have soon (a partial transcript)."""

_Job = tuple[int, int, Callable[[], Any] | None, Future[Any] | None]


class PriorityPool:
    """`workers` threads (started on first use) running jobs by (priority, arrival)."""

    def __init__(self, workers: int, name: str) -> None:
        if workers < 1:
            raise ValueError(f"a pool needs at least one worker, got {workers}")
        self.workers = workers
        self.name = name
        self._queue: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._order = itertools.count()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def queued(self) -> int:
        """Jobs waiting for a thread (not counting the ones running)."""
        return self._queue.qsize()

    def submit(self, priority: int, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self.name} pool is shut down")
            if not self._threads:
                self._start()
            self._queue.put((priority, next(self._order), lambda: fn(*args), future))
        return future

    async def run(self, priority: int, fn: Callable[..., T], *args: Any) -> T:
        """`submit` and await the result on the event loop."""
        return await asyncio.wrap_future(self.submit(priority, fn, *args))

    def shutdown(self) -> None:
        """Cancel what is queued and stop the threads (a job running finishes alone)."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    *_, future = self._queue.get_nowait()
                except queue.Empty:
                    break
                if future is not None:
                    future.cancel()
            for _ in self._threads:
                self._queue.put((-1, next(self._order), None, None))  # stop, before anything

    def _start(self) -> None:
        for index in range(self.workers):
            thread = threading.Thread(target=self._work, name=f"{self.name}-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _work(self) -> None:
        while True:
            _, _, job, future = self._queue.get()
            if job is None or future is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = job()
            except BaseException as exc:  # handed to the awaiting coroutine
                future.set_exception(exc)
            else:
                future.set_result(result)
