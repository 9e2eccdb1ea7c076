"""What the fake OpenAI server says, in the API's documented wire shapes: the scripted reply
vocabulary (`Text`, `Call`, `Reply`) and its rendering as Responses API server-sent events,
Chat Completions chunks, embeddings and error bodies."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "Call",
    "Failure",
    "Reply",
    "ResponsesScript",
    "Text",
    "chat_chunks",
    "embeddings",
    "error",
]

Failure = Literal["drop", "error", "malformed", "stall"]


@dataclass(frozen=True)
class Text:
    """An assistant message streamed as these deltas."""

    deltas: tuple[str, ...]

    def __init__(self, *deltas: str) -> None:
        object.__setattr__(self, "deltas", deltas)


@dataclass(frozen=True)
class Call:
    """A function call; `arguments` is sent verbatim (it may be malformed on purpose)."""

    name: str
    arguments: str = "{}"
    pieces: int = 3  # how many argument deltas to split it into


@dataclass(frozen=True)
class Reply:
    """One scripted model reply. `status` other than 200 answers with an error body instead;
    `hang` sends the headers and `response.created`, then nothing until the server stops;
    `one_write` sends the whole stream in a single write (the benchmark's case).

    `fail_after` breaks the stream once that many text deltas went out, by `failure`: "drop"
    closes the connection mid-body, "error" sends the API's error event (what a server error
    mid-stream looks like), "malformed" an event whose data is not JSON, "stall" nothing more
    until the server stops."""

    items: tuple[Text | Call, ...] = ()
    status: int = 200
    hang: bool = False
    one_write: bool = False
    fail_after: int | None = None
    failure: Failure = "drop"

    def breaks_at(self, deltas_sent: int) -> bool:
        return self.fail_after is not None and deltas_sent >= self.fail_after


_MALFORMED = b'event: response.output_text.delta\ndata: {"type": "response.output_te\n\n'


def _sse(data: dict[str, Any], event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()


class ResponsesScript:
    """The Responses streaming events for one scripted reply, numbered in sequence."""

    def __init__(self, response_id: str, model: str, ids: Iterator[int]) -> None:
        self._id = response_id
        self._model = model
        self._ids = ids
        self._seq = itertools.count()
        self._created = int(time.time())
        self._deltas = 0  # text deltas rendered so far

    def events(self, reply: Reply) -> list[bytes]:
        out = [
            self._event("response.created", response=self._response("in_progress", [])),
            self._event("response.in_progress", response=self._response("in_progress", [])),
        ]
        done: list[dict[str, Any]] = []
        self._deltas = 0
        for index, item in enumerate(reply.items):
            if isinstance(item, Text):
                out += self._message(index, item, done, reply)
            else:
                out += self._function_call(index, item, done)
            if reply.breaks_at(self._deltas):
                return out + self._failure(reply.failure)
        out.append(self._event("response.completed", response=self._response("completed", done)))
        return out

    def _failure(self, failure: Failure) -> list[bytes]:
        if failure == "error":
            return [
                self._event(
                    "error",
                    code="server_error",
                    message="The server had an error while processing your request.",
                    param=None,
                )
            ]
        return [_MALFORMED] if failure == "malformed" else []

    def _message(
        self, index: int, item: Text, done: list[dict[str, Any]], reply: Reply
    ) -> list[bytes]:
        item_id = f"msg_{next(self._ids)}"
        text = "".join(item.deltas)
        part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
        where = {"item_id": item_id, "output_index": index, "content_index": 0}
        message = {"id": item_id, "type": "message", "role": "assistant"}
        out = [
            self._event(
                "response.output_item.added",
                output_index=index,
                item={**message, "status": "in_progress", "content": []},
            ),
            self._event("response.content_part.added", **where, part=part),
        ]
        for delta in item.deltas:
            out.append(self._event("response.output_text.delta", **where, delta=delta, logprobs=[]))
            self._deltas += 1
            if reply.breaks_at(self._deltas):
                return out
        final = {**part, "text": text}
        out.append(self._event("response.output_text.done", **where, text=text, logprobs=[]))
        out.append(self._event("response.content_part.done", **where, part=final))
        completed = {**message, "status": "completed", "content": [final]}
        out.append(self._event("response.output_item.done", output_index=index, item=completed))
        done.append(completed)
        return out

    def _function_call(self, index: int, item: Call, done: list[dict[str, Any]]) -> list[bytes]:
        number = next(self._ids)
        call = {
            "id": f"fc_{number}",
            "type": "function_call",
            "call_id": f"call_{number}",
            "name": item.name,
        }
        where = {"item_id": call["id"], "output_index": index}
        out = [
            self._event(
                "response.output_item.added",
                output_index=index,
                item={**call, "arguments": "", "status": "in_progress"},
            )
        ]
        for piece in _split(item.arguments, item.pieces):
            out.append(self._event("response.function_call_arguments.delta", **where, delta=piece))
        out.append(
            self._event("response.function_call_arguments.done", **where, arguments=item.arguments)
        )
        completed = {**call, "arguments": item.arguments, "status": "completed"}
        out.append(self._event("response.output_item.done", output_index=index, item=completed))
        done.append(completed)
        return out

    def _event(self, kind: str, **payload: Any) -> bytes:
        return _sse({"type": kind, "sequence_number": next(self._seq), **payload}, kind)

    def _response(self, status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": self._id,
            "object": "response",
            "created_at": self._created,
            "status": status,
            "model": self._model,
            "output": output,
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
            "error": None,
            "incomplete_details": None,
            "instructions": None,
            "metadata": {},
            "temperature": 1.0,
            "top_p": 1.0,
            "store": False,
        }


def chat_chunks(chunk_id: str, model: str, reply: Reply, ids: Iterator[int]) -> list[bytes]:
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return _sse(
            {
                "id": chunk_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [choice],
            }
        )

    out = [chunk({"role": "assistant", "content": ""})]
    call_index = deltas = 0
    for item in reply.items:
        if isinstance(item, Text):
            for delta in item.deltas:
                out.append(chunk({"content": delta}))
                deltas += 1
                if reply.breaks_at(deltas):
                    return out + _chat_failure(reply.failure)
            continue
        head = {
            "index": call_index,
            "id": f"call_{next(ids)}",
            "type": "function",
            "function": {"name": item.name, "arguments": ""},
        }
        out.append(chunk({"tool_calls": [head]}))
        for piece in _split(item.arguments, item.pieces):
            fragment = {"index": call_index, "function": {"arguments": piece}}
            out.append(chunk({"tool_calls": [fragment]}))
        call_index += 1
    out.append(chunk({}, "tool_calls" if call_index else "stop"))
    out.append(b"data: [DONE]\n\n")
    return out


def _chat_failure(failure: Failure) -> list[bytes]:
    """A server error mid-stream arrives as a chunk holding only an `error` object."""
    if failure == "error":
        body = error("The server had an error while processing your request.", None)
        body["error"]["type"] = "server_error"
        return [_sse(body)]
    return [b'data: {"id": "chatcmpl-1", "obj\n\n'] if failure == "malformed" else []


def embeddings(body: dict[str, Any]) -> dict[str, Any]:
    dim = int(body.get("dimensions", 1536))
    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
    data = [
        {"object": "embedding", "index": i, "embedding": [float(len(text))] + [1.0] * (dim - 1)}
        for i, text in reversed(list(enumerate(inputs)))
    ]
    usage = {"prompt_tokens": 1, "total_tokens": 1}
    return {"object": "list", "data": data, "model": body["model"], "usage": usage}


def error(message: str, code: str | None) -> dict[str, Any]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}
    }


def _split(text: str, pieces: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, pieces)))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
