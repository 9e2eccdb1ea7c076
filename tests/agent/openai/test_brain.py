"""The OpenAI brain on the real `openai` SDK against the fake server: streaming, tools, state."""

from __future__ import annotations

import json

from resvoice.agent.brains.openai.client import OpenAIModel
from resvoice.agent.events import (
    AvailabilityChecked,
    NotepadUpdated,
    ReplyDelta,
    SessionEvent,
    TurnCompleted,
)
from resvoice.agent.tools import TOOLS as DECLARED
from resvoice.runtime import Runtime
from tests.agent.openai.conftest import call, say
from tests.fakes.openai_server import Call, FakeOpenAI, Reply, Text


def completed(events: list[SessionEvent]) -> TurnCompleted:
    (done,) = [e for e in events if isinstance(e, TurnCompleted)]
    return done


def outputs(body: dict[str, object]) -> dict[str, dict[str, object]]:
    items = body["input"]
    assert isinstance(items, list)
    return {
        item["call_id"]: json.loads(item["output"])
        for item in items
        if item.get("type") == "function_call_output"
    }


async def test_text_streams_in_order(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply((Text("Good ", "afternoon! ", "How can I help?"),)))
    session = call(runtime, model.brain())
    events = await say(session, "hello there")
    assert [e.text for e in events if isinstance(e, ReplyDelta)] == [
        "Good ",
        "afternoon! ",
        "How can I help?",
    ]
    done = completed(events)
    assert done.reply == "Good afternoon! How can I help?"
    assert (done.brain, done.fallback) == ("openai", False)
    (request,) = fake.model_requests()
    body = request.body
    assert request.path == "/v1/responses"
    assert body["stream"] is True and body["store"] is False and body["model"] == "gpt-test"
    assert [t["name"] for t in body["tools"]] == [t.name for t in DECLARED]
    assert body["input"][-1] == {"role": "user", "content": "hello there"}
    assert runtime.profile.restaurant.name in body["instructions"]
    assert "Monday February 2, 2026" in body["instructions"]


