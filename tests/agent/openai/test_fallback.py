"""`FallbackBrain` on its own, with scripted brains: when it switches and when it must not."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator

import pytest

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.brains.openai.fallback import FallbackBrain
from resvoice.agent.events import BrainEvent, TextDelta, ToolCall
from resvoice.agent.notepad import Notepad
from resvoice.runtime import Runtime


class Primary:
    name = "primary"

    def __init__(self, *, fail_after_text: bool = False, gate: asyncio.Event | None = None):
        self.fail_after_text = fail_after_text
        self.gate = gate
        self.recorded: list[tuple[str, str]] = []

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        yield TextDelta("Let me see. ")
        yield ToolCall("check_availability", {})
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_after_text:
            raise RuntimeError("stream broke")
        yield TextDelta("All good.")

    def record_turn(self, turn: Turn, reply: str, context: TurnContext) -> None:
        self.recorded.append((turn.text, reply))


class Backup:
    name = "backup"

    def __init__(self) -> None:
        self.turns = 0

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        self.turns += 1
        yield TextDelta("Backup answer.")


@pytest.fixture
def ctx(runtime: Runtime) -> TurnContext:
    return TurnContext(
        profile=runtime.profile,
        now=dt.datetime(2026, 2, 2, 15, 30),
        notepad=Notepad(),
        missing=[],
        history=[],
    )


async def collect(brain: FallbackBrain, ctx: TurnContext) -> list[BrainEvent]:
    return [event async for event in brain.respond(Turn("speech", "hi"), ctx)]


async def test_a_healthy_primary_answers_alone(ctx: TurnContext) -> None:
    primary, backup = Primary(), Backup()
    events = await collect(FallbackBrain(primary, backup, first_token_timeout_s=30), ctx)
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Let me see. ", "All good."]
    assert ctx.fallback_reason is None and backup.turns == 0 and primary.recorded == []


async def test_a_failure_after_text_hands_the_rest_of_the_turn_to_the_fallback(
    ctx: TurnContext,
) -> None:
    primary, backup = Primary(fail_after_text=True), Backup()
    brain = FallbackBrain(primary, backup, first_token_timeout_s=30)
    events = await collect(brain, ctx)
    assert [e.text for e in events if isinstance(e, TextDelta)] == [
        "Let me see. ",
        "Backup answer.",
    ]
    assert ctx.fallback_reason == "RuntimeError: stream broke"
    assert primary.recorded == [("hi", "Let me see. Backup answer.")]


async def test_a_stalled_primary_times_out_into_the_fallback(ctx: TurnContext) -> None:
    gate = asyncio.Event()  # never set: the primary stalls after its tool call
    primary, backup = Primary(gate=gate), Backup()
    events = await collect(FallbackBrain(primary, backup, first_token_timeout_s=0.05), ctx)
    assert isinstance(events[-1], TextDelta) and events[-1].text == "Backup answer."
    assert ctx.fallback_reason is not None and "no reply within" in ctx.fallback_reason


async def test_closing_the_reply_is_not_a_failure(ctx: TurnContext) -> None:
    """A barge-in closes the reply stream: nothing falls back, nothing more is said."""
    primary, backup = Primary(), Backup()
    stream = FallbackBrain(primary, backup, first_token_timeout_s=30).respond(
        Turn("speech", "hi"), ctx
    )
    first = await anext(stream)
    await stream.aclose()
    assert isinstance(first, TextDelta)
    assert ctx.fallback_reason is None and backup.turns == 0 and primary.recorded == []
