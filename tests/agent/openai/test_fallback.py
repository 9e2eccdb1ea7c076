"""`FallbackBrain` on its own, with scripted brains: when it switches and when it must not."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator

import pytest

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.brains.openai.brain import CAPTURE
from resvoice.agent.brains.openai.fallback import FallbackBrain
from resvoice.agent.events import (
    BrainEvent,
    NotepadUpdated,
    ReplyCut,
    ReplyDelta,
    TextDelta,
    ToolCall,
    TurnCompleted,
)
from resvoice.agent.notepad import Notepad
from resvoice.runtime import Runtime
from tests.agent.openai.conftest import call, say


class SetSoon:
    """A wait that ends without time passing: the gate is set on the loop's next round."""


Step = BrainEvent | asyncio.Event | SetSoon | Exception


class Primary:
    """Plays `script`: events are yielded, an `asyncio.Event` is waited for, an exception is
    raised. By default: some text, a tool call, then (`gate`) a wait, then more text or
    (`fail_after_text`) a failure."""

    name = "primary"

    def __init__(
        self,
        *,
        script: list[Step] | None = None,
        fail_after_text: bool = False,
        gate: asyncio.Event | None = None,
    ) -> None:
        if script is None:
            script = [TextDelta("Let me see. "), ToolCall("check_availability", {})]
            script += [gate] if gate is not None else []
            script.append(
                RuntimeError("stream broke") if fail_after_text else TextDelta("All good.")
            )
        self.script = script
        self.recorded: list[tuple[str, str]] = []

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        for step in self.script:
            if isinstance(step, SetSoon):
                gate = asyncio.Event()
                asyncio.get_running_loop().call_soon(gate.set)
                await gate.wait()
            elif isinstance(step, asyncio.Event):
                await step.wait()
            elif isinstance(step, Exception):
                raise step
            else:
                yield step

    def record_turn(self, turn: Turn, reply: str, context: TurnContext) -> None:
        self.recorded.append((turn.text, reply))


class Backup:
    """Captures each of `captures` (noting what the session says changed), then answers."""

    name = "backup"

    def __init__(self, captures: list[dict[str, object]] | None = None) -> None:
        self.turns = 0
        self.captures = captures or []
        self.results: list[list[str]] = []

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        self.turns += 1
        for arguments in self.captures:
            capture = ToolCall(CAPTURE, dict(arguments))
            yield capture
            assert capture.result is not None
            self.results.append(list(capture.result.data["changed"]))
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


async def test_a_failure_after_text_keeps_what_was_said_then_bridges_to_the_fallback(
    runtime: Runtime,
) -> None:
    primary, backup = Primary(fail_after_text=True), Backup()
    session = call(runtime, FallbackBrain(primary, backup, first_token_timeout_s=30))
    events = await say(session, "hi")
    heard = "Let me see. Sorry, let me put that another way. Backup answer."
    assert [e for e in events if isinstance(e, ReplyDelta | ReplyCut)] == [
        ReplyDelta("Let me see. "),
        ReplyCut(kept="Let me see.", dropped=""),
        ReplyDelta(" Sorry, let me put that another way. "),
        ReplyDelta("Backup answer."),
    ]
    done = events[-1]
    assert isinstance(done, TurnCompleted) and done.fallback and done.reply == heard
    assert session.state.transcript[-1].text == heard
    assert primary.recorded == [("hi", heard)]
    assert [cut.model_dump() for cut in session.state.metadata.reply_cuts] == [
        {"turn": 0, "reason": "RuntimeError: stream broke", "dropped": ""}
    ]


