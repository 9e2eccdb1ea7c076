"""The conversation the OpenAI brain resends each turn, kept in the call's brain state.

Why an explicit item list rather than `previous_response_id`: the list lives in
`TurnContext.state`, which the session persists with the call, so it survives a restart; it
works on OpenAI-compatible servers that store nothing (Ollama, vLLM, llama.cpp) and on Chat
Completions, so the brain can switch APIs mid-call; it lets turns answered by the rules
fallback join the history; and it needs `store=False` only, so no caller data is kept at the
provider. The cost, resending a short phone call's items, is small; the list is trimmed to
the last `MAX_USER_TURNS` caller turns at a caller-message boundary, so function calls and
their outputs always stay paired.

The model must read what the caller *heard*, not what it generated: a reply the caller cut
short (barge-in) is replaced, on loading, by the heard part and a note that the caller
interrupted there; a reply the caller heard none of is dropped. The call's history, which the
session keeps as heard, is the reference, so this holds however the interruption was reported.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping, Sequence
from typing import Any

from resvoice.agent.brains.base import HistoryLine
from resvoice.agent.brains.openai.model import FunctionCallItem, Item
from resvoice.agent.events import ToolResult

__all__ = ["INTERRUPTED_NOTE", "MAX_USER_TURNS", "Conversation", "tool_output"]

STATE_KEY = "openai"
MAX_USER_TURNS = 12
INTERRUPTED_NOTE = "[the caller interrupted here and heard nothing after this]"


class Conversation:
    """A working copy of the items; `save` writes it back only when a turn succeeded."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items

    @classmethod
    def load(
        cls, state: MutableMapping[str, object], history: Sequence[HistoryLine] = ()
    ) -> Conversation:
        """The saved items, with the last reply made what the caller heard of it (`history`)."""
        mine = state.get(STATE_KEY)
        items = mine.get("items") if isinstance(mine, dict) else None
        conversation = cls([dict(item) for item in items] if isinstance(items, list) else [])
        conversation._as_heard(history)
        return conversation

    def _as_heard(self, history: Sequence[HistoryLine]) -> None:
        last_user = max(
            (i for i, it in enumerate(self.items) if it.get("role") == "user"), default=-1
        )
        replies = [i for i in range(last_user + 1, len(self.items)) if _is_reply(self.items[i])]
        if not replies:
            return
        last = history[-1] if history else None
        if last is not None and last.role == "agent" and not last.interrupted:
            return  # heard whole
        for i in reversed(replies):
            del self.items[i]
        if last is not None and last.role == "agent" and last.text:
            self.items.append({"role": "assistant", "content": f"{last.text} {INTERRUPTED_NOTE}"})

    def save(self, state: MutableMapping[str, object]) -> None:
        state[STATE_KEY] = {"items": _trimmed(self.items)}

    def user(self, text: str) -> None:
        self.items.append({"role": "user", "content": text})

    def assistant(self, text: str) -> None:
        if text:
            self.items.append({"role": "assistant", "content": text})

    def call(self, call: FunctionCallItem, output: str) -> None:
        self.items.append(
            {
                "type": "function_call",
                "call_id": call.call_id,
                "name": call.name,
                "arguments": call.arguments,
            }
        )
        self.items.append(
            {"type": "function_call_output", "call_id": call.call_id, "output": output}
        )


def tool_output(result: ToolResult | None) -> str:
    """A tool's result as the JSON text the model reads."""
    if result is None:
        return json.dumps({"ok": False, "error": "the tool did not run"})
    payload: dict[str, Any] = {"ok": result.ok}
    if result.error:
        payload["error"] = result.error
    payload.update(result.data)
    return json.dumps(payload, default=str, ensure_ascii=False)


def _is_reply(item: Item) -> bool:
    return item.get("role") == "assistant"


def _trimmed(items: list[Item]) -> list[Item]:
    starts = [i for i, item in enumerate(items) if item.get("role") == "user"]
    if len(starts) <= MAX_USER_TURNS:
        return items
    return items[starts[-MAX_USER_TURNS] :]
