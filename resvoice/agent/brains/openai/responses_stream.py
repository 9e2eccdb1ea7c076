"""One model reply over the Responses API (`POST /responses`, `stream=True`).

Text deltas are handed on as they arrive; a function call is handed on when its item is done
(`response.output_item.done`), with its complete argument text. Nothing is stored at the
provider (`store=False`): the brain resends the conversation itself.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import TYPE_CHECKING, Any, cast

from openai.types.responses import (
    ResponseCompletedEvent,
    ResponseErrorEvent,
    ResponseFailedEvent,
    ResponseFunctionToolCall,
    ResponseIncompleteEvent,
    ResponseInputParam,
    ResponseOutputItemDoneEvent,
    ResponseTextDeltaEvent,
    ToolParam,
)

from resvoice.agent.brains.openai.model import (
    FunctionCallItem,
    ModelEvent,
    ModelRequest,
    ModelStreamError,
    TextPiece,
)

if TYPE_CHECKING:
    from openai import AsyncOpenAI

__all__ = ["ResponsesStream", "responses_tools"]


class ResponsesStream:
    name = "responses"

    def __init__(self, client: AsyncOpenAI, model: str) -> None:
        self._client = client
        self._model = model

    async def stream(self, request: ModelRequest) -> AsyncGenerator[ModelEvent, None]:
        events = await self._client.responses.create(
            model=self._model,
            instructions=request.instructions,
            input=cast(ResponseInputParam, list(request.items)),
            tools=cast(list[ToolParam], responses_tools(request.tools)),
            store=False,
            stream=True,
        )
        async with events:
            async for event in events:
                if isinstance(event, ResponseTextDeltaEvent):
                    yield TextPiece(event.delta)
                elif isinstance(event, ResponseOutputItemDoneEvent):
                    item = event.item
                    if isinstance(item, ResponseFunctionToolCall):
                        yield FunctionCallItem(item.call_id, item.name, item.arguments)
                elif isinstance(event, ResponseCompletedEvent | ResponseIncompleteEvent):
                    return
                elif isinstance(event, ResponseFailedEvent):
                    error = event.response.error
                    raise ModelStreamError(error.message if error else "response failed")
                elif isinstance(event, ResponseErrorEvent):
                    raise ModelStreamError(event.message)


def responses_tools(tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`tool_schemas()` entries as Responses API function tools."""
    return [
        {
            "type": "function",
            "name": tool["name"],
            "description": tool["description"],
            "parameters": tool["parameters"],
            "strict": False,
        }
        for tool in tools
    ]
