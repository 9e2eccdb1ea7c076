"""Runs one tool call: look the tool up, validate its arguments, call its handler.

Every brain's tool calls, the rules brain's included, go through `ToolRunner.run`, so
validation and side effects are the same whoever decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from resvoice.agent.events import ToolCall, ToolResult
from resvoice.agent.state import CallState
from resvoice.agent.tools.declare import Tool, ToolContext, ToolDeps, ToolOutcome


class ToolRunner:
    """Executes tool calls against one call's state; returns the result and domain events."""

    def __init__(self, state: CallState, deps: ToolDeps, tools: Iterable[Tool[Any]]) -> None:
        self._context = ToolContext(state=state, deps=deps)
        self._tools = {t.name: t for t in tools}

    async def run(self, call: ToolCall) -> ToolOutcome:
        declared = self._tools.get(call.name)
        if declared is None:
            return ToolResult(ok=False, error=f"unknown tool {call.name!r}"), []
        try:
            args = declared.args.model_validate(call.arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
                for err in exc.errors()
            )
            return ToolResult(ok=False, error=f"invalid arguments: {problems}"), []
        return await declared.handler(self._context, args)
