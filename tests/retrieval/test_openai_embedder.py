"""`OpenAIEmbedder` through the real `openai` SDK against a local server speaking its protocol."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import numpy as np
import pytest

from resvoice.errors import ConfigError

pytest.importorskip("openai")

from resvoice.retrieval.openai_embedder import OpenAIEmbedder


class _FakeEmbeddings(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []  # replaced per server by a subclass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.headers.get("Authorization") != "Bearer sk-good":
            return self._reply(401, {"error": {"message": "bad key", "type": "invalid_request"}})
        type(self).requests.append(body)
        dim = body.get("dimensions", 1536)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        # Out of order on purpose: the SDK contract is to sort by `index`.
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(text))] + [1.0] * (dim - 1)}
            for i, text in reversed(list(enumerate(inputs)))
        ]
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        self._reply(200, {"object": "list", "data": data, "model": body["model"], "usage": usage})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    class Handler(_FakeEmbeddings):
        requests: ClassVar[list[dict[str, Any]]] = []  # one list per server

    handler = Handler
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", handler.requests
    httpd.shutdown()
    httpd.server_close()


async def test_embeds_in_order_and_normalises(server: tuple[str, list[dict[str, Any]]]) -> None:
    url, requests = server
    embedder = OpenAIEmbedder("sk-good", base_url=url)
    vectors = await embedder.embed(["a", "abc"])
    await embedder.close()
    assert [len(v) for v in vectors] == [1536, 1536]
    assert all(np.linalg.norm(v) == pytest.approx(1.0) for v in vectors)
    assert vectors[0][0] < vectors[1][0]  # "a" (length 1) first, despite the reply order
    assert requests[0]["model"] == "text-embedding-3-small"
    assert "dimensions" not in requests[0]


async def test_smaller_dimension_is_requested(server: tuple[str, list[dict[str, Any]]]) -> None:
    url, requests = server
    embedder = OpenAIEmbedder("sk-good", base_url=url, dim=256)
    (vector,) = await embedder.embed(["hello"])
    await embedder.close()
    assert len(vector) == 256
    assert requests[0]["dimensions"] == 256


async def test_rejected_key_is_a_config_error(server: tuple[str, list[dict[str, Any]]]) -> None:
    url, _ = server
    embedder = OpenAIEmbedder("sk-bad", base_url=url)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        await embedder.embed(["hello"])
    await embedder.close()
