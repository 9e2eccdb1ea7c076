"""The hand-off tool: transfer the caller to a human (or arrange a callback)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from resvoice.agent.events import Escalated, ToolResult
from resvoice.agent.tools.declare import ToolContext, ToolOutcome, tool
from resvoice.call_metadata import EscalationNote


class EscalateArgs(BaseModel):
    """Hand the call to a human."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="agent_requested")
    detail: str = ""


@tool("Transfer the caller to a human (or arrange a callback).")
async def escalate_to_human(ctx: ToolContext, args: EscalateArgs) -> ToolOutcome:
    state = ctx.state
    missing = state.notepad.missing_fields()
    outcome = await ctx.deps.escalation.escalate(
        args.reason,
        detail=args.detail,
        notepad=state.notepad.filled(),
        missing=missing,
        transcript=state.transcript,
    )
    state.metadata.escalation = EscalationNote(
        reason=outcome.reason, state=outcome.state, id=outcome.escalation_id
    )
    await ctx.deps.persist()
    return (
        ToolResult(
            ok=True,
            data={
                "state": outcome.state,
                "reason": outcome.reason,
                "say": outcome.handoff_line(),
            },
        ),
        [
            Escalated(
                reason=outcome.reason,
                state=outcome.state,
                escalation_id=outcome.escalation_id,
                missing=tuple(missing),
            )
        ],
    )
