"""One model reply over Chat Completions (`POST /chat/completions`, `stream=True`), for
OpenAI-compatible servers without the Responses API.

Content deltas are handed on as they arrive; tool-call fragments are joined by their `index`
and handed on, complete, when the choice finishes. The brain's conversation items (Responses
input format) are translated to chat messages here and nowhere else.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam

from resvoice.agent.brains.openai.model import (
    FunctionCallItem,
    Item,
    ModelEvent,
    ModelRequest,
    TextPiece,
)

if TYPE_CHECKING:
    from openai import AsyncOpenAI

__all__ = ["ChatStream", "chat_messages", "chat_tools"]


class ChatStream:
    name = "chat"

    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self._client = client
        self._model = model

    async def stream(self, request: ModelRequest) -> AsyncGenerator[ModelEvent, None]:
        chunks = await self._client.chat.completions.create(
            model=self._model,
            messages=cast(
                list[ChatCompletionMessageParam],
                chat_messages(request.instructions, request.items),
            ),
            tools=cast(list[ChatCompletionToolParam], chat_tools(request.tools)),
            stream=True,
        )
        calls: dict[int, _PartialCall] = {}
        async with chunks:
            async for chunk in chunks:
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                delta = choice.delta
                if delta.content:
                    yield TextPiece(delta.content)
                for fragment in delta.tool_calls or ():
                    partial = calls.setdefault(fragment.index, _PartialCall())
                    if fragment.id:
                        partial.call_id = fragment.id
                    if fragment.function is not None:
                        partial.name += fragment.function.name or ""
                        partial.arguments.append(fragment.function.arguments or "")
                if choice.finish_reason is not None:
                    break
        for index in sorted(calls):
            partial = calls[index]
            yield FunctionCallItem(
                partial.call_id or f"call_{index}", partial.name, "".join(partial.arguments)
            )


@dataclass
class _PartialCall:
    call_id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


def chat_tools(tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`tool_schemas()` entries as Chat Completions function tools."""
    return [
        {
            "type": "function",
            "function": {
                "name": tool["name"],
                "description": tool["description"],
                "parameters": tool["parameters"],
            },
        }
        for tool in tools
    ]


def chat_messages(instructions: str, items: Sequence[Item]) -> list[dict[str, Any]]:
    """Responses-format items as chat messages; a function call joins the assistant message
    before it, and its output becomes a `tool` message."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": instructions}]
    for item in items:
        kind = item.get("type")
        if kind == "function_call":
            call = {
                "id": item["call_id"],
                "type": "function",
                "function": {"name": item["name"], "arguments": item["arguments"]},
            }
            last = messages[-1]
            if last["role"] == "assistant":
                last.setdefault("tool_calls", []).append(call)
            else:
                messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
        elif kind == "function_call_output":
            messages.append(
                {"role": "tool", "tool_call_id": item["call_id"], "content": item["output"]}
            )
        else:
            messages.append({"role": item["role"], "content": item["content"]})
    return messages
