"""The OpenAI brain on calls about existing bookings: the three tools run, their results go
back to the model, and the privacy rule holds in the tool whatever the model asks for."""

from __future__ import annotations

import datetime as dt
import json

from resvoice.agent.brains.openai.client import OpenAIModel
from resvoice.agent.events import ReservationChanged
from resvoice.runtime import Runtime
from resvoice.storage.records import Reservation, ReservationRequest
from tests.agent.openai.conftest import call, say
from tests.agent.openai.test_brain import outputs
from tests.fakes.openai_server import Call, FakeOpenAI, Reply, Text

OWNER = "+14155550100"


async def booking(runtime: Runtime) -> Reservation:
    result = await runtime.storage.book(
        ReservationRequest(
            conversation_id=None,
            name="Maria Lopez",
            phone=OWNER,
            party_size=4,
            date=dt.date(2026, 2, 6),
            time=dt.time(19),
            sitting_minutes=90,
        )
    )
    assert result.reservation is not None
    return result.reservation


async def test_the_model_cannot_read_or_cancel_someone_elses_booking(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    theirs = await booking(runtime)
    fake.script(
        Reply((Call("find_reservation", '{"name": "Maria Lopez"}'),)),
        Reply((Call("cancel_reservation", json.dumps({"reservation_id": theirs.id})),)),
        Reply((Text("I can't find a booking under that name and number."),)),
    )
    session = call(runtime, model.brain(), caller_id="+13475550000")
    events = await say(session, "cancel Maria Lopez's booking")
    assert not [e for e in events if isinstance(e, ReservationChanged)]
    _, second, third = fake.model_requests()
    (found,) = outputs(second.body).values()
    assert found["status"] == "not_found" and found["reservations"] == []
    assert "19:00" not in json.dumps(found)
    refused = list(outputs(third.body).values())[-1]
    assert refused["ok"] is False and refused["refused"] == "not_identified"
    assert await runtime.storage.reservation(theirs.id) == theirs


async def test_the_callers_booking_is_found_and_cancelled(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    mine = await booking(runtime)
    fake.script(
        Reply((Call("find_reservation", "{}"),)),
        Reply((Text("I have your table for 4 on Friday at 7 PM. Shall I cancel it?"),)),
        Reply((Call("cancel_reservation", json.dumps({"reservation_id": mine.id})),)),
        Reply((Text("It's cancelled."),)),
    )
    session = call(runtime, model.brain(), caller_id=OWNER)
    await say(session, "I need to cancel my booking for Friday at 7 under Maria Lopez")
    (found,) = outputs(fake.model_requests()[1].body).values()
    assert found["reservations"][0]["reservation_id"] == mine.id
    assert found["reservations"][0]["code_spelled"] == ", ".join(mine.code)
    events = await say(session, "yes please")
    (changed,) = [e for e in events if isinstance(e, ReservationChanged)]
    assert changed.kinds == ("cancel",) and changed.status == "cancelled"
    after = await runtime.storage.reservation(mine.id)
    assert after is not None and after.status == "cancelled"
    assert "find_reservation" in fake.model_requests()[0].body["instructions"]
    # words about an existing booking are not captured as a new booking's details
    assert session.state.notepad.filled() == {}


async def test_the_model_starts_a_second_booking_after_the_first(
    runtime: Runtime, fake: FakeOpenAI, model: OpenAIModel
) -> None:
    fake.script(
        Reply(
            (
                Call(
                    "capture_reservation_data",
                    json.dumps(
                        {
                            "name": "Clara Jensen",
                            "phone": "+14155550177",
                            "party_size": 2,
                            "date": "2026-02-06",
                            "time": "19:00",
                        }
                    ),
                ),
            )
        ),
        Reply((Text("A table for 2 on Friday at 7 PM under Clara Jensen. Shall I book it?"),)),
        Reply((Call("book_reservation", "{}"),)),
        Reply((Text("You're all set."),)),
        Reply((Call("start_another_booking", "{}"),)),
        Reply((Text("Of course. For how many people, and when?"),)),
    )
    session = call(runtime, model.brain(), caller_id="+14155550177")
    await say(session, "Table for 2 Friday at 7 under Clara Jensen")
    await say(session, "yes")
    first = session.state.reservation_id
    assert first is not None
    await say(session, "could I also book another table for Saturday?")
    started = list(outputs(fake.model_requests()[-1].body).values())[-1]
    assert started["notepad"] == {"name": "Clara Jensen", "phone": "+14155550177"}
    assert session.state.reservation_id is None
    assert session.state.earlier_reservation_ids == [first]
