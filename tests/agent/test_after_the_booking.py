"""After the call's own booking: a change goes to that booking (read back, made on a yes, the
notepad following it), a bare number is asked about, and a further table is a second booking
under the same name and phone."""

from __future__ import annotations

import datetime as dt

from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session

BOOKING = "A table for 2 on Friday at 7pm under Clara Jensen, 555 010 7788"


async def booked(runtime: Runtime) -> AgentSession:
    s = session(runtime, conversation_id="after-booking")
    reply(await say(s, BOOKING))
    done = reply(await say(s, "Yes, book it."))
    assert "all set" in done.lower()
    assert s.state.reservation_id is not None
    return s


async def test_a_change_right_after_is_made_to_that_booking(runtime: Runtime) -> None:
    s = await booked(runtime)
    first = s.state.reservation_id
    assert first is not None
    asked = reply(await say(s, "Actually, make it 8 pm."))
    assert "8 PM" in asked and "?" in asked
    reply(await say(s, "Yes."))
    moved = await runtime.storage.reservation(first)
    assert moved is not None and moved.time == dt.time(20, 0)
    assert s.state.notepad.time == dt.time(20, 0)
    assert s.state.reservation_id == first


async def test_a_bare_number_is_asked_hour_or_people(runtime: Runtime) -> None:
    s = await booked(runtime)
    asked = reply(await say(s, "Oh wait, can we make that 8 instead?"))
    assert "8 o'clock, or 8 people" in asked
    read_back = reply(await say(s, "8 people."))
    assert "8 guests" in read_back


async def test_a_further_table_is_a_second_booking(runtime: Runtime) -> None:
    s = await booked(runtime)
    first = s.state.reservation_id
    assert first is not None
    read_back = reply(await say(s, "Could I also book one for Saturday, 4 people at 8, same name?"))
    assert "Let me read that back: a table for 4" in read_back and "Clara Jensen" in read_back
    reply(await say(s, "Yes."))
    second = s.state.reservation_id
    assert second is not None and second != first
    assert s.state.earlier_reservation_ids == [first]
    kept = await runtime.storage.reservation(first)
    made = await runtime.storage.reservation(second)
    assert kept is not None and (kept.party_size, kept.time) == (2, dt.time(19, 0))
    assert made is not None and (made.party_size, made.time, made.name) == (
        4,
        dt.time(20, 0),
        "Clara Jensen",
    )


async def test_a_head_count_said_with_instead_moves_nothing(runtime: Runtime) -> None:
    s = await booked(runtime)
    first = s.state.reservation_id
    assert first is not None
    asked = reply(await say(s, "Oh, we'll be three people now instead of two."))
    assert "from 2 to 3 guests" in asked and "move" not in asked.lower()
