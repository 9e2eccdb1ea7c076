"""`OpenAIEmbedder` through the real `openai` SDK against the fake OpenAI server."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from resvoice.errors import ConfigError
from tests.fakes.openai_server import FakeOpenAI

pytest.importorskip("openai")

from resvoice.retrieval.openai_embedder import OpenAIEmbedder


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key="sk-good") as fake:
        yield fake


async def test_embeds_in_order_and_normalises(server: FakeOpenAI) -> None:
    embedder = OpenAIEmbedder("sk-good", base_url=server.base_url)
    vectors = await embedder.embed(["a", "abc"])
    await embedder.close()
    assert [len(v) for v in vectors] == [1536, 1536]
    assert all(np.linalg.norm(v) == pytest.approx(1.0) for v in vectors)
    assert vectors[0][0] < vectors[1][0]  # "a" (length 1) first, despite the reply order
    (request,) = server.requests
    assert request.path == "/v1/embeddings"
    assert request.body["model"] == "text-embedding-3-small"
    assert "dimensions" not in request.body


async def test_smaller_dimension_is_requested(server: FakeOpenAI) -> None:
    embedder = OpenAIEmbedder("sk-good", base_url=server.base_url, dim=256)
    (vector,) = await embedder.embed(["hello"])
    await embedder.close()
    assert len(vector) == 256
    assert server.requests[0].body["dimensions"] == 256


async def test_rejected_key_is_a_config_error(server: FakeOpenAI) -> None:
    embedder = OpenAIEmbedder("sk-bad", base_url=server.base_url)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        await embedder.embed(["hello"])
    await embedder.close()
