"""`make_embedder`: pick an `Embedder` implementation by name, from explicit settings."""

from __future__ import annotations

from typing import Literal, get_args

from resvoice.errors import ConfigError
from resvoice.retrieval.base import Embedder

__all__ = ["EMBEDDER_KINDS", "EmbedderKind", "make_embedder"]

EmbedderKind = Literal["auto", "hashing", "minilm", "sentence-transformers", "openai"]
EMBEDDER_KINDS: tuple[str, ...] = get_args(EmbedderKind)


def make_embedder(
    kind: str, *, openai_api_key: str | None, openai_base_url: str | None
) -> Embedder:
    """The embedder `kind` names; "auto" is OpenAI when a key is given, else hashing.

    Raises:
        ConfigError: unknown kind, missing key, or the kind's packages are not installed.
    """
    kind = kind.strip().lower()
    if kind == "auto":
        kind = "openai" if openai_api_key else "hashing"
    if kind == "hashing":
        from resvoice.retrieval.hashing import HashingEmbedder

        return HashingEmbedder()
    if kind == "minilm":
        from resvoice.retrieval.minilm_onnx import MiniLMOnnxEmbedder

        return MiniLMOnnxEmbedder()
    if kind == "sentence-transformers":
        from resvoice.retrieval.sentence_transformers import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder()
    if kind == "openai":
        if not openai_api_key:
            raise ConfigError("the openai embedder needs OPENAI_API_KEY")
        from resvoice.retrieval.openai_embedder import OpenAIEmbedder

        return OpenAIEmbedder(openai_api_key, base_url=openai_base_url)
    raise ConfigError(f"unknown embedder {kind!r}; choose one of {', '.join(EMBEDDER_KINDS)}")
