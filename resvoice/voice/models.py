"""`ModelCache`: the speech models one process has loaded (Whisper, Silero VAD, Piper, eSpeak).

Each model is loaded once per key, however many calls and providers ask for it, and loading is
thread-safe: two threads asking for one key wait for one load, two keys load side by side. The
cache is an object, not module state: the `Runtime` owns one and hands it to every provider it
makes, and closes what it holds when the runtime closes. A provider built without one gets a
private cache of its own.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

__all__ = ["ModelCache"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class ModelCache:
    """Loaded models by key; see the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._models: dict[Hashable, object] = {}
        self._closed = False

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The model under `key`, calling `load()` the first time (blocking: call it off the
        event loop, or use `aget`). A failed load is not cached: the next call tries again."""
        with self._lock:
            if key in self._models:
                return cast(T, self._models[key])
            if self._closed:
                raise RuntimeError("the model cache is closed")
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._models:
                    return cast(T, self._models[key])
            model = load()
            with self._lock:
                self._models[key] = model
            return model

    async def aget(self, key: Hashable, load: Callable[[], T]) -> T:
        """`get` on a worker thread, so a load never blocks the event loop."""
        return await asyncio.to_thread(self.get, key, load)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._models

    def close(self) -> None:
        """Release every model that has a `close()`; idempotent."""
        with self._lock:
            models = list(self._models.values())
            self._models.clear()
            self._closed = True
        for model in reversed(models):
            closer: Any = getattr(model, "close", None)
            if callable(closer):
                try:
                    closer()
                except Exception:
                    log.exception("model close failed")
