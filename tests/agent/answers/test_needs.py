"""A need asked about is answered, not noted, and reaches the booking if the caller books
later in the call; said while booking it is noted at once, beside what is already noted."""

from __future__ import annotations

import datetime as dt

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import ReservationBooked, SessionEvent, TurnCompleted
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)
BOOK = "I'd like to book a table for 2 on Saturday at 7pm under Ada Lovelace, 555 010 9999"


def session(runtime: Runtime) -> AgentSession:
    return runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))


async def say(s: AgentSession, text: str) -> tuple[str, list[SessionEvent]]:
    events = [event async for event in s.turn(text)]
    done = [e for e in events if isinstance(e, TurnCompleted)]
    return done[-1].reply, events


async def book(runtime: Runtime, s: AgentSession) -> tuple[str, str | None]:
    """Book BOOK; the read-back and the stored booking's note."""
    read_back, _ = await say(s, BOOK)
    assert "Shall I book it?" in read_back
    _, events = await say(s, "yes")
    booked = [e for e in events if isinstance(e, ReservationBooked)]
    assert len(booked) == 1
    stored = await runtime.storage.reservation(booked[0].reservation_id)
    assert stored is not None
    return read_back, stored.special_requests


async def test_a_need_asked_about_is_answered_then_noted_on_the_booking(
    runtime: Runtime,
) -> None:
    s = session(runtime)
    answer, _ = await say(s, "is the place wheelchair accessible")
    assert "wheelchair accessible" in answer
    assert "noted" not in answer and "how many" not in answer.lower()
    assert s.state.notepad.special_requests is None
    read_back, note = await book(runtime, s)
    assert "wheelchair" in read_back and note is not None and "wheelchair" in note


async def test_an_allergy_said_in_a_question_reaches_the_booking(runtime: Runtime) -> None:
    s = session(runtime)
    answer, _ = await say(s, "my son has a peanut allergy, is that going to be a problem?")
    assert "allergy" in answer and "noted" not in answer
    _, note = await book(runtime, s)
    assert note is not None and "peanut" in note


async def test_a_need_said_while_booking_is_noted_at_once(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "table for 2 on Saturday at 7pm please")
    answer, _ = await say(s, "oh and is it wheelchair accessible? my mother uses one")
    assert "noted" in answer and "step-free" in answer
    assert s.state.notepad.special_requests == "wheelchair access"


async def test_a_new_need_joins_the_ones_already_noted(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "table for 2 on Saturday at 7pm, it's our anniversary")
    await say(s, "also my wife has a shellfish allergy")
    notes = s.state.notepad.special_requests or ""
    assert "anniversary" in notes and "shellfish" in notes


async def test_questions_about_the_restaurant_note_nothing(runtime: Runtime) -> None:
    s = session(runtime)
    for question in ("is the burrata vegetarian?", "do you guys have outdoor seating"):
        answer, _ = await say(s, question)
        assert "noted" not in answer and "how many" not in answer.lower()
    read_back, note = await book(runtime, s)
    assert "with a note" not in read_back and note is None


async def test_a_diet_said_of_the_guest_is_kept(runtime: Runtime) -> None:
    s = session(runtime)
    answer, _ = await say(s, "my husband is vegan, what could he eat?")
    assert "vegan" in answer and "noted" not in answer
    _, note = await book(runtime, s)
    assert note == "vegan"


async def test_a_day_said_in_a_question_waits_for_the_booking(runtime: Runtime) -> None:
    s = session(runtime)
    answer, _ = await say(s, "can I order takeaway for Saturday?")
    assert "takeout" in answer and "how many" not in answer.lower()
    assert s.state.notepad.date is None
    answer, _ = await say(s, "ok, actually a table for 2 would be better")
    assert s.state.notepad.date == dt.date(2026, 2, 7) and s.state.notepad.party_size == 2
