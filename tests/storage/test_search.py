"""Keyword (FTS5 + BM25) and vector (sqlite-vec) search over the knowledge documents."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resvoice.errors import StorageError
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.search_terms import fts5_query, search_terms

from .conftest import DOCS, EMBEDDER, VECTORS, one_hot

HOSTILE = [
    '"dog\'s" AND NOT (',
    "NEAR(pizza dogs, 2)",
    "pizza*",
    "title:dogs OR",
    "'; DROP TABLE knowledge_docs; --",
    "^dogs + - {parking} [car]",
    "AND OR NOT NEAR",
    "",
    "   ",
    "😀 pizza",
]


async def test_keyword_search_finds_a_doc_by_a_word(seeded: Storage) -> None:
    hits = await seeded.keyword_search("parking", 5)
    assert [h.doc.key for h in hits] == ["faq:parking"]
    assert hits[0].doc == DOCS[4]
    assert hits[0].score > 0


async def test_keyword_search_stems_and_ranks(seeded: Storage) -> None:
    hits = await seeded.keyword_search("Can I bring my dog?", 5)
    assert hits[0].doc.key == "policy:dogs"  # "dog" matches "dogs" through the porter stemmer
    ranked = await seeded.keyword_search("vegetarian pizza with basil", 5)
    assert ranked[0].doc.key == "menu:margherita"
    assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)


async def test_keyword_search_survives_hostile_text(seeded: Storage) -> None:
    for text in HOSTILE:
        await seeded.keyword_search(text, 5)
    assert [h.doc.key for h in await seeded.keyword_search(HOSTILE[0], 5)] == ["policy:dogs"]
    assert await seeded.keyword_search("AND OR NOT NEAR", 5) == []
    assert await seeded.knowledge_count() == len(DOCS)


async def test_keyword_search_filters_kinds_and_limits(seeded: Storage) -> None:
    text = "pizza dogs parking tiramisu"
    assert {h.doc.kind for h in await seeded.keyword_search(text, 10, kinds=["menu"])} == {"menu"}
    assert len(await seeded.keyword_search(text, 2)) == 2
    assert await seeded.keyword_search(text, 0) == []


def test_search_terms_are_plain_words() -> None:
    assert search_terms('Is the "dog\'s" menu NOT (spicy)?') == ["dog", "menu", "spicy"]
    assert fts5_query(["dog", "menu"]) == '"dog" OR "menu"'


@given(st.text())
def test_search_terms_never_carry_syntax(text: str) -> None:
    for term in search_terms(text):
        assert term and all(ch.isalnum() or ch == "_" for ch in term)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_keyword_search_never_raises(database_url: str, text: str) -> None:
    asyncio.run(_search_once(database_url, text))


async def _search_once(url: str, text: str) -> None:
    store = await open_storage(url)
    try:
        await store.keyword_search(text, 5)
    finally:
        await store.close()


async def test_vector_search_returns_nearest_first(seeded: Storage) -> None:
    query = [0.1, 0.2, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0]
    hits = await seeded.vector_search(query, 3)
    assert [h.doc.key for h in hits] == ["policy:dogs", "menu:tiramisu", "menu:margherita"]
    assert hits[0].distance < hits[1].distance < hits[2].distance < 1.0
    assert hits[0].distance == pytest.approx(1 - 0.9 / (0.01 + 0.04 + 0.81) ** 0.5, abs=1e-6)


async def test_vector_search_filters_kinds(seeded: Storage) -> None:
    hits = await seeded.vector_search(one_hot(0), 5, kinds=["faq", "policy"])
    assert {h.doc.kind for h in hits} == {"faq", "policy"}
    assert len(hits) == 3
    only = await seeded.vector_search(one_hot(0), 5, kinds=["faq"])
    assert [h.doc.key for h in only] == ["faq:parking"]


async def test_vector_search_before_seeding_and_with_a_wrong_dimension(
    storage: Storage, profile: RestaurantProfile
) -> None:
    assert await storage.vector_search(one_hot(0), 3) == []
    await storage.seed(profile, DOCS, VECTORS, EMBEDDER)
    with pytest.raises(StorageError, match="dimensions"):
        await storage.vector_search([1.0, 0.0], 3)


async def test_vector_search_with_a_large_limit_returns_everything(seeded: Storage) -> None:
    hits = await seeded.vector_search(one_hot(1), 500)  # past HNSW's default candidate list
    assert len(hits) == len(DOCS) and hits[0].doc.key == "menu:tiramisu"
    assert await seeded.vector_search(one_hot(1), 500, kinds=["policy"]) == [
        h for h in hits if h.doc.kind == "policy"
    ]
