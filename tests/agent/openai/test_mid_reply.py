"""A model stream that breaks after some text went out, on the real SDK against the fake: the
caller's reply is cut back to its complete sentences, bridged, and finished by the rules brain;
the transcript, the model's history, the notepad and the call's metadata all say the same."""

from __future__ import annotations

import json

import pytest

from resvoice.agent.brains.openai.client import OpenAIModel
from resvoice.agent.brains.openai.fallback import BRIDGE
from resvoice.agent.events import (
    NotepadUpdated,
    ReplyCut,
    ReplyDelta,
    ReservationBooked,
    SessionEvent,
    TurnCompleted,
)
from resvoice.runtime import Runtime
from tests.agent.openai.conftest import call, open_model, say
from tests.fakes.openai_server import Call, FakeOpenAI, Reply, Text
from tests.fakes.openai_wire import Failure

BOOKING = "a table for four on Saturday at 7pm please, my name is Ada Lovelace"
CAPTURED = '{"party_size": 4, "date": "2026-02-07", "time": "19:00"}'
SENTENCE = "Four on Saturday at seven works. "
UNFINISHED = ("Could I ", "have your ", "phone number?")


def completed(events: list[SessionEvent]) -> TurnCompleted:
    (done,) = [e for e in events if isinstance(e, TurnCompleted)]
    return done


def text_events(events: list[SessionEvent]) -> list[SessionEvent]:
    return [e for e in events if isinstance(e, ReplyDelta | ReplyCut)]


async def test_a_dropped_stream_keeps_the_finished_sentence_then_the_rules_brain_answers(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply((Call("capture_reservation_data", CAPTURED),)),
        Reply((Text(SENTENCE, *UNFINISHED),), fail_after=2, failure="drop"),
        Reply((Text("Thanks, I have it."),)),
    )
    session = call(runtime, model.brain())
    events = await say(session, BOOKING)
    done = completed(events)

    # what streamed: the model's sentence, its unfinished words withdrawn, the bridge, and
    # the rules brain's answer to the same turn
    shown = text_events(events)
    assert shown[:4] == [
        ReplyDelta(SENTENCE),
        ReplyDelta("Could I "),
        ReplyCut(kept=SENTENCE.strip(), dropped="Could I"),
        ReplyDelta(f" {BRIDGE} "),
    ]
    rules_said = "".join(e.text for e in shown[4:] if isinstance(e, ReplyDelta)).strip()
    assert rules_said and "Could I" not in rules_said
    assert done.reply == f"{SENTENCE}{BRIDGE} {rules_said}"
    assert done.fallback and done.brain == "openai"

    # the model's capture stands; the rules brain added only the name it heard
    changed = [e.changed for e in events if isinstance(e, NotepadUpdated)]
    assert changed == [("party_size", "date", "time"), ("name",)]
    assert session.state.notepad.filled() == {
        "party_size": 4,
        "date": "2026-02-07",
        "time": "19:00",
        "name": "Ada Lovelace",
    }

    # the transcript and the stored call hold what the caller heard, and why it switched
    assert [(line.role, line.text) for line in session.state.transcript] == [
        ("caller", BOOKING),
        ("agent", done.reply),
    ]
    stored = await runtime.storage.load_session(session.conversation_id)
    assert stored is not None
    assert stored.transcript[-1].text == done.reply
    assert stored.metadata.brain_fallbacks == 1
    (reason,) = stored.metadata.brain_fallback_reasons
    assert "APIConnectionError" in reason
    cuts = [cut.model_dump() for cut in stored.metadata.reply_cuts]
    assert cuts == [{"turn": 0, "reason": reason, "dropped": "Could I"}]

    # next turn the model answers again and reads exactly what the caller heard
    again = completed(await say(session, "it's 555 0100"))
    assert again.reply == "Thanks, I have it." and not again.fallback
    items = fake.model_requests()[-1].body["input"]
    assert items == [
        {"role": "user", "content": BOOKING},
        {"role": "assistant", "content": done.reply},
        {"role": "user", "content": "it's 555 0100"},
    ]


