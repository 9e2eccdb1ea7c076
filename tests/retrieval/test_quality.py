"""End to end: the demo restaurant seeded into SQLite, searched with the default embedder.

The questions are ones callers ask; each must find its document near the top with the
hashing embedder, which needs nothing downloaded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.retrieval.hybrid import HybridRetriever, RetrievalHit
from resvoice.seeding import seed_restaurant

sqlite = pytest.importorskip("resvoice.storage.sqlite")

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "restaurant.yaml"

Check = Callable[[RetrievalHit], bool]


def key(expected: str) -> Check:
    return lambda hit: hit.doc.key == expected


def tagged(*tags: str) -> Check:
    return lambda hit: hit.doc.kind == "menu" and set(tags) <= set(hit.doc.tags)


@pytest.fixture
async def retriever(tmp_path: Path) -> AsyncIterator[HybridRetriever]:
    storage = await sqlite.SQLiteStorage.open(tmp_path / "resvoice.db")
    embedder = HashingEmbedder()
    await seed_restaurant(storage, load_profile(FIXTURE), embedder)
    yield HybridRetriever(storage, embedder)
    await storage.close()


@pytest.mark.parametrize(
    ("question", "check"),
    [
        ("can I bring my dog", key("policy:pets")),
        ("is there parking", key("policy:parking")),
        ("what's your address", key("faq:what-is-your-address")),
        ("do you have gluten free pasta", tagged("gluten-free", "pasta")),
        ("are pets allowed inside", key("policy:pets")),
        ("my mother uses a wheelchair", key("policy:accessibility")),
        ("do you have high chairs for babies", key("policy:children")),
        ("what happens if I'm running late", key("policy:late-arrival")),
        ("can I bring my own bottle of wine", key("policy:corkage")),
        ("I need to cancel my booking", key("policy:cancellation")),
        ("I'm allergic to peanuts", key("policy:allergies")),
        ("we are a group of twelve", key("policy:large-parties")),
    ],
)
async def test_question_finds_its_document_in_the_top_three(
    retriever: HybridRetriever, question: str, check: Check
) -> None:
    hits = await retriever.search(question, limit=3)
    assert any(check(hit) for hit in hits), [hit.doc.key for hit in hits]


async def test_vegan_dishes_are_vegan(retriever: HybridRetriever) -> None:
    hits = await retriever.search("vegan dishes", limit=5, kinds=("menu",))
    assert len(hits) >= 3
    assert all("vegan" in hit.doc.tags for hit in hits), [hit.doc.key for hit in hits]


async def test_opening_hours(retriever: HybridRetriever) -> None:
    hits = await retriever.search("are you open on monday", limit=3)
    assert {"faq:hours", "faq:what-are-your-opening-hours"} & {hit.doc.key for hit in hits}


async def test_kinds_filter(retriever: HybridRetriever) -> None:
    hits = await retriever.search("can I bring my dog", limit=5, kinds=("menu",))
    assert all(hit.doc.kind == "menu" for hit in hits)


@pytest.mark.parametrize(
    "question", ["capital of france", "how do I get to you", "tell me a joke", "play some music"]
)
async def test_off_topic_questions_find_little(retriever: HybridRetriever, question: str) -> None:
    assert len(await retriever.search(question, limit=5)) <= 1
