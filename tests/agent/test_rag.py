"""Retrieval for a turn: intent-aware, bounded by a timeout, never fatal to the call."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from resvoice.agent.availability import AvailabilityService
from resvoice.agent.clock import FixedClock
from resvoice.agent.events import RagHits, TurnCompleted
from resvoice.agent.intents import classify
from resvoice.agent.notepad import Notepad
from resvoice.agent.rag import RagService
from resvoice.restaurant.documents import KnowledgeKind
from resvoice.retrieval.hybrid import HybridRetriever
from resvoice.runtime import Runtime


class SlowRetriever(HybridRetriever):
    def __init__(self, release: asyncio.Event) -> None:
        self.release = release

    async def search(  # type: ignore[override]
        self, query: str, limit: int = 5, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[object]:
        await self.release.wait()
        return []


class BrokenRetriever(HybridRetriever):
    def __init__(self) -> None:
        pass

    async def search(  # type: ignore[override]
        self, query: str, limit: int = 5, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[object]:
        raise ConnectionError("vector index unavailable")


async def test_intent_picks_the_knowledge(runtime: Runtime) -> None:
    rag = RagService(runtime.retriever, AvailabilityService(runtime.storage, runtime.profile))
    menu = await rag.for_turn(
        "do you have gluten free pasta?", classify("do you have gluten free pasta?"), Notepad()
    )
    assert menu.intent == "menu" and {h.source for h in menu.hits} == {"menu"}
    assert any("gluten-free" in h.tags for h in menu.hits)
    dog = await rag.for_turn("can I bring my dog", classify("can I bring my dog"), Notepad())
    assert dog.intent == "policy" and "pet" in dog.hits[0].title.lower()
    booking = await rag.for_turn("table for 2 friday", classify("table for 2 friday"), Notepad())
    assert booking.intent == "none" and booking.hits == ()


async def test_availability_question_asks_the_tables(runtime: Runtime) -> None:
    rag = RagService(runtime.retriever, AvailabilityService(runtime.storage, runtime.profile))
    notepad = Notepad(party_size=4, date=dt.date(2026, 2, 7), time=dt.time(19, 0))
    hits = await rag.for_turn("is anything available?", classify("is anything available?"), notepad)
    assert hits.intent == "availability" and hits.hits[0].source == "availability"
    assert "7 PM" in hits.hits[0].text


async def test_slow_retrieval_times_out_and_the_turn_still_answers(runtime: Runtime) -> None:
    release = asyncio.Event()
    clock = FixedClock.at(dt.date(2026, 2, 2), runtime.profile.restaurant.timezone)
    session = runtime.session(clock=clock)
    session.rag = RagService(
        SlowRetriever(release),
        AvailabilityService(runtime.storage, runtime.profile),
        timeout_s=0.01,
    )
    events = [e async for e in session.turn("what vegan dishes do you have?")]
    release.set()
    rag = [e for e in events if isinstance(e, RagHits)]
    assert rag[0].timed_out and rag[0].hits == ()
    assert next(e for e in events if isinstance(e, TurnCompleted)).reply


async def test_broken_retrieval_is_not_fatal(runtime: Runtime) -> None:
    rag = RagService(BrokenRetriever(), AvailabilityService(runtime.storage, runtime.profile))
    hits = await rag.for_turn("can I bring my dog?", classify("can I bring my dog?"), Notepad())
    assert hits.hits == () and not hits.timed_out


async def test_hours_question_finds_opening_hours_not_happy_hour(runtime: Runtime) -> None:
    rag = RagService(runtime.retriever, AvailabilityService(runtime.storage, runtime.profile))
    text = "Sorry, what are your hours?"
    hits = await rag.for_turn(text, classify(text), Notepad())
    assert "happy" not in hits.hits[0].title.lower()
    assert "5 PM" in hits.hits[0].text or "5 pm" in hits.hits[0].text.lower()
