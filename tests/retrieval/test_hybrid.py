"""`HybridRetriever` and `fuse`: Reciprocal Rank Fusion and the relevance cut, on a stub store."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from resvoice.restaurant.documents import KnowledgeDoc, KnowledgeKind
from resvoice.retrieval.hybrid import RRF_K, HybridRetriever, RetrievalHit, fuse
from resvoice.storage.records import KeywordHit, VectorHit


def _doc(key: str, kind: KnowledgeKind = "policy") -> KnowledgeDoc:
    return KnowledgeDoc(key=key, kind=kind, title=key, body=f"about {key}")


class StubStorage:
    """Just the two search methods of `Storage`, with canned ranked results."""

    backend = "stub"

    def __init__(self, keyword: list[tuple[str, float]], vector: list[tuple[str, float]]) -> None:
        self.keyword = keyword
        self.vector = vector
        self.calls: list[tuple[str, object, int, object]] = []

    async def keyword_search(
        self, query: str, limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[KeywordHit]:
        self.calls.append(("keyword", query, limit, kinds))
        return [KeywordHit(doc=_doc(k), score=s) for k, s in self.keyword[:limit]]

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]:
        self.calls.append(("vector", list(vector), limit, kinds))
        return [VectorHit(doc=_doc(k), distance=d) for k, d in self.vector[:limit]]


class StubEmbedder:
    name = "stub"
    dim = 3

    def __init__(self, vector: list[float] | None = None) -> None:
        self.vector = vector if vector is not None else [1.0, 0.0, 0.0]
        self.seen: list[str] = []

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.seen.extend(texts)
        return [self.vector for _ in texts]


def _keys(hits: list[RetrievalHit]) -> list[str]:
    return [hit.doc.key for hit in hits]


async def test_documents_in_both_lists_rank_first() -> None:
    storage = StubStorage(
        keyword=[("pets", 9.0), ("patio", 5.0), ("corkage", 1.0)],
        vector=[("pets", 0.2), ("children", 0.3), ("patio", 0.4)],
    )
    hits = await HybridRetriever(storage, StubEmbedder(), max_distance=0.5).search("dog")
    assert _keys(hits) == ["pets", "patio", "children", "corkage"]
    pets = hits[0]
    assert pets.sources == ("keyword", "vector")
    assert (pets.keyword_rank, pets.vector_rank, pets.distance) == (1, 1, 0.2)
    assert pets.score == pytest.approx(2 / (RRF_K + 1))
    assert hits[1].score == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 3))
    assert hits[2].sources == ("vector",) and hits[2].keyword_rank is None
    assert hits[3].sources == ("keyword",) and hits[3].vector_rank is None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


async def test_far_vector_only_neighbours_are_cut() -> None:
    storage = StubStorage(keyword=[], vector=[("parking", 0.3), ("hours", 0.9)])
    hits = await HybridRetriever(storage, StubEmbedder(), max_distance=0.5).search("car")
    assert _keys(hits) == ["parking"]


async def test_irrelevant_question_returns_nothing() -> None:
    storage = StubStorage(keyword=[], vector=[("menu", 0.85), ("hours", 0.9)])
    retriever = HybridRetriever(storage, StubEmbedder(), max_distance=0.6)
    assert await retriever.search("who won the game") == []


async def test_keyword_hit_keeps_its_far_vector_rank() -> None:
    storage = StubStorage(keyword=[("a", 2.0), ("b", 1.0)], vector=[("b", 0.9), ("c", 0.95)])
    hits = await HybridRetriever(storage, StubEmbedder(), max_distance=0.5).search("q")
    assert _keys(hits) == ["b", "a"]  # b: keyword 2 + vector 1 beats a: keyword 1 alone
    assert hits[0].sources == ("keyword", "vector")


async def test_limit_kinds_and_query_reach_both_engines() -> None:
    storage = StubStorage(keyword=[(f"k{i}", 1.0) for i in range(30)], vector=[])
    embedder = StubEmbedder()
    retriever = HybridRetriever(storage, embedder, candidates=10)
    hits = await retriever.search("grilled dishes", limit=3, kinds=("menu",))
    assert len(hits) == 3
    assert embedder.seen == ["grilled dishes"]
    assert ("keyword", "grilled dishes", 10, ("menu",)) in storage.calls
    assert ("vector", [1.0, 0.0, 0.0], 10, ("menu",)) in storage.calls


async def test_empty_query_or_zero_vector_skip_work() -> None:
    storage = StubStorage(keyword=[("a", 1.0)], vector=[("b", 0.1)])
    retriever = HybridRetriever(storage, StubEmbedder([0.0, 0.0, 0.0]))
    assert await retriever.search("   ") == []
    assert await retriever.search("q", limit=0) == []
    hits = await retriever.search("how do I get to you")
    assert _keys(hits) == ["a"]
    assert [call[0] for call in storage.calls] == ["keyword"]


def test_default_cut_depends_on_the_embedder() -> None:
    storage = StubStorage([], [])
    hashing = StubEmbedder()
    hashing.name = "hashing-v1"
    assert HybridRetriever(storage, hashing).max_distance == pytest.approx(0.65)
    assert HybridRetriever(storage, StubEmbedder()).max_distance == pytest.approx(0.65)
    assert HybridRetriever(storage, StubEmbedder(), max_distance=0.3).max_distance == 0.3


def test_fuse_ties_break_by_best_rank_then_key() -> None:
    keyword = [KeywordHit(doc=_doc("x"), score=1.0)]
    vector = [VectorHit(doc=_doc("y"), distance=0.1)]
    hits = fuse(keyword, vector, limit=5, max_distance=0.5)
    assert _keys(hits) == ["x", "y"]  # equal scores and ranks: key order
    assert hits[0].score == hits[1].score


def test_retrieval_hit_is_frozen() -> None:
    hit = RetrievalHit(doc=_doc("a"), score=1.0, sources=("keyword",), keyword_rank=1)
    with pytest.raises(ValueError, match="frozen"):
        hit.score = 2.0  # type: ignore[misc]
