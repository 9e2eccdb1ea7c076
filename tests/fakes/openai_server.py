"""A local fake of the OpenAI HTTP API for tests: a real HTTP/1.1 server on 127.0.0.1.

It speaks what the brain and the embedder use, as the API reference documents it:
- `POST /v1/responses` with `stream: true`: server-sent events `response.created`,
  `response.in_progress`, per output item `response.output_item.added`, then for a message
  `response.content_part.added`, `response.output_text.delta`..., `response.output_text.done`,
  `response.content_part.done`, or for a function call `response.function_call_arguments.delta`...,
  `response.function_call_arguments.done`; then `response.output_item.done`; and finally
  `response.completed`.
- `POST /v1/chat/completions` with `stream: true`: `chat.completion.chunk` objects (content
  deltas, `tool_calls` fragments joined by `index`, a `finish_reason`), then `data: [DONE]`.
- `POST /v1/embeddings`: an `embedding` list (returned out of order, as the API may).
- Errors as `{"error": {...}}` with the HTTP status (401, 404, 429, 500...).

The wire shapes are built in `openai_wire`. Each test scripts what the "model" says next
(`script(Reply(...), ...)`); every request is recorded. The server runs its own event loop in
a thread, so async tests and the synchronous CLI (which calls `asyncio.run`) can both use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from tests.fakes.openai_wire import (
    Call,
    Reply,
    ResponsesScript,
    Text,
    chat_chunks,
    embeddings,
    error,
)

__all__ = ["Call", "FakeOpenAI", "Recorded", "Reply", "Text"]


@dataclass(frozen=True)
class Recorded:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class _State:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[Recorded] = field(default_factory=list)


class FakeOpenAI:
    """`with FakeOpenAI() as server:` then point a client at `server.base_url`."""

    def __init__(
        self, *, api_key: str | None = None, responses_api: bool = True, model: str = "gpt-fake"
    ) -> None:
        self.api_key = api_key
        self.responses_api = responses_api
        self.model = model
        self.port = 0
        self._state = _State()
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    # --- test-facing API ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[Recorded]:
        return self._state.requests

    def model_requests(self) -> list[Recorded]:
        return [r for r in self._state.requests if not r.path.endswith("/embeddings")]

    def script(self, *replies: Reply) -> None:
        self._state.replies.extend(replies)

    def __enter__(self) -> FakeOpenAI:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake OpenAI server did not start")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None:
            loop.call_soon_threadsafe(stopped.set)
        if self._thread is not None:
            self._thread.join(10)

    # --- server -------------------------------------------------------------------------------

    def _serve(self, ready: threading.Event) -> None:
        asyncio.run(self._main(ready))

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        async with server:
            await self._stopped.wait()
            server.close()
            # closing each connection ends its handler at its next read (no cancellation,
            # which asyncio would log for a connection callback)
            for writer in list(self._writers):
                writer.close()
            if self._handlers:
                await asyncio.wait(self._handlers, timeout=5)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._writers.add(writer)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                await self._dispatch(request, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._handlers.discard(task)
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _dispatch(self, request: Recorded, writer: asyncio.StreamWriter) -> None:
        self._state.requests.append(request)
        if self.api_key is not None and request.headers.get("authorization") != (
            f"Bearer {self.api_key}"
        ):
            return await _json(writer, 401, error("Incorrect API key provided", "invalid_api_key"))
        path = request.path
        if path.endswith("/embeddings"):
            return await _json(writer, 200, embeddings(request.body))
        if path.endswith("/responses") and self.responses_api:
            kind = "responses"
        elif path.endswith("/chat/completions"):
            kind = "chat"
        else:
            return await _json(writer, 404, error(f"Invalid URL (POST {path})", None))
        if not self._state.replies:
            return await _json(writer, 500, error("the test scripted no reply for this", None))
        reply = self._state.replies.popleft()
        if reply.status != 200:
            code = "rate_limit_exceeded" if reply.status == 429 else "server_error"
            return await _json(writer, reply.status, error(f"scripted {reply.status}", code))
        model = str(request.body.get("model", self.model))
        if kind == "responses":
            events = ResponsesScript(f"resp_{next(self._ids)}", model, self._ids).events(reply)
        else:
            events = chat_chunks(f"chatcmpl-{next(self._ids)}", model, reply, self._ids)
        await self._stream(writer, events, reply)

    async def _stream(
        self, writer: asyncio.StreamWriter, events: list[bytes], reply: Reply
    ) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
            b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
        )
        if reply.hang:
            writer.write(_chunk(events[0]))
            await writer.drain()
            assert self._stopped is not None
            await self._stopped.wait()
            return
        if reply.one_write:
            writer.write(_chunk(b"".join(events)) + b"0\r\n\r\n")
        else:
            for event in events:
                writer.write(_chunk(event))
                await writer.drain()
            if reply.fail_after is not None and reply.failure in ("drop", "stall"):
                return await self._break(writer, reply)
            writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def _break(self, writer: asyncio.StreamWriter, reply: Reply) -> None:
        """The scripted stream stops mid-body: stalled until the server stops, or dropped."""
        if reply.failure == "stall":
            assert self._stopped is not None
            await self._stopped.wait()
            return
        writer.close()  # no terminating chunk: the client reads an incomplete body
        raise ConnectionResetError("scripted drop")  # this connection is over


# --- HTTP ------------------------------------------------------------------------------------


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def _json(writer: asyncio.StreamWriter, status: int, payload: dict[str, Any]) -> None:
    raw = json.dumps(payload).encode()
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"}
    writer.write(
        f"HTTP/1.1 {status} {reason.get(status, 'Error')}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(raw)}\r\n\r\n".encode()
        + raw
    )
    await writer.drain()


async def _read_request(reader: asyncio.StreamReader) -> Recorded | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    _method, target, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    raw = await reader.readexactly(length) if length else b""
    body = json.loads(raw) if raw else {}
    return Recorded(path=target.split("?", 1)[0], body=body, headers=headers)
