"""`make_embedder`: the kinds, "auto", and the errors a user sees."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from resvoice.errors import ConfigError
from resvoice.retrieval.factory import EMBEDDER_KINDS, make_embedder
from resvoice.retrieval.hashing import HashingEmbedder


def test_auto_is_hashing_without_a_key() -> None:
    embedder = make_embedder("auto", openai_api_key=None, openai_base_url=None)
    assert isinstance(embedder, HashingEmbedder)
    assert (embedder.name, embedder.dim) == ("hashing-v1", 384)


def test_auto_is_openai_with_a_key() -> None:
    pytest.importorskip("openai")
    embedder = make_embedder(
        "auto", openai_api_key="sk-test", openai_base_url="http://127.0.0.1:9/v1"
    )
    assert (embedder.name, embedder.dim) == ("text-embedding-3-small", 1536)


def test_openai_needs_a_key() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        make_embedder("openai", openai_api_key=None, openai_base_url=None)


def test_unknown_kind_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="hashing"):
        make_embedder("word2vec", openai_api_key=None, openai_base_url=None)
    assert "sentence-transformers" in EMBEDDER_KINDS


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None, reason="torch installed"
)
def test_sentence_transformers_without_torch_says_what_to_install() -> None:
    with pytest.raises(ConfigError, match="resvoice\\[torch\\]"):
        make_embedder("sentence-transformers", openai_api_key=None, openai_base_url=None)


def test_modules_import_without_their_extras() -> None:
    """Importing a provider module must not import its heavy dependency."""
    code = (
        "import sys, resvoice.retrieval.minilm_onnx, resvoice.retrieval.openai_embedder,"
        " resvoice.retrieval.sentence_transformers, resvoice.retrieval.factory;"
        "print(sorted({'onnxruntime', 'tokenizers', 'openai', 'sentence_transformers', 'torch'}"
        " & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