async def test_a_failure_mid_sentence_withdraws_the_unfinished_words(runtime: Runtime) -> None:
    broke = RuntimeError("stream broke")
    primary = Primary(script=[TextDelta("Sure. We have a "), TextDelta("table by the"), broke])
    backup = Backup()
    session = call(runtime, FallbackBrain(primary, backup, first_token_timeout_s=30))
    events = await say(session, "hi")
    assert ReplyCut(kept="Sure.", dropped="We have a table by the") in events
    done = events[-1]
    assert isinstance(done, TurnCompleted)
    assert done.reply == "Sure. Sorry, let me put that another way. Backup answer."
    assert primary.recorded == [("hi", done.reply)]


async def test_a_first_clause_already_spoken_stands_and_the_bridge_goes_on_from_it(
    runtime: Runtime,
) -> None:
    """Speech starts a long first sentence at its first comma; that clause was heard."""
    clause = "For a party of six on Friday evening at seven,"
    broke = RuntimeError("stream broke")
    primary = Primary(script=[TextDelta(f"{clause} we have "), TextDelta("a table"), broke])
    session = call(runtime, FallbackBrain(primary, Backup(), first_token_timeout_s=30))
    events = await say(session, "hi")
    assert ReplyCut(kept=clause, dropped="we have a table") in events
    done = events[-1]
    assert isinstance(done, TurnCompleted)
    assert done.reply == f"{clause} sorry, let me put that another way. Backup answer."


async def test_nothing_complete_said_means_no_bridge(runtime: Runtime) -> None:
    primary = Primary(script=[TextDelta("We have a table by"), RuntimeError("stream broke")])
    backup = Backup()
    session = call(runtime, FallbackBrain(primary, backup, first_token_timeout_s=30))
    events = await say(session, "hi")
    assert ReplyCut(kept="", dropped="We have a table by") in events
    done = events[-1]
    assert isinstance(done, TurnCompleted) and done.reply == "Backup answer."
    assert primary.recorded == [("hi", "Backup answer.")]


async def test_the_primarys_captures_stand_and_the_fallback_adds_only_new_fields(
    runtime: Runtime,
) -> None:
    primary = Primary(
        script=[
            ToolCall(CAPTURE, {"party_size": 4}),
            TextDelta("Four of you. Which "),
            RuntimeError("stream broke"),
        ]
    )
    backup = Backup(captures=[{"party_size": 5, "name": "Ada Lovelace"}, {"party_size": 6}])
    session = call(runtime, FallbackBrain(primary, backup, first_token_timeout_s=30))
    events = await say(session, "four of us, Ada Lovelace")
    updates = [e.changed for e in events if isinstance(e, NotepadUpdated)]
    assert updates == [("party_size",), ("name",)]  # the second fallback capture never ran
    assert session.state.notepad.filled() == {"party_size": 4, "name": "Ada Lovelace"}
    assert backup.results == [["name"], []]  # the fallback still got an answer to each


async def test_a_stall_mid_reply_hands_over_after_the_inter_token_timeout(
    runtime: Runtime,
) -> None:
    stalled = asyncio.Event()  # never set
    primary = Primary(script=[TextDelta("Sure. We have "), stalled, TextDelta("a table.")])
    brain = FallbackBrain(primary, Backup(), first_token_timeout_s=30, inter_token_timeout_s=0)
    session = call(runtime, brain)
    events = await say(session, "hi")
    assert ReplyCut(kept="Sure.", dropped="We have") in events
    assert session.state.metadata.brain_fallback_reasons == ["stalled 0 s mid-reply"]


async def test_a_wait_after_a_tool_call_is_a_new_request_with_the_first_token_timeout(
    ctx: TurnContext,
) -> None:
    """After a tool call the model starts a new request: no inter-token stall there."""
    primary = Primary(script=[TextDelta("Let me see. "), ToolCall("check_availability", {})])
    primary.script += [SetSoon(), TextDelta("All good.")]
    brain = FallbackBrain(primary, Backup(), first_token_timeout_s=30, inter_token_timeout_s=0)
    events = await collect(brain, ctx)
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Let me see. ", "All good."]
    assert ctx.fallback_reason is None


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