async def test_greeting_needs_no_model(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    session = call(runtime, model.brain())
    events = [e async for e in session.start()]
    assert runtime.profile.restaurant.name in completed(events).reply
    assert fake.model_requests() == []


async def test_tool_call_mid_reply_then_the_model_continues(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply(
            (
                Text("Let me check ", "that for you. "),
                Call(
                    "check_availability", '{"date": "2026-02-07", "time": "19:00", "party_size": 4}'
                ),
            )
        ),
        Reply((Text("Yes, seven o'clock is free."),)),
    )
    session = call(runtime, model.brain())
    events = await say(session, "is there a table for four on Saturday at seven")
    kinds = [type(e).__name__ for e in events if type(e).__name__ != "RagHits"]
    assert kinds == [
        "ReplyDelta",
        "ReplyDelta",
        "AvailabilityChecked",
        "ReplyDelta",
        "NotepadUpdated",  # the model captured nothing: the rules extractor did
        "TurnCompleted",
    ]
    checked = next(e for e in events if isinstance(e, AvailabilityChecked))
    assert checked.party_size == 4 and checked.available
    assert completed(events).reply == "Let me check that for you. Yes, seven o'clock is free."

    _, second = fake.model_requests()
    items = second.body["input"]
    call_item = next(i for i in items if i.get("type") == "function_call")
    assert call_item["name"] == "check_availability"
    (result,) = outputs(second.body).values()
    assert result["ok"] is True and result["available"] is True
    assert list(outputs(second.body)) == [call_item["call_id"]]
    # the text said before the call precedes it in the history
    assert items[items.index(call_item) - 1] == {
        "role": "assistant",
        "content": "Let me check that for you. ",
    }


async def test_two_tool_calls_in_one_reply(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply(
            (
                Call("capture_reservation_data", '{"party_size": 4, "date": "2026-02-07"}'),
                Call("check_availability", "{}"),
            )
        ),
        Reply((Text("We have room for four on Saturday. What time?"),)),
    )
    session = call(runtime, model.brain())
    events = await say(session, "four people on Saturday please")
    updated = next(e for e in events if isinstance(e, NotepadUpdated))
    assert updated.changed == ("party_size", "date")
    checked = next(e for e in events if isinstance(e, AvailabilityChecked))
    assert events.index(updated) < events.index(checked)
    assert checked.party_size == 4  # the second call saw the first call's capture
    assert session.state.notepad.filled() == {"party_size": 4, "date": "2026-02-07"}
    results = list(outputs(fake.model_requests()[1].body).values())
    assert [r["ok"] for r in results] == [True, True]
    assert results[0]["changed"] == ["party_size", "date"]


async def test_malformed_arguments_are_reported_back_and_the_call_goes_on(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply(
            (
                Call("capture_reservation_data", '{"party_size": 4,'),
                Call("capture_reservation_data", '{"party_size": "lots", "colour": "red"}'),
            )
        ),
        Reply((Text("Sorry, how many guests?"),)),
        Reply((Text("Lovely."),)),
    )
    session = call(runtime, model.brain())
    events = await say(session, "um, I think we want to come by")
    done = completed(events)
    assert done.reply == "Sorry, how many guests?" and not done.fallback
    first, second = outputs(fake.model_requests()[1].body).values()
    assert first["ok"] is False and "not valid JSON" in first["error"]
    assert second["ok"] is False and "invalid arguments" in second["error"]
    assert "party_size" in second["error"] and "colour" in second["error"]
    assert session.state.notepad.filled() == {}
    # the call survives: the next turn is answered by the model as usual
    assert completed(await say(session, "hello?")).reply == "Lovely."


async def test_rules_extractor_fills_the_notepad_when_the_model_does_not(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply((Text("Great, and under what name?"),)))
    session = call(runtime, model.brain())
    events = await say(session, "a table for four on Saturday at 7pm")
    updated = next(e for e in events if isinstance(e, NotepadUpdated))
    assert events.index(updated) > max(i for i, e in enumerate(events) if isinstance(e, ReplyDelta))
    assert session.state.notepad.filled() == {
        "party_size": 4,
        "date": "2026-02-07",
        "time": "19:00",
    }


async def test_no_extractor_capture_when_the_model_captured(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply((Call("capture_reservation_data", '{"party_size": 4}'),)),
        Reply((Text("Four it is. Which day?"),)),
    )
    session = call(runtime, model.brain())
    events = await say(session, "four of us, on Saturday")
    assert len([e for e in events if isinstance(e, NotepadUpdated)]) == 1
    assert session.state.notepad.filled() == {"party_size": 4}


async def test_conversation_carries_over_and_persists(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply((Call("capture_reservation_data", '{"name": "Ada Lovelace"}'), Text("Thanks Ada."))),
        Reply((Text("Anything else?"),)),
        Reply((Text("Goodbye."),)),
    )
    session = call(runtime, model.brain())
    await say(session, "my name is Ada Lovelace")
    await say(session, "that's all")
    assert len(fake.model_requests()) == 3
    third = fake.model_requests()[-1].body["input"]
    assert [item.get("role") or item["type"] for item in third] == [
        "user",
        "function_call",
        "function_call_output",
        "assistant",  # "Thanks Ada." came after the call in the same reply
        "assistant",  # the continuation once the result went back
        "user",
    ]
    assert third[-1] == {"role": "user", "content": "that's all"}
    stored = await runtime.storage.load_session(session.conversation_id)
    assert stored is not None
    assert stored.metadata.brain_state["openai"]["items"][0] == {
        "role": "user",
        "content": "my name is Ada Lovelace",
    }


async def test_a_capture_refused_as_invalid_leaves_the_notepad_to_the_extractor(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply((Call("capture_reservation_data", '{"party_size": "four"}'),)),
        Reply((Text("Four on Saturday, lovely. What time?"),)),
    )
    session = call(runtime, model.brain())
    await say(session, "a table for four on Saturday")
    assert session.state.notepad.filled() == {"party_size": 4, "date": "2026-02-07"}
