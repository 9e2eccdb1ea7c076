"""`HashingEmbedder`: deterministic, unit length, and closer for related texts."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from resvoice.retrieval.hashing import HashingEmbedder, features, normalize_words


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


async def test_deterministic_across_instances() -> None:
    texts = ["Can I bring my dog?", "Gluten-free penne arrabbiata, $19."]
    assert await HashingEmbedder().embed(texts) == await HashingEmbedder().embed(texts)


def test_stable_across_processes_whatever_the_hash_seed() -> None:
    """Vectors are stored in the database, so they must not depend on PYTHONHASHSEED."""
    code = (
        "from resvoice.retrieval.hashing import HashingEmbedder;"
        "v = HashingEmbedder().embed_one('is there parking nearby');"
        "print([round(float(x), 6) for x in v[:64]])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


async def test_vectors_are_unit_length_and_sized() -> None:
    embedder = HashingEmbedder(dim=256)
    vectors = await embedder.embed(["Tiramisu", "We hold your table for 15 minutes.", "a"])
    assert all(len(v) == 256 for v in vectors)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(vectors[1]) == pytest.approx(1.0, abs=1e-5)
    assert not any(vectors[2])  # nothing but a stop word: the zero vector, not NaN


@given(st.text(max_size=200))
def test_any_text_gives_a_unit_or_zero_vector(text: str) -> None:
    vector = HashingEmbedder().embed_one(text)
    norm = float(np.linalg.norm(vector))
    assert norm == 0.0 or abs(norm - 1.0) < 1e-5
    assert np.isfinite(vector).all()


async def test_similar_texts_are_closer_than_unrelated() -> None:
    pets, corkage, dog, wine = await HashingEmbedder().embed(
        [
            "Dogs and pets. Only service animals inside; dogs are welcome on the patio.",
            "Corkage. You are welcome to bring your own wine; corkage is 25 dollars per bottle.",
            "can I bring my dog",
            "can we bring our own bottle of wine",
        ]
    )
    assert _cos(dog, pets) > _cos(dog, corkage)
    assert _cos(wine, corkage) > _cos(wine, pets)


async def test_synonyms_bridge_caller_words() -> None:
    accessible, kids, wheelchair, children = await HashingEmbedder().embed(
        [
            "Our entrance is step-free and accessible.",
            "Children are welcome; we have high chairs.",
            "wheelchair",
            "do you take kids",
        ]
    )
    assert _cos(wheelchair, accessible) > 0.2 > _cos(wheelchair, kids)
    assert _cos(children, kids) > _cos(children, accessible)


def test_normalisation_stems_and_drops_stop_words() -> None:
    assert normalize_words("Can I bring my DOGS?") == ["bring", "dog"]
    assert normalize_words("parking") == normalize_words("park")
    assert normalize_words("booked bookings") == ["book", "book"]
    assert normalize_words("served serving") == normalize_words("serve serves")
    assert normalize_words("children") == ["child"]
    assert normalize_words("") == []


def test_features_include_bigrams_trigrams_and_synonyms() -> None:
    found = features("vegan pizza")
    assert {"w:vegan", "w:pizza", "b:vegan pizza", "c:<ve", "c:za>", "w:plant"} <= set(found)
    assert features("pizza pizza pizza")["w:pizza"] == pytest.approx(1 + np.log(3))


def test_query_embedding_is_fast() -> None:
    embedder = HashingEmbedder()
    queries = [f"do you have gluten free pasta for table {i}" for i in range(200)]
    started = time.perf_counter()
    for query in queries:
        embedder.embed_one(query)
    per_query_ms = (time.perf_counter() - started) * 1000 / len(queries)
    assert per_query_ms < 1.0, per_query_ms


def test_rejects_tiny_dimensions() -> None:
    with pytest.raises(ValueError, match="dim"):
        HashingEmbedder(dim=4)
