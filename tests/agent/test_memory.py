"""Memory across sessions: many calls run one after another on one `Runtime` leave nothing of
themselves behind, and every process-wide cache the core keeps has a bound."""

from __future__ import annotations

import gc
import tracemalloc
from collections import Counter

from resvoice.agent.clock import FixedClock
from resvoice.retrieval import hashing
from resvoice.runtime import Runtime
from tests.agent.test_session import MONDAY
from tests.memory import Tracked, resvoice_objects

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


async def one_call(runtime: Runtime, kind: str, number: int, tracked: Tracked) -> None:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    session = runtime.session(conversation_id=f"{kind}-{number}", clock=clock)
    parts = {"session": session, "brain": session.brain, "rag": session.rag}
    for name, part in (parts | {"escalation": session.escalation}).items():
        tracked.add(name, part)
    [_ async for _ in session.start()]
    for line in CALLS[kind]:
        [_ async for _ in session.turn(line)]
    if kind == "dtmf":
        [_ async for _ in session.dtmf("0")]
    await session.end("hangup")


def caches() -> dict[str, int]:
    return {
        "stems": hashing._stem.cache_info().currsize,
        "buckets": hashing._bucket.cache_info().currsize,
    }


async def test_sequential_sessions_leave_nothing_behind(runtime: Runtime) -> None:
    tracked = Tracked()
    for kind in CALLS:  # warm-up: imports, caches filled by these words
        await one_call(runtime, kind, 0, tracked)
    gc.collect()
    assert tracked.alive() == []
    objects, filled, runtime_state = resvoice_objects(), caches(), dict(vars(runtime))
    for number in range(1, 7):
        for kind in CALLS:
            await one_call(runtime, kind, number, tracked)
    gc.collect()
    kinds = ("session", "brain", "rag", "escalation")
    assert tracked.kinds() == dict.fromkeys(kinds, len(CALLS) * 7)
    assert tracked.alive() == []
    assert resvoice_objects() - objects == Counter()
    assert caches() == filled  # the same words again: nothing new cached
    assert vars(runtime) == runtime_state
    record = await runtime.storage.load_session("booking-6")
    assert record is not None and record.metadata.reservation_id is not None
    for escalated in ("escalation-6", "dtmf-6"):  # those calls really went to a human
        assert await runtime.storage.escalations(escalated)


def test_process_wide_caches_are_bounded() -> None:
    """The embedder's word caches are the core's only process-wide caches, and each new caller
    sentence brings new words and bigrams: filled to their bounds, they stay small."""
    hashing._stem.cache_clear()
    hashing._bucket.cache_clear()
    tracemalloc.start()
    try:
        stems, buckets = hashing._stem.cache_info().maxsize, hashing._bucket.cache_info().maxsize
        assert stems is not None and buckets is not None
        for index in range(stems + 100):  # more distinct words than it may keep
            hashing._stem(f"word{index}s")
        for index in range(buckets + 100):
            hashing._bucket(f"b:word{index} other", 384)
        assert hashing._stem.cache_info().currsize == stems
        assert hashing._bucket.cache_info().currsize == buckets
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        hashing._stem.cache_clear()  # leave the caches as a fresh process has them
        hashing._bucket.cache_clear()
    assert held < 8 * 2**20
