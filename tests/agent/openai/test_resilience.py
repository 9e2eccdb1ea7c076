"""Retries, the first-token timeout and the rules fallback, on the real SDK against the fake."""

from __future__ import annotations

from resvoice.agent.brains.openai.client import OpenAIModel
from resvoice.agent.events import NotepadUpdated, ReplyDelta, SessionEvent, TurnCompleted
from resvoice.runtime import Runtime
from tests.agent.openai.conftest import call, open_model, say
from tests.fakes.openai_server import Call, FakeOpenAI, Reply, Text

BOOKING = "a table for four on Saturday at 7pm please"


def completed(events: list[SessionEvent]) -> TurnCompleted:
    (done,) = [e for e in events if isinstance(e, TurnCompleted)]
    return done


async def test_a_429_is_retried_and_the_model_answers(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply(status=429), Reply((Text("Hello! How can I help?"),)))
    session = call(runtime, model.brain())
    done = completed(await say(session, "hi"))
    assert done.reply == "Hello! How can I help?"
    assert not done.fallback
    assert len(fake.model_requests()) == 2
    assert session.state.metadata.brain_fallbacks == 0


async def test_5xx_until_retries_run_out_then_the_rules_brain_answers(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply(status=500), Reply(status=502), Reply(status=503))
    session = call(runtime, model.brain())
    events = await say(session, BOOKING)
    done = completed(events)
    assert done.fallback and done.brain == "openai"
    assert len(fake.model_requests()) == 3  # the first try and two retries
    # the rules brain understood the caller and asks for what is missing
    assert session.state.notepad.filled() == {
        "party_size": 4,
        "date": "2026-02-07",
        "time": "19:00",
    }
    assert "name" in done.reply.lower()
    assert session.state.metadata.brain_fallbacks == 1
    assert "InternalServerError" in session.state.metadata.brain_fallback_reasons[0]


async def test_a_hang_past_the_first_token_timeout_hands_the_turn_to_the_rules_brain(
    runtime: Runtime, fake: FakeOpenAI
) -> None:
    # long enough that the second, answered turn never times out on a loaded machine
    model = await open_model(fake, first_token_timeout_s=1.5)
    try:
        fake.script(Reply(hang=True), Reply((Text("Sure, what name is it under?"),)))
        session = call(runtime, model.brain())
        events = await say(session, BOOKING)
        done = completed(events)
        assert done.fallback
        assert any(isinstance(e, ReplyDelta) for e in events)  # the caller heard an answer
        assert any(isinstance(e, NotepadUpdated) for e in events)
        assert session.state.notepad.filled()["party_size"] == 4
        stored = await runtime.storage.load_session(session.conversation_id)
        assert stored is not None and stored.metadata.brain_fallbacks == 1
        assert "no reply within 1.5 s" in stored.metadata.brain_fallback_reasons[0]

        # next turn the model is back, and it sees the turn the rules brain answered
        again = completed(await say(session, "Ada"))
        assert again.reply == "Sure, what name is it under?" and not again.fallback
        items = fake.model_requests()[-1].body["input"]
        assert items[-3:] == [
            {"role": "user", "content": BOOKING},
            {"role": "assistant", "content": done.reply},
            {"role": "user", "content": "Ada"},
        ]
    finally:
        await model.close()


async def test_server_without_responses_api_is_detected_once_and_chat_is_used(
    runtime: Runtime,
) -> None:
    with FakeOpenAI(api_key="sk-test", responses_api=False) as fake:
        model = await open_model(fake)
        try:
            fake.script(
                Reply(
                    (Text("One moment. "), Call("capture_reservation_data", '{"party_size": 2}'))
                ),
                Reply((Text("Two guests, noted."),)),
                Reply((Text("Bye."),)),
            )
            session = call(runtime, model.brain())
            done = completed(await say(session, "two of us"))
            assert done.reply == "One moment. Two guests, noted." and not done.fallback
            assert session.state.notepad.filled() == {"party_size": 2}
            await say(session, "thanks")
            paths = [r.path for r in fake.model_requests()]
            assert paths == ["/v1/responses"] + ["/v1/chat/completions"] * 3
            messages = fake.model_requests()[2].body["messages"]
            assert messages[0]["role"] == "system"
            assistant = next(m for m in messages if m.get("tool_calls"))
            assert assistant["content"] == "One moment. "
            tool = next(m for m in messages if m["role"] == "tool")
            assert tool["tool_call_id"] == assistant["tool_calls"][0]["id"]
            assert fake.model_requests()[1].body["tools"][0]["function"]["name"] == (
                "capture_reservation_data"
            )
        finally:
            await model.close()


async def test_chat_setting_never_tries_responses(runtime: Runtime, fake: FakeOpenAI) -> None:
    model = await open_model(fake, api="chat")
    try:
        fake.script(
            Reply(
                (
                    Call("capture_reservation_data", '{"party_size": 3}'),
                    Call("check_availability", '{"date": "2026-02-07"}'),
                )
            ),
            Reply((Text("Three on Saturday works."),)),
        )
        session = call(runtime, model.brain())
        done = completed(await say(session, "three people saturday"))
        assert done.reply == "Three on Saturday works."
        assert [r.path for r in fake.model_requests()] == ["/v1/chat/completions"] * 2
        tool_messages = [
            m for m in fake.model_requests()[1].body["messages"] if m["role"] == "tool"
        ]
        assert len(tool_messages) == 2
    finally:
        await model.close()


async def test_responses_setting_does_not_switch_on_404(runtime: Runtime) -> None:
    with FakeOpenAI(api_key="sk-test", responses_api=False) as fake:
        model = await open_model(fake, api="responses")
        try:
            session = call(runtime, model.brain())
            done = completed(await say(session, BOOKING))
            assert done.fallback
            assert [r.path for r in fake.model_requests()] == ["/v1/responses"]
            assert "NotFoundError" in session.state.metadata.brain_fallback_reasons[0]
        finally:
            await model.close()


async def test_a_reply_with_no_text_is_answered_by_the_rules_brain(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply((Call("capture_reservation_data", '{"party_size": 4}'),)),
        Reply(()),  # the model says nothing after its tool call
    )
    session = call(runtime, model.brain())
    done = completed(await say(session, "four of us please"))
    assert done.fallback and done.reply
    assert session.state.notepad.filled()["party_size"] == 4
    assert "no text" in session.state.metadata.brain_fallback_reasons[0]
