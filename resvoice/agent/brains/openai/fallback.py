"""`FallbackBrain`: a wrapper that keeps the caller from silence when the model fails.

Every wait for the primary brain's next event is bounded by `first_token_timeout_s` (the time
the session spends running a tool is not counted: the wrapper only times its own waits). When
a wait runs out or the primary raises (after its own retries), the fallback brain, the offline
rules brain, answers the same turn. The switch is logged and recorded in
`TurnContext.fallback_reason`, which the session shows in `TurnCompleted.fallback` and counts in
the call's metadata. Tool calls the primary already made stand: the fallback sees their effect
on the notepad.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Protocol

from resvoice.agent.brains.base import Brain, Turn, TurnContext
from resvoice.agent.events import BrainEvent, TextDelta

__all__ = ["FallbackBrain", "RecordingBrain"]

log = logging.getLogger(__name__)


class RecordingBrain(Brain, Protocol):
    """A primary that can be told about a turn another brain answered."""

    def record_turn(self, turn: Turn, reply: str, context: TurnContext) -> None: ...


class FallbackBrain:
    def __init__(
        self, primary: RecordingBrain, fallback: Brain, *, first_token_timeout_s: float = 4.0
    ) -> None:
        self.name = primary.name
        self._primary = primary
        self._fallback = fallback
        self._timeout_s = first_token_timeout_s

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        said: list[str] = []
        try:
            async with aclosing(self._primary.respond(turn, context)) as events:
                while True:
                    try:
                        async with asyncio.timeout(self._timeout_s):
                            event = await anext(events)
                    except StopAsyncIteration:
                        return
                    if isinstance(event, TextDelta):
                        said.append(event.text)
                    yield event
        except TimeoutError:
            reason = f"no reply within {self._timeout_s:g} s"
        except Exception as exc:  # any failure: the caller must still hear an answer
            reason = f"{type(exc).__name__}: {exc}"[:200]
        context.fallback_reason = reason
        log.warning(
            "brain fell back to %s",
            self._fallback.name,
            extra={"brain": self._primary.name, "reason": reason, "turn": turn.kind},
        )
        async with aclosing(self._fallback.respond(turn, context)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    said.append(event.text)
                yield event
        self._primary.record_turn(turn, "".join(said), context)
