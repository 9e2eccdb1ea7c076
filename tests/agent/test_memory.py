"""Memory across sessions: many calls run one after another on one `Runtime` leave nothing of
themselves behind, and every process-wide cache the core keeps has a bound."""

from __future__ import annotations

import gc
import weakref
from collections import Counter
from typing import Any

from resvoice.agent.clock import FixedClock
from resvoice.retrieval import hashing
from resvoice.runtime import Runtime
from tests.agent.test_session import MONDAY

CALLS: dict[str, list[str]] = {  # one of each way a call goes
    "booking": [
        "Table for 2 on Saturday at 7pm under Ada Lovelace, 555 010 9999",
        "Yes, please book it",
    ],
    "questions": ["Do you have vegan dishes?", "Can I bring my dog?", "Where do I park?"],
    "escalation": ["I want to speak to a manager, this is a complaint"],
    "dtmf": [],
    "silence": ["", ""],
}


async def one_call(runtime: Runtime, kind: str, number: int, refs: list[weakref.ref[Any]]) -> None:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    session = runtime.session(conversation_id=f"{kind}-{number}", clock=clock)
    refs += [weakref.ref(obj) for obj in (session, session.brain, session.rag, session.escalation)]
    [_ async for _ in session.start()]
    for line in CALLS[kind]:
        [_ async for _ in session.turn(line)]
    if kind == "dtmf":
        [_ async for _ in session.dtmf("0")]
    await session.end("hangup")


def resvoice_objects() -> Counter[str]:
    counts: Counter[str] = Counter()
    for obj in gc.get_objects():
        module = getattr(type(obj), "__module__", None)
        if isinstance(module, str) and module.startswith("resvoice"):
            counts[f"{module}.{type(obj).__qualname__}"] += 1
    return counts


def caches() -> dict[str, int]:
    return {
        "stems": hashing._stem.cache_info().currsize,
        "buckets": hashing._bucket.cache_info().currsize,
    }


async def test_sequential_sessions_leave_nothing_behind(runtime: Runtime) -> None:
    refs: list[weakref.ref[Any]] = []
    for kind in CALLS:  # warm-up: imports, caches filled by these words
        await one_call(runtime, kind, 0, refs)
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []
    objects, filled, runtime_state = resvoice_objects(), caches(), dict(vars(runtime))
    for number in range(1, 7):
        for kind in CALLS:
            await one_call(runtime, kind, number, refs)
    gc.collect()
    assert len(refs) == 4 * len(CALLS) * 7
    assert [ref for ref in refs if ref() is not None] == []
    assert resvoice_objects() - objects == Counter()
    assert caches() == filled  # the same words again: nothing new cached
    assert vars(runtime) == runtime_state
    record = await runtime.storage.load_session("booking-6")
    assert record is not None and record.metadata["reservation_id"] is not None


def test_process_wide_caches_are_bounded() -> None:
    """The embedder's word caches are the core's only process-wide caches; new words evict old
    ones once the bound is reached, so a long-running server's vocabulary cannot grow them."""
    for cached in (hashing._stem, hashing._bucket):
        info = cached.cache_info()
        assert info.maxsize is not None and info.maxsize <= 262_144
    stems = hashing._stem.cache_info().maxsize
    assert stems is not None
    for index in range(stems + 100):
        hashing._stem(f"word{index}s")
    assert hashing._stem.cache_info().currsize == stems
    hashing._stem.cache_clear()  # leave the cache as a fresh process has it
