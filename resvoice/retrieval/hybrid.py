"""`HybridRetriever`: keyword and vector search fused with Reciprocal Rank Fusion.

Keyword search (BM25) is exact about rare words ("corkage", "parking"); vector search catches
a caller's other wording ("can I bring my dog" -> "Dogs and pets"). Each returns a ranked list
and RRF scores a document `sum(1 / (k + rank))` over the lists it appears in, so neither
engine's raw scores need calibrating against the other's.

Relevance cut: a vector neighbour always exists, even for "what's the capital of France", so
a document only found by vector search must also be *close* (cosine distance at most
`max_distance`, by default a value measured for the embedder). A keyword hit is kept as is:
storage drops stop words, so it shares a content word with the question.

Callers' other words: both engines read the question through the restaurant lexicon
(`lexicon.expand_query`), which translates a word the restaurant's documents do not use
("takeaway" searches "takeout" too when the file only says "takeout"). A word the documents
do use is left alone, so "my kid has a nut allergy" is not pulled towards the children's
policy by "children, child" added to "kid".
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from resvoice.restaurant.documents import KnowledgeDoc, KnowledgeKind
from resvoice.retrieval.base import Embedder
from resvoice.retrieval.lexicon import expand_query, lexicon_words
from resvoice.storage.base import KnowledgeSearch  # the two searches of `Storage`: all it needs
from resvoice.storage.records import KeywordHit, VectorHit

__all__ = [
    "DEFAULT_MAX_DISTANCE",
    "RRF_K",
    "HybridRetriever",
    "KnowledgeSearch",
    "RetrievalHit",
    "fuse",
]

RRF_K = 60
Source = Literal["keyword", "vector"]

# Cosine distance beyond which a vector-only neighbour counts as unrelated, per embedder name.
# Measured on the demo restaurant with off-topic questions ("what's the weather tomorrow", "tell
# me a joke"); other embedders (OpenAI) fall back to a cautious middle value.
DEFAULT_MAX_DISTANCE: dict[str, float] = {
    "hashing-v1": 0.65,  # off-topic nearest neighbours: 0.68-0.89
    "minilm-l6-v2-int8": 0.70,  # paraphrases matched at 0.24-0.69; off-topic mostly 0.75+
    "all-MiniLM-L6-v2": 0.70,
}
_FALLBACK_MAX_DISTANCE = 0.65

# How much a vector rank counts against a keyword rank in the fusion, per embedder name. The
# hashing embedder is lexical too: it mostly repeats BM25's evidence with a bias towards short
# documents ("what are your hours" sits closer to "Do you have a happy hour?" than to the
# opening-hours entry), so its vote counts half; semantic embedders count fully.
DEFAULT_VECTOR_WEIGHT: dict[str, float] = {"hashing-v1": 0.5}


class RetrievalHit(BaseModel):
    """One fused result; ranks are 1-based positions in each engine's list, None if absent."""

    model_config = ConfigDict(frozen=True)

    doc: KnowledgeDoc
    score: float
    sources: tuple[Source, ...]
    keyword_rank: int | None = None
    vector_rank: int | None = None
    distance: float | None = None  # cosine distance when vector search returned the doc


class HybridRetriever:
    """Searches one restaurant's knowledge with both engines and fuses the rankings.

    Args:
        storage: where the documents and their vectors live.
        embedder: the embedder the documents were seeded with.
        max_distance: the vector-only relevance cut; default per embedder (see module doc).
        candidates: how many hits to ask each engine for before fusing (at least `limit`).
    """

    def __init__(
        self,
        storage: KnowledgeSearch,
        embedder: Embedder,
        *,
        max_distance: float | None = None,
        candidates: int = 20,
        vector_weight: float | None = None,
    ) -> None:
        self.storage = storage
        self.embedder = embedder
        self.max_distance = (
            max_distance
            if max_distance is not None
            else DEFAULT_MAX_DISTANCE.get(embedder.name, _FALLBACK_MAX_DISTANCE)
        )
        self.candidates = candidates
        self.vector_weight = (
            vector_weight
            if vector_weight is not None
            else DEFAULT_VECTOR_WEIGHT.get(embedder.name, 1.0)
        )

    async def search(
        self, query: str, limit: int = 5, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[RetrievalHit]:
        """The `limit` most relevant documents for `query`, best first; [] when none is."""
        if limit <= 0 or not query.strip():
            return []
        depth = max(self.candidates, limit)
        expanded = await self._translated(query, kinds)
        keyword, vector = await asyncio.gather(
            self.storage.keyword_search(expanded, depth, kinds),
            self._vector_search(expanded, depth, kinds),
        )
        return fuse(
            keyword,
            vector,
            limit=limit,
            max_distance=self.max_distance,
            vector_weight=self.vector_weight,
        )

    async def _translated(self, query: str, kinds: Sequence[KnowledgeKind] | None) -> str:
        """`query` with the lexicon's words for each of its words the documents lack."""
        words = lexicon_words(query)
        found = await asyncio.gather(
            *(self.storage.keyword_search(word, 1, kinds) for word in words)
        )
        return expand_query(query, known={w for w, hits in zip(words, found, strict=True) if hits})

    async def _vector_search(
        self, query: str, depth: int, kinds: Sequence[KnowledgeKind] | None
    ) -> list[VectorHit]:
        (vector,) = await self.embedder.embed([query])
        if not any(vector):
            return []  # nothing to compare: e.g. only stop words for the hashing embedder
        return await self.storage.vector_search(vector, depth, kinds)


def fuse(
    keyword: Sequence[KeywordHit],
    vector: Sequence[VectorHit],
    *,
    limit: int,
    max_distance: float,
    k: int = RRF_K,
    vector_weight: float = 1.0,
) -> list[RetrievalHit]:
    """Reciprocal Rank Fusion of two ranked lists, with the vector-only relevance cut."""
    docs: dict[str, KnowledgeDoc] = {}
    keyword_rank: dict[str, int] = {}
    vector_rank: dict[str, int] = {}
    distance: dict[str, float] = {}
    for rank, hit in enumerate(keyword, start=1):
        docs.setdefault(hit.doc.key, hit.doc)
        keyword_rank.setdefault(hit.doc.key, rank)
    for rank, vhit in enumerate(vector, start=1):
        docs.setdefault(vhit.doc.key, vhit.doc)
        vector_rank.setdefault(vhit.doc.key, rank)
        distance.setdefault(vhit.doc.key, vhit.distance)

    hits: list[RetrievalHit] = []
    for key, doc in docs.items():
        k_rank, v_rank = keyword_rank.get(key), vector_rank.get(key)
        close = v_rank is not None and distance[key] <= max_distance
        if k_rank is None and not close:
            continue
        sources: tuple[Source, ...] = ()
        score = 0.0
        if k_rank is not None:
            sources += ("keyword",)
            score += 1.0 / (k + k_rank)
        if v_rank is not None and (close or k_rank is not None):
            # Once a keyword made the doc relevant, its vector rank helps order it even if far.
            sources += ("vector",)
            score += vector_weight / (k + v_rank)
        hits.append(
            RetrievalHit(
                doc=doc,
                score=score,
                sources=sources,
                keyword_rank=k_rank,
                vector_rank=v_rank,
                distance=distance.get(key),
            )
        )
    hits.sort(key=lambda h: (-h.score, _best_rank(h), h.doc.key))
    return hits[:limit]


def _best_rank(hit: RetrievalHit) -> int:
    return min(r for r in (hit.keyword_rank, hit.vector_rank) if r is not None)
