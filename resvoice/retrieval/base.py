"""The `Embedder` protocol: text in, unit-length vectors out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of a fixed dimension.

    `name` and `dim` are stored with the data, so vectors of two embedders are never mixed.
    """

    name: str
    dim: int

    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...
