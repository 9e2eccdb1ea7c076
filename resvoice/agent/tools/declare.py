"""How a tool is declared: its name, description, argument model and handler in one `Tool`.

`@tool("description")` turns an async handler `(ctx, args) -> ToolOutcome` into a `Tool`; the
name is the function's, the argument model is its `args` annotation (a pydantic model, as in
LiveKit's `function_tool`). The JSON schema an LLM sees (`Tool.schema`) and the runner's
dispatch are both derived from that one declaration.
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from resvoice.agent.availability import AvailabilityService
from resvoice.agent.desk import ReservationDesk
from resvoice.agent.escalation import EscalationManager
from resvoice.agent.events import SessionEvent, ToolResult
from resvoice.agent.notepad import BookingRulesContext
from resvoice.agent.rag import RagService
from resvoice.agent.state import CallState
from resvoice.storage.base import Storage

ArgsT = TypeVar("ArgsT", bound=BaseModel)

ToolOutcome = tuple[ToolResult, list[SessionEvent]]
"""What a handler returns: the result the brain sees and the domain events for front ends."""


@dataclass
class ToolDeps:
    """The services a call's tools work with."""

    storage: Storage
    availability: AvailabilityService
    rag: RagService
    escalation: EscalationManager
    rules: Callable[[], BookingRulesContext]
    persist: Callable[[], Any]  # async () -> None, saves the call state
    desk: ReservationDesk  # existing bookings: finding (privacy rule), changes, texts


@dataclass(frozen=True)
class ToolContext:
    """What a handler runs against: one call's state and the services."""

    state: CallState
    deps: ToolDeps


Handler = Callable[[ToolContext, ArgsT], Awaitable[ToolOutcome]]


@dataclass(frozen=True)
class Tool(Generic[ArgsT]):
    """One tool, declared once."""

    name: str
    description: str
    args: type[ArgsT]
    handler: Handler[ArgsT]

    def schema(self) -> dict[str, Any]:
        """The function-tool declaration an LLM sees: name, description, parameters."""
        return {
            "name": self.name,
            "description": self.description,
            "parameters": self.args.model_json_schema(),
        }


def tool(description: str) -> Callable[[Handler[ArgsT]], Tool[ArgsT]]:
    """Declare the decorated handler as a tool named after it, taking its `args` annotation."""

    def declare(handler: Handler[ArgsT]) -> Tool[ArgsT]:
        args = typing.get_type_hints(handler).get("args")
        if not (isinstance(args, type) and issubclass(args, BaseModel)):
            raise TypeError(f"tool {handler.__name__}: annotate `args` with a pydantic model")
        return Tool(
            name=handler.__name__,
            description=description,
            args=typing.cast(type[ArgsT], args),
            handler=handler,
        )

    return declare