@pytest.mark.parametrize(
    ("api", "failure", "reason"),
    [
        ("responses", "drop", "APIConnectionError"),
        ("responses", "error", "ModelStreamError: The server had an error"),
        ("responses", "malformed", "JSONDecodeError"),
        ("chat", "drop", "APIConnectionError"),
        ("chat", "error", "APIError: The server had an error"),
        ("chat", "malformed", "JSONDecodeError"),
    ],
)
async def test_every_way_a_stream_breaks_mid_reply_ends_in_one_sensible_reply(
    runtime: Runtime, fake: FakeOpenAI, api: str, failure: Failure, reason: str
) -> None:
    model = await open_model(fake, api=api)
    try:
        fake.script(Reply((Text(SENTENCE, *UNFINISHED),), fail_after=3, failure=failure))
        session = call(runtime, model.brain())
        events = await say(session, BOOKING)
        done = completed(events)
        assert ReplyCut(kept=SENTENCE.strip(), dropped="Could I have your") in events
        assert done.reply.startswith(f"{SENTENCE}{BRIDGE} ")
        assert "Could I" not in done.reply and done.fallback
        assert session.state.transcript[-1].text == done.reply
        assert reason in session.state.metadata.brain_fallback_reasons[0]
        assert len(fake.model_requests()) == 1  # text went out: never retried
    finally:
        await model.close()


async def test_a_break_before_any_sentence_ended_leaves_only_the_rules_answer(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(Reply((Text(*UNFINISHED),), fail_after=2, failure="error"))
    session = call(runtime, model.brain())
    events = await say(session, BOOKING)
    done = completed(events)
    assert ReplyCut(kept="", dropped="Could I have your") in events
    assert BRIDGE not in done.reply and "Could I" not in done.reply
    assert "phone" in done.reply.lower()  # the rules brain asks for what is missing
    assert session.state.transcript[-1].text == done.reply


async def test_a_stream_stalled_mid_reply_hands_over_after_the_inter_token_timeout(
    runtime: Runtime, fake: FakeOpenAI
) -> None:
    # the first-token timeout is long: only the stall after text can end this turn
    model = await open_model(fake, inter_token_timeout_s=1.0)
    try:
        fake.script(
            Reply((Text(SENTENCE, *UNFINISHED),), fail_after=2, failure="stall"),
            Reply((Text("Thanks, I have it."),), one_write=True),
        )
        session = call(runtime, model.brain())
        events = await say(session, BOOKING)
        done = completed(events)
        assert ReplyCut(kept=SENTENCE.strip(), dropped="Could I") in events
        assert done.reply.startswith(f"{SENTENCE}{BRIDGE} ") and done.fallback
        assert session.state.metadata.brain_fallback_reasons == ["stalled 1 s mid-reply"]
        again = completed(await say(session, "it's 555 0100"))
        assert again.reply == "Thanks, I have it."
        assert fake.model_requests()[-1].body["input"][-2] == {
            "role": "assistant",
            "content": done.reply,
        }
    finally:
        await model.close()


async def test_the_rules_brain_taking_over_knows_the_model_already_booked(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    details = {
        "name": "Ada Lovelace",
        "phone": "212-555-0143",
        "party_size": 4,
        "date": "2026-02-07",
        "time": "19:00",
    }
    fake.script(
        Reply((Call("capture_reservation_data", json.dumps(details)),)),
        Reply((Call("book_reservation", "{}"),)),
        Reply((Text("You're all set, Ada. ", "See you ", "on Saturday."),), fail_after=2),
    )
    session = call(runtime, model.brain())
    events = await say(session, "yes that's right, please book it")
    (booked,) = [e for e in events if isinstance(e, ReservationBooked)]
    done = completed(events)
    assert done.fallback and done.reply.startswith(f"You're all set, Ada. {BRIDGE} ")
    # not a read-back offering to book what is booked
    assert "book it" not in done.reply and "read that back" not in done.reply
    assert session.state.reservation_id == booked.reservation_id
