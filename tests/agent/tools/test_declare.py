"""A tool is one declaration: its schema and the runner's dispatch both come from it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from resvoice.agent.events import ToolCall, ToolResult
from resvoice.agent.state import CallState
from resvoice.agent.tools import TOOLS, ToolContext, ToolDeps, ToolOutcome, ToolRunner, tool


class EchoArgs(BaseModel):
    """Say something back."""

    model_config = ConfigDict(extra="forbid")
    word: str = Field(min_length=1)


@tool("Say the word back.")
async def echo(ctx: ToolContext, args: EchoArgs) -> ToolOutcome:
    return ToolResult(ok=True, data={"word": args.word, "call": ctx.state.conversation_id}), []


def runner(*tools: Any) -> ToolRunner:
    deps: Any = None  # echo needs no services
    return ToolRunner(CallState(conversation_id="c1"), ToolDeps(*([deps] * 7)), tools)


def test_the_declaration_gives_name_description_and_schema() -> None:
    assert echo.name == "echo" and echo.args is EchoArgs
    assert echo.schema() == {
        "name": "echo",
        "description": "Say the word back.",
        "parameters": EchoArgs.model_json_schema(),
    }


def test_the_agent_offers_each_tool_once() -> None:
    names = [t.name for t in TOOLS]
    assert len(names) == len(set(names))
    assert names[0] == "capture_reservation_data" and "escalate_to_human" in names


async def test_a_declared_tool_is_dispatched_with_validated_arguments() -> None:
    result, events = await runner(echo).run(ToolCall(name="echo", arguments={"word": "hi"}))
    assert result == ToolResult(ok=True, data={"word": "hi", "call": "c1"}) and events == []


async def test_bad_arguments_and_unknown_tools_are_told_to_the_model() -> None:
    run = runner(echo)
    bad, _ = await run.run(ToolCall(name="echo", arguments={"word": "", "x": 1}))
    assert bad.ok is False and bad.error is not None
    assert bad.error.startswith("invalid arguments: word: String should have at least 1")
    assert "x: Extra inputs are not permitted" in bad.error
    unknown, _ = await run.run(ToolCall(name="book_reservation", arguments={}))
    assert unknown.error == "unknown tool 'book_reservation'"


def test_a_handler_without_an_argument_model_is_refused() -> None:
    with pytest.raises(TypeError, match="annotate `args`"):

        @tool("Nothing.")
        async def bare(ctx: ToolContext, args: dict[str, Any]) -> ToolOutcome:
            raise AssertionError
