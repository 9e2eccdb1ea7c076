"""`OpenAIEmbedder`: embeddings from the OpenAI API (or any server speaking its protocol).

Takes its key and base URL explicitly (only `config.py` reads the environment); the `openai`
package is imported on first construction so the rest of resvoice works without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from resvoice.errors import ConfigError, MissingExtraError, ResvoiceError

if TYPE_CHECKING:
    from openai import AsyncOpenAI

__all__ = ["OpenAIEmbedder"]


BATCH = 512  # the API takes up to 2048 inputs a request; smaller batches retry cheaper
_NATIVE_DIM = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072}


class OpenAIEmbedder:
    """Vectors from `model`; `dim` below the model's native size asks the API to shorten them."""

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        model: str = "text-embedding-3-small",
        dim: int = 1536,
        *,
        timeout: float = 10.0,
    ) -> None:
        try:
            from openai import AsyncOpenAI
        except ImportError as exc:
            raise MissingExtraError("the OpenAI embedder", "openai", missing=exc.name) from exc
        if not api_key:
            raise ConfigError("the OpenAI embedder needs an API key: set OPENAI_API_KEY")
        self.model = model
        self.dim = dim
        self.name = model
        native = _NATIVE_DIM.get(model)
        self._shorten = native is not None and dim != native
        self._client: AsyncOpenAI = AsyncOpenAI(api_key=api_key, base_url=base_url, timeout=timeout)

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        import openai

        vectors: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            batch = list(texts[start : start + BATCH])
            try:
                if self._shorten:
                    response = await self._client.embeddings.create(
                        model=self.model, input=batch, dimensions=self.dim
                    )
                else:
                    response = await self._client.embeddings.create(model=self.model, input=batch)
            except openai.AuthenticationError as exc:
                raise ConfigError("OpenAI rejected the API key: check OPENAI_API_KEY") from exc
            except openai.OpenAIError as exc:
                raise ResvoiceError(f"OpenAI embeddings request failed: {exc}") from exc
            for item in sorted(response.data, key=lambda d: d.index):
                vectors.append(_unit(item.embedding, self.dim))
        return vectors

    async def close(self) -> None:
        await self._client.close()


def _unit(values: Sequence[float], dim: int) -> list[float]:
    if len(values) != dim:
        raise ResvoiceError(
            f"OpenAI returned {len(values)}-dimensional vectors, expected {dim}: "
            "set the embedding dimension to match the model"
        )
    vector = np.asarray(values, dtype=np.float64)
    norm = float(np.linalg.norm(vector))
    return (vector / norm).tolist() if norm > 0 else vector.tolist()  # type: ignore[no-any-return]
