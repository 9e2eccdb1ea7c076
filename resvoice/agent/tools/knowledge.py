"""The knowledge tool: search the menu, policies and FAQ."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from resvoice.agent.events import RagHit, ToolResult
from resvoice.agent.tools.declare import ToolContext, ToolOutcome, tool


class SearchArgs(BaseModel):
    """Search the menu, policies and FAQ."""

    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1)


@tool("Look up dishes, prices, dietary tags, policies and FAQ.")
async def search_menu_and_policies(ctx: ToolContext, args: SearchArgs) -> ToolOutcome:
    result = await ctx.deps.rag.search(args.query)
    return (
        ToolResult(
            ok=True,
            data={"hits": [_hit_json(h) for h in result.hits], "timed_out": result.timed_out},
        ),
        [result],
    )


def _hit_json(hit: RagHit) -> dict[str, Any]:
    return {
        "source": hit.source,
        "title": hit.title,
        "score": round(hit.score, 4),
        "text": hit.text,
        "tags": list(hit.tags),
    }
