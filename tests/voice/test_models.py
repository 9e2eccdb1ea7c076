"""`ModelCache`: one load per key however many threads ask, failures not kept, closed once."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from resvoice.voice.models import ModelCache


class Model:
    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_a_key_loads_once_when_many_threads_ask_at_the_same_time() -> None:
    cache = ModelCache()
    loads: list[str] = []
    everyone_asked = threading.Barrier(8)

    def load() -> Model:
        loads.append("whisper")
        return Model("whisper")

    def ask() -> Model:
        everyone_asked.wait()
        return cache.get(("whisper", "tiny"), load)

    with ThreadPoolExecutor(max_workers=8) as pool:
        models = list(pool.map(lambda _: ask(), range(8)))
    assert loads == ["whisper"]
    assert all(model is models[0] for model in models)
    assert cache.get(("whisper", "tiny"), lambda: Model("other")) is models[0]
    assert cache.get(("piper", "joe"), lambda: Model("piper")).name == "piper"


def test_a_failed_load_is_not_kept_and_the_next_ask_tries_again() -> None:
    cache = ModelCache()

    def broken() -> Model:
        raise OSError("model file unreadable")

    with pytest.raises(OSError):
        cache.get("vad", broken)
    assert "vad" not in cache
    assert cache.get("vad", lambda: Model("vad")).name == "vad"


async def test_aget_loads_on_a_worker_thread() -> None:
    cache = ModelCache()
    loop_thread = threading.get_ident()
    threads: list[int] = []

    def load() -> Model:
        threads.append(threading.get_ident())
        return Model("espeak")

    model = await cache.aget("espeak", load)
    assert model is await asyncio.create_task(cache.aget("espeak", load))
    assert threads and threads[0] != loop_thread


def test_close_releases_each_model_once_and_refuses_new_loads() -> None:
    cache = ModelCache()
    whisper = cache.get("whisper", lambda: Model("whisper"))
    plain = cache.get("plain", object)  # no close(): left alone
    assert plain is not None
    cache.close()
    cache.close()
    assert whisper.closed == 1
    with pytest.raises(RuntimeError):
        cache.get("whisper", lambda: Model("again"))


def test_two_caches_share_nothing() -> None:
    first, second = ModelCache(), ModelCache()
    assert first.get("k", lambda: Model("a")) is not second.get("k", lambda: Model("b"))
