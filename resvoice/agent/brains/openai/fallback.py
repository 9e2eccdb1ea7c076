"""`FallbackBrain`: a wrapper that keeps the caller from silence when the model fails.

Every wait for the primary brain's next event is bounded: by `first_token_timeout_s` before
its first event and after each tool call (a new model request starts there), by
`inter_token_timeout_s` after a piece of text (a stream stalled mid-sentence). The time the
session spends running a tool is not counted: the wrapper only times its own waits. When a
wait runs out or the primary raises (after its own retries), the fallback brain, the offline
rules brain, answers the same turn. The switch is logged and recorded in
`TurnContext.fallback_reason`, which the session shows in `TurnCompleted.fallback` and counts
in the call's metadata.

A failure mid-reply, after some text went out, must still leave a reply that makes sense: the
reply is cut back to its complete sentences (`TextCut`; a voice call has spoken those and
nothing after them), a short bridging line follows, then the fallback's answer. The history
the model reads next turn holds exactly that. Tool calls the primary made stand; its captures
take precedence, so the fallback only captures fields the primary did not this turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Protocol, TypeGuard

from resvoice.agent.brains.base import Brain, Turn, TurnContext
from resvoice.agent.brains.openai.brain import CAPTURE
from resvoice.agent.events import BrainEvent, TextCut, TextDelta, ToolCall, ToolResult

__all__ = ["BRIDGE", "FallbackBrain", "RecordingBrain"]

log = logging.getLogger(__name__)
BRIDGE = "Sorry, let me put that another way."


class RecordingBrain(Brain, Protocol):
    """A primary that can be told about a turn another brain answered."""

    def record_turn(self, turn: Turn, reply: str, context: TurnContext) -> None: ...


class FallbackBrain:
    def __init__(
        self,
        primary: RecordingBrain,
        fallback: Brain,
        *,
        first_token_timeout_s: float = 4.0,
        inter_token_timeout_s: float = 3.0,
    ) -> None:
        self.name = primary.name
        self._primary = primary
        self._fallback = fallback
        self._first_s = first_token_timeout_s
        self._inter_s = inter_token_timeout_s

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        spoke = after_text = False
        captured: set[str] = set()  # fields the primary's captures gave this turn
        try:
            async with aclosing(self._primary.respond(turn, context)) as events:
                while True:
                    try:
                        async with asyncio.timeout(self._inter_s if after_text else self._first_s):
                            event = await anext(events)
                    except StopAsyncIteration:
                        return
                    after_text = isinstance(event, TextDelta)
                    if isinstance(event, TextDelta):
                        spoke = spoke or bool(event.text.strip())
                    elif _is_capture(event):
                        captured.update(k for k, v in event.arguments.items() if v is not None)
                    yield event
        except TimeoutError:
            if after_text:
                reason = f"stalled {self._inter_s:g} s mid-reply"
            else:
                reason = f"no reply within {self._first_s:g} s"
        except Exception as exc:  # any failure: the caller must still hear an answer
            reason = f"{type(exc).__name__}: {exc}"[:200]
        context.fallback_reason = reason
        log.warning(
            "brain fell back to %s",
            self._fallback.name,
            extra={
                "brain": self._primary.name,
                "reason": reason,
                "turn": turn.kind,
                "mid_reply": spoke,
            },
        )
        heard: list[str] = []
        if spoke:
            cut = TextCut()
            yield cut  # the session cuts the reply back and writes what stands
            if cut.kept:
                bridge = _bridge(cut.kept)
                heard += [cut.kept, bridge]
                yield TextDelta(f" {bridge} ")
        said: list[str] = []
        async with aclosing(self._fallback.respond(turn, context)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    said.append(event.text)
                elif _is_capture(event) and captured:
                    event.arguments = {
                        k: v for k, v in event.arguments.items() if k not in captured
                    }
                    if not event.arguments:
                        event.result = ToolResult(ok=True, data={"changed": [], "problems": []})
                        continue  # all of it was the primary's to capture
                yield event
        heard.append("".join(said).strip())
        self._primary.record_turn(turn, " ".join(part for part in heard if part), context)


def _is_capture(event: BrainEvent) -> TypeGuard[ToolCall]:
    return isinstance(event, ToolCall) and event.name == CAPTURE


def _bridge(kept: str) -> str:
    """The bridging line, in lower case when what stands ends mid-sentence (a first clause)."""
    if kept[-1] in ",;:" or kept[-1].isalnum():
        return BRIDGE[0].lower() + BRIDGE[1:]
    return BRIDGE
