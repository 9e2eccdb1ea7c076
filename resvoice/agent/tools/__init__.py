"""The agent's tools: each declared once (`Tool`), offered to the LLM and run by `ToolRunner`.

`TOOLS` is the agent's tool list, in the order the LLM sees it. Adding a tool is one `@tool`
declaration in the module of its group and its entry here; its JSON schema (`tool_schemas`)
and dispatch follow from the declaration.
"""

from __future__ import annotations

from typing import Any

from resvoice.agent.tools.booking import (
    AnotherBookingArgs,
    BookArgs,
    CheckAvailabilityArgs,
    book_reservation,
    capture_reservation_data,
    check_availability,
    start_another_booking,
)
from resvoice.agent.tools.declare import Tool, ToolContext, ToolDeps, ToolOutcome, tool
from resvoice.agent.tools.handoff import EscalateArgs, escalate_to_human
from resvoice.agent.tools.knowledge import SearchArgs, search_menu_and_policies
from resvoice.agent.tools.reservations import (
    CancelReservationArgs,
    ChangeReservationArgs,
    FindReservationArgs,
    cancel_reservation,
    change_reservation,
    find_reservation,
)
from resvoice.agent.tools.runner import ToolRunner

TOOLS: tuple[Tool[Any], ...] = (
    capture_reservation_data,
    check_availability,
    search_menu_and_policies,
    book_reservation,
    start_another_booking,
    escalate_to_human,
    find_reservation,
    cancel_reservation,
    change_reservation,
)


def tool_schemas() -> list[dict[str, Any]]:
    """Function-tool declarations (name, description, parameters) of `TOOLS`, in order."""
    return [t.schema() for t in TOOLS]


__all__ = [
    "TOOLS",
    "AnotherBookingArgs",
    "BookArgs",
    "CancelReservationArgs",
    "ChangeReservationArgs",
    "CheckAvailabilityArgs",
    "EscalateArgs",
    "FindReservationArgs",
    "SearchArgs",
    "Tool",
    "ToolContext",
    "ToolDeps",
    "ToolOutcome",
    "ToolRunner",
    "tool",
    "tool_schemas",
]
