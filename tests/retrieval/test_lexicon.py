"""The restaurant lexicon: callers' words find entries written in other words, and a phrase
that contains a misleading word ("web address") stops searching for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.retrieval.hybrid import HybridRetriever
from resvoice.retrieval.lexicon import expand_query, synonyms
from resvoice.seeding import seed_restaurant
from tests.conftest import ROOT

sqlite = pytest.importorskip("resvoice.storage.sqlite")
KETTLE = ROOT / "tests" / "agent" / "answers" / "copper_kettle.yaml"


def test_a_word_brings_its_group() -> None:
    assert {"takeout", "carryout"} <= set(expand_query("do you do takeaway").split())
    assert "takeaway" in expand_query("is takeout available").split()
    assert "restroom" in expand_query("where's the loo").split()
    assert "lager" in expand_query("what beers do you have on tap").split()
    assert "takeaway" in synonyms("take-away")


def test_a_phrase_is_replaced_by_its_group() -> None:
    words = expand_query("what's your web address").split()
    assert "website" in words and "address" not in words
    assert "address" in expand_query("what's your address").split()


def test_weak_words_of_phrases_are_not_searched() -> None:
    words = expand_query("is it step-free").split()
    assert "wheelchair" in words and "free" not in words
    assert expand_query("table for two on friday") == "table for two on friday"


@pytest.fixture(params=["fixtures/restaurant.yaml", str(KETTLE)])
async def retriever(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[HybridRetriever]:
    storage = await sqlite.SQLiteStorage.open(tmp_path / "resvoice.db")
    embedder = HashingEmbedder()
    await seed_restaurant(storage, load_profile(ROOT / request.param), embedder)
    yield HybridRetriever(storage, embedder)
    await storage.close()


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("do you do takeaway", "take"),
        ("can I get food to go", "take"),
        ("what's your web address", "website"),
        ("where's the loo", "toilet|restroom|access"),
        ("can I bring my pooch", "dog"),
    ],
)
async def test_other_words_find_the_entry(
    retriever: HybridRetriever, question: str, topic: str
) -> None:
    hits = await retriever.search(question, limit=1, kinds=("policy", "faq"))
    assert hits, question
    text = f"{hits[0].doc.title} {hits[0].doc.body}".lower()
    assert any(t in text for t in topic.split("|")), (question, hits[0].doc.key)
