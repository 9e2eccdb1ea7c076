"""The OpenAI brain's own vocabulary for one model request, apart from any wire format.

A *model stream* sends one request (instructions, conversation items, tools) and yields the
reply as `TextPiece`s and `FunctionCallItem`s in the order the model produced them. The
Responses and Chat Completions modules are the only code that knows the wire shapes.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "FunctionCallItem",
    "ModelEvent",
    "ModelRequest",
    "ModelStream",
    "ModelStreamError",
    "TextPiece",
]

Item = dict[str, Any]  # one conversation item, in the Responses API input format


@dataclass(frozen=True)
class ModelRequest:
    """One request: the system prompt, the conversation so far and the declared tools."""

    instructions: str
    items: Sequence[Item]
    tools: Sequence[dict[str, Any]]  # `tool_schemas()` entries: name, description, parameters


@dataclass(frozen=True)
class TextPiece:
    text: str


@dataclass(frozen=True)
class FunctionCallItem:
    """A complete function call; `arguments` is the model's raw JSON text, unchecked."""

    call_id: str
    name: str
    arguments: str


ModelEvent = TextPiece | FunctionCallItem


class ModelStreamError(Exception):
    """The server ended a stream with an error event (not an HTTP error status)."""


class ModelStream(Protocol):
    """Streams one model reply. Implementations raise the `openai` SDK's errors unchanged."""

    @property
    def name(self) -> str: ...

    def stream(self, request: ModelRequest) -> AsyncGenerator[ModelEvent, None]: ...
