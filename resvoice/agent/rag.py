"""Retrieval for one turn: knowledge hits for questions, SQL availability for bookings.

Intent-aware, as the design asks: a menu question searches the menu, a policy or FAQ question
the policies and FAQ, an availability question asks the tables. Bounded by a timeout: when
retrieval is slow the agent answers without context rather than leave the caller in silence.
"""

from __future__ import annotations

import asyncio
import logging
import time as clock
from collections.abc import Coroutine, Sequence
from typing import Any

from resvoice.agent.availability import AvailabilityService
from resvoice.agent.events import RagHit, RagHits
from resvoice.agent.intents import Intents
from resvoice.agent.notepad import Notepad, speak_time
from resvoice.restaurant.documents import KnowledgeKind
from resvoice.retrieval.hybrid import HybridRetriever

_KINDS: dict[str, Sequence[KnowledgeKind] | None] = {
    "menu": ("menu",),
    "policy": ("policy", "faq"),
    "faq": ("faq", "policy"),
    "question": None,
}
log = logging.getLogger(__name__)
_TRANSACTIONAL = frozenset({"book", "availability", "human", "yes", "no", "goodbye"})


class RagService:
    def __init__(
        self,
        retriever: HybridRetriever,
        availability: AvailabilityService,
        *,
        timeout_s: float = 2.0,
        limit: int = 5,
    ) -> None:
        self._retriever = retriever
        self._availability = availability
        self._timeout = timeout_s
        self._limit = limit

    async def for_turn(self, text: str, intents: Intents, notepad: Notepad) -> RagHits:
        """What this turn needs to know, or an empty result with the intent `none`."""
        kind: str | None = intents.info_request
        if kind is None and intents.question and not intents.found & _TRANSACTIONAL:
            kind = "question"
        if kind is not None:
            return await self._search(text, kind, _KINDS[kind])
        if "availability" in intents and notepad.date and notepad.party_size:
            return await self._bounded("availability", self._availability_hits(notepad))
        return RagHits(intent="none", hits=(), latency_ms=0.0)

    async def search(self, query: str, kind: str = "question") -> RagHits:
        return await self._search(query, kind, _KINDS.get(kind))

    async def _search(
        self, query: str, kind: str, kinds: Sequence[KnowledgeKind] | None
    ) -> RagHits:
        async def run() -> tuple[RagHit, ...]:
            hits = await self._retriever.search(query, limit=self._limit, kinds=kinds)
            if not hits and kinds is not None:
                # "can I pick up food to take home" reads as a menu question, and the answer
                # is an FAQ entry: a question its kind cannot answer is searched everywhere
                hits = await self._retriever.search(query, limit=self._limit)
            return tuple(
                RagHit(
                    source=h.doc.kind,
                    title=h.doc.title,
                    score=h.score,
                    text=h.doc.body,
                    tags=h.doc.tags,
                )
                for h in hits
            )

        return await self._bounded(kind, run())

    async def _availability_hits(self, notepad: Notepad) -> tuple[RagHit, ...]:
        assert notepad.date is not None and notepad.party_size is not None
        answer = await self._availability.check(notepad.date, notepad.time, notepad.party_size)
        times = ([notepad.time] if answer.available and notepad.time else []) + list(
            answer.alternatives
        )
        text = ", ".join(speak_time(t) for t in times) if times else "no free tables that day"
        return (
            RagHit(
                source="availability",
                title=f"{notepad.date.isoformat()} party of {notepad.party_size}",
                score=1.0 if answer.available else 0.0,
                text=text,
            ),
        )

    async def _bounded(self, intent: str, work: Coroutine[Any, Any, tuple[RagHit, ...]]) -> RagHits:
        started = clock.perf_counter()
        try:
            async with asyncio.timeout(self._timeout):
                hits = await work
        except Exception as exc:  # retrieval must never cost the caller a reply
            timed_out = isinstance(exc, TimeoutError)
            if not timed_out:
                log.warning("retrieval failed", extra={"intent": intent, "error": repr(exc)})
            return RagHits(
                intent=intent,
                hits=(),
                latency_ms=(clock.perf_counter() - started) * 1000,
                timed_out=timed_out,
            )
        return RagHits(intent=intent, hits=hits, latency_ms=(clock.perf_counter() - started) * 1000)
