"""The system prompt, the tool declarations and the conversation kept between turns."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from resvoice.agent.brains.base import HistoryLine, TurnContext
from resvoice.agent.brains.openai.chat_stream import chat_messages, chat_tools
from resvoice.agent.brains.openai.conversation import MAX_USER_TURNS, Conversation
from resvoice.agent.brains.openai.model import FunctionCallItem
from resvoice.agent.brains.openai.prompt import TOOLS, instructions
from resvoice.agent.brains.openai.responses_stream import responses_tools
from resvoice.agent.events import RagHit
from resvoice.agent.notepad import Notepad, NotepadUpdate
from resvoice.agent.tools import TOOLS as DECLARED
from resvoice.runtime import Runtime


def context(runtime: Runtime, **kwargs: object) -> TurnContext:
    zone = ZoneInfo(runtime.profile.restaurant.timezone)
    notepad = Notepad(party_size=4, date=dt.date(2026, 2, 7))
    return TurnContext(
        profile=runtime.profile,
        now=dt.datetime(2026, 2, 2, 15, 30, tzinfo=zone),
        notepad=notepad,
        missing=notepad.missing_fields(),
        history=[HistoryLine("caller", "hi")],
        **kwargs,  # type: ignore[arg-type]
    )


def test_tools_come_from_the_argument_models() -> None:
    assert [t["name"] for t in TOOLS] == [t.name for t in DECLARED]
    capture = responses_tools(TOOLS)[0]
    assert capture["type"] == "function"
    assert capture["parameters"] == NotepadUpdate.model_json_schema()
    chat = chat_tools(TOOLS)[0]
    assert chat["function"]["parameters"] == NotepadUpdate.model_json_schema()


def test_instructions_carry_clock_notepad_missing_and_context(runtime: Runtime) -> None:
    hit = RagHit(source="policy", title="Dogs", score=0.9, text="Dogs are welcome on the patio.")
    text = instructions(context(runtime, rag_hits=(hit,), caller_id="+15551230000"))
    assert runtime.profile.restaurant.name in text
    assert "Monday February 2, 2026, 3:30 PM" in text
    assert '"party_size": 4' in text and '"date": "2026-02-07"' in text
    assert "Still missing: name, phone and time." in text
    assert "[policy] Dogs: Dogs are welcome on the patio." in text
    assert "+15551230000" in text
    assert "escalate_to_human" in text


def test_booked_call_says_so(runtime: Runtime) -> None:
    text = instructions(context(runtime, reservation_id=7))
    assert "booked (reservation 7)" in text and "Still missing" not in text


def test_conversation_is_trimmed_at_a_caller_turn() -> None:
    state: dict[str, object] = {}
    conversation = Conversation.load(state)
    for n in range(MAX_USER_TURNS + 3):
        conversation.user(f"turn {n}")
        conversation.call(FunctionCallItem(f"c{n}", "check_availability", "{}"), '{"ok": true}')
        conversation.assistant(f"reply {n}")
    conversation.save(state)
    items = Conversation.load(state).items
    assert items[0] == {"role": "user", "content": "turn 3"}
    assert sum(1 for i in items if i.get("role") == "user") == MAX_USER_TURNS
    calls = [i["call_id"] for i in items if i.get("type") == "function_call"]
    outputs = [i["call_id"] for i in items if i.get("type") == "function_call_output"]
    assert calls == outputs


def test_chat_messages_pair_calls_with_tool_messages() -> None:
    items = [
        {"role": "user", "content": "four on saturday"},
        {"role": "assistant", "content": "Checking. "},
        {"type": "function_call", "call_id": "a", "name": "capture_reservation_data",
         "arguments": '{"party_size": 4}'},
        {"type": "function_call_output", "call_id": "a", "output": '{"ok": true}'},
        {"type": "function_call", "call_id": "b", "name": "check_availability", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "b", "output": '{"ok": true}'},
        {"role": "assistant", "content": "Free."},
    ]  # fmt: skip
    messages = chat_messages("be brief", items)
    assert [m["role"] for m in messages] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
        "tool",
        "assistant",
    ]
    assert messages[2]["content"] == "Checking. "
    assert messages[2]["tool_calls"][0]["function"]["name"] == "capture_reservation_data"
    assert messages[3] == {"role": "tool", "tool_call_id": "a", "content": '{"ok": true}'}
    assert messages[4]["content"] is None and messages[4]["tool_calls"][0]["id"] == "b"


def test_missing_fields_follow_the_notepad_within_a_turn(runtime: Runtime) -> None:
    ctx = context(runtime)
    ctx.notepad.name = "Ada"  # a capture earlier in the same turn
    assert "Still missing: phone and time." in instructions(ctx)
