"""After a barge-in the model reads what the caller heard of its last reply, not what it
generated: through the real SDK, the next request's input is checked item by item."""

from __future__ import annotations

from resvoice.agent.brains.openai.client import OpenAIModel
from resvoice.agent.brains.openai.conversation import INTERRUPTED_NOTE
from resvoice.runtime import Runtime
from tests.agent.openai.conftest import call, say
from tests.fakes.openai_server import Call, FakeOpenAI, Reply, Text

QUESTION = "do you have outdoor seating?"
REPLY = "Yes, our patio is heated. It seats twenty. Would you like to book a table outside?"
NEXT = "sorry, how much is parking?"


async def test_a_reply_cut_short_is_what_the_model_reads_next_turn(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply((Text(REPLY),)), Reply((Text("Parking is free."),)))
    session = call(runtime, model.brain())
    await say(session, QUESTION)
    session.reply_interrupted("Yes, our patio is heated.")
    await say(session, NEXT)
    assert fake.model_requests()[-1].body["input"] == [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": f"Yes, our patio is heated. {INTERRUPTED_NOTE}"},
        {"role": "user", "content": NEXT},
    ]
    # and it stays so: the turn after reads the same, with the new reply heard whole
    fake.script(Reply((Text("You're welcome."),)))
    await say(session, "thanks")
    items = fake.model_requests()[-1].body["input"]
    assert items[1] == {
        "role": "assistant",
        "content": f"Yes, our patio is heated. {INTERRUPTED_NOTE}",
    }
    assert items[3] == {"role": "assistant", "content": "Parking is free."}


async def test_a_reply_the_caller_heard_none_of_is_gone(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply((Text(REPLY),)), Reply((Text("Parking is free."),)))
    session = call(runtime, model.brain())
    await say(session, QUESTION)
    session.reply_interrupted("")
    await say(session, NEXT)
    assert fake.model_requests()[-1].body["input"] == [
        {"role": "user", "content": QUESTION},
        {"role": "user", "content": NEXT},
    ]


async def test_a_reply_heard_whole_is_kept_as_generated(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply((Text(REPLY),)), Reply((Text("Parking is free."),)))
    session = call(runtime, model.brain())
    await say(session, QUESTION)
    await say(session, NEXT)
    assert fake.model_requests()[-1].body["input"][1] == {"role": "assistant", "content": REPLY}


async def test_tool_calls_of_an_interrupted_turn_stay_paired_and_only_the_text_is_cut(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    captured = '{"party_size": 4}'
    fake.script(
        Reply((Call("capture_reservation_data", captured),)),
        Reply((Text("A table for four. Which day would you like? We open at five."),)),
        Reply((Text("Saturday works."),)),
    )
    session = call(runtime, model.brain())
    await say(session, "a table for four please")
    session.reply_interrupted("A table for four.")
    await say(session, "saturday")
    items = fake.model_requests()[-1].body["input"]
    kinds = [item.get("type") or item["role"] for item in items]
    assert kinds == ["user", "function_call", "function_call_output", "assistant", "user"]
    assert items[3] == {"role": "assistant", "content": f"A table for four. {INTERRUPTED_NOTE}"}
    assert session.state.notepad.party_size == 4  # what the tool did stands
