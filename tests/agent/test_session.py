"""The core agent through its public interface: events out, state persisted, rules enforced."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.clock import FixedClock
from resvoice.agent.escalation import RecordedTransfer
from resvoice.agent.events import (
    BrainEvent,
    Escalated,
    NotepadUpdated,
    RagHits,
    ReplyDelta,
    ReservationBooked,
    SessionEvent,
    TextDelta,
    ToolCall,
    TurnCompleted,
)
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


def session(runtime: Runtime, **kwargs: object) -> AgentSession:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    return runtime.session(clock=clock, **kwargs)  # type: ignore[arg-type]


async def say(s: AgentSession, text: str) -> list[SessionEvent]:
    return [event async for event in s.turn(text)]


def reply(events: list[SessionEvent]) -> str:
    done = [e for e in events if isinstance(e, TurnCompleted)]
    assert len(done) == 1
    return done[0].reply


async def test_greeting_names_the_restaurant(runtime: Runtime) -> None:
    s = session(runtime)
    events = [e async for e in s.start()]
    assert runtime.profile.restaurant.name in reply(events)


async def test_a_whole_booking_emits_events_and_persists(runtime: Runtime) -> None:
    s = session(runtime, conversation_id="call-1")
    events = await say(s, "Table for 2 on Saturday at 7pm under Ada Lovelace, 555 010 9999")
    updates = [e for e in events if isinstance(e, NotepadUpdated)]
    assert updates and set(updates[0].changed) >= {"party_size", "date", "time", "name", "phone"}
    deltas = "".join(e.text for e in events if isinstance(e, ReplyDelta))
    assert deltas.strip() == reply(events)
    saved = await runtime.storage.load_session("call-1")
    assert saved is not None and saved.notepad["name"] == "Ada Lovelace"
    assert [line.role for line in saved.transcript] == ["caller", "agent"]

    events = await say(s, "yes please")
    booked = [e for e in events if isinstance(e, ReservationBooked)]
    assert len(booked) == 1 and booked[0].party_size == 2
    stored = await runtime.storage.reservation(booked[0].reservation_id)
    assert stored is not None and stored.time == dt.time(19, 0)
    assert stored.end_time == dt.time(20, 30)
    saved = await runtime.storage.load_session("call-1")
    assert saved is not None and saved.metadata.reservation_id == booked[0].reservation_id


async def test_every_notepad_update_is_saved_before_the_turn_ends(runtime: Runtime) -> None:
    s = session(runtime, conversation_id="call-crash")
    stream = s.turn("party of 4 on Friday")
    async for event in stream:
        if isinstance(event, NotepadUpdated):
            break  # the call drops right after the capture
    await stream.aclose()
    saved = await runtime.storage.load_session("call-crash")
    assert saved is not None and saved.notepad["party_size"] == 4


async def test_menu_question_yields_rag_hits(runtime: Runtime) -> None:
    s = session(runtime)
    events = await say(s, "What vegan dishes do you have?")
    hits = [e for e in events if isinstance(e, RagHits)]
    assert hits and hits[0].intent == "menu" and hits[0].hits
    assert all(h.source == "menu" for h in hits[0].hits)
    assert "vegan" in reply(events).lower()


async def test_one_transfer_per_call(runtime: Runtime) -> None:
    s = session(runtime)
    first = await say(s, "Let me talk to a real person")
    second = [e async for e in s.dtmf("0")]
    esc1 = [e for e in first if isinstance(e, Escalated)]
    esc2 = [e for e in second if isinstance(e, Escalated)]
    assert esc1[0].state == "transferred" and esc1[0].reason == "user_requested"
    assert esc2[0].state == "already_escalated"
    rows = await runtime.storage.escalations(s.conversation_id)
    assert len(rows) == 1 and rows[0].status == "transferred"


async def test_callback_offered_when_no_human_is_available(runtime: Runtime) -> None:
    s = session(runtime, transfer=RecordedTransfer(humans_available=False))
    events = await say(s, "party of 4 on Friday, and can I speak to a manager")
    escalated = [e for e in events if isinstance(e, Escalated)]
    assert escalated[0].state == "callback"
    assert "call you back" in reply(events)
    rows = await runtime.storage.escalations(s.conversation_id)
    assert rows[0].status == "callback"
    assert rows[0].notepad["party_size"] == 4
    assert "name" in rows[0].missing_fields
    assert any("manager" in line.text for line in rows[0].transcript)


class MarkerBrain:
    """A brain that asks for a human with the `<ESCALATE>` marker, split across deltas."""

    name = "marker"

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        for piece in ("Let me get someone. <ESC", "ALATE>", " One moment."):
            yield TextDelta(piece)


async def test_escalate_marker_is_stripped_and_acted_on(runtime: Runtime) -> None:
    s = session(runtime)
    s.brain = MarkerBrain()
    events = await say(s, "I have a complicated question")
    text = reply(events)
    assert "<" not in text and "ESCALATE" not in text
    assert [e.reason for e in events if isinstance(e, Escalated)] == ["agent_requested"]


class BadToolBrain:
    """A brain whose tool call has invalid arguments; the call must go on."""

    name = "bad-tool"

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        call = ToolCall("capture_reservation_data", {"party_size": "lots", "colour": "red"})
        yield call
        assert call.result is not None and not call.result.ok
        yield TextDelta(f"error: {call.result.error}")


async def test_invalid_tool_arguments_are_reported_not_raised(runtime: Runtime) -> None:
    s = session(runtime)
    s.brain = BadToolBrain()
    text = reply(await say(s, "hello"))
    assert "party_size" in text and "colour" in text
    assert s.state.notepad.filled() == {}


async def test_concurrent_calls_booking_the_last_table_get_one_reservation(
    runtime: Runtime,
) -> None:
    names = ["Ann Lee", "Bo Diaz", "Cy Young", "Di Ross", "Ed Wood", "Flo Kent"]

    async def call(i: int) -> list[SessionEvent]:
        s = session(runtime)
        await say(
            s, f"Table for 8 on Sunday at 6pm, my name is {names[i]}, phone 555 300 10{i:02d}"
        )
        assert s.state.notepad.is_complete()
        return await say(s, "yes")

    results = await asyncio.gather(*(call(i) for i in range(6)))
    booked = [e for events in results for e in events if isinstance(e, ReservationBooked)]
    assert len(booked) == 1
    losers = [
        reply(events)
        for events in results
        if not any(isinstance(e, ReservationBooked) for e in events)
    ]
    assert all("taken" in text or "couldn't" in text for text in losers)


async def test_a_name_read_back_wrong_is_corrected_by_spelling_it(runtime: Runtime) -> None:
    """Speech-to-text heard "Hannah Norwick" for "Hannah Novak"; the agent says the name back,
    and the caller spells the surname."""
    s = session(runtime)
    heard = reply(await say(s, "Table for 2 on Thursday at 8pm, name is Hannah Norwick"))
    assert "Hannah Norwick" in heard
    await say(s, "No, it's spelled N O V A K")
    assert s.state.notepad.name == "Hannah Novak"
    await say(s, "I need a high chair, it's for the B B Q")  # no correction cue: no rename
    assert s.state.notepad.name == "Hannah Novak"


async def test_a_misheard_spelling_is_read_as_a_known_name_unless_spelled_again(
    runtime: Runtime,
) -> None:
    """Whisper heard "C" for "E" in the spelling: the agent takes the census name nearest; a
    caller who spells the same letters again after hearing it has a name of their own."""
    s = session(runtime)
    await say(s, "Table for 2 on Thursday at 8pm, name is Hannah Norwick")
    heard = reply(await say(s, "No, it's spelled G A L L A G H C R"))
    assert s.state.notepad.name == "Hannah Gallagher" and "Gallagher" in heard
    await say(s, "No, G A L L A G H C R")
    assert s.state.notepad.name == "Hannah Gallaghcr"


async def test_a_first_name_before_a_spelled_surname_is_kept(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "Table for 2 on Thursday at 8pm")
    await say(s, "The name is Mark G, just G-A-L-L-A-G-H-C-R, and")
    assert s.state.notepad.name == "Mark Gallagher"


async def test_thanks_after_an_answer_is_met_with_youre_welcome(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "Do you have parking?")
    answer = reply(await say(s, "ok cool, thanks"))
    assert answer.startswith("You're welcome") and "anything else" in answer
    assert "How can I help you today" in reply(await say(s, "hello"))


async def test_a_time_already_passed_today_is_refused_and_later_ones_offered(
    runtime: Runtime,
) -> None:
    evening = dt.datetime(2026, 2, 3, 20, 10)  # a Tuesday, open 17:00-22:00
    s = runtime.session(clock=FixedClock.at(evening, runtime.profile.restaurant.timezone))
    answer = reply(await say(s, "can I get a table for two today at 7"))
    assert "7 PM has already passed" in answer
    assert "8:30 PM" in answer and "6:30 PM" not in answer
    assert s.state.notepad.time is None


async def test_a_replay_pinned_to_a_date_alone_refuses_no_time(runtime: Runtime) -> None:
    s = runtime.session(
        clock=FixedClock.at(dt.date(2026, 2, 3), runtime.profile.restaurant.timezone)
    )
    await say(s, "a table for two today at 5")  # noon by the clock, but only the date is real
    assert s.state.notepad.time == dt.time(17, 0)


async def test_right_now_is_the_next_seating_today(runtime: Runtime) -> None:
    evening = dt.datetime(2026, 2, 3, 18, 10)
    s = runtime.session(clock=FixedClock.at(evening, runtime.profile.restaurant.timezone))
    await say(s, "do you have a table for two right now?")
    assert (s.state.notepad.date, s.state.notepad.time) == (evening.date(), dt.time(18, 30))
    later = runtime.session(clock=FixedClock.at(evening, runtime.profile.restaurant.timezone))
    await say(later, "a table for 4 in about an hour please")
    assert later.state.notepad.time == dt.time(19, 30)


async def test_a_name_run_into_the_number_is_still_a_name(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "Table for two on Saturday at 7")
    await say(s, "Kofi Mensah 917 555 0123")
    assert s.state.notepad.name == "Kofi Mensah"


async def test_the_same_question_twice_is_not_said_in_the_same_words(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "Table for two on Saturday at 7")
    asked = reply(await say(s, "hmm"))  # "May I have a name for the reservation?"
    again = reply(await say(s, "hmm"))
    assert again != asked and again.startswith("Sorry") and again.endswith(asked)
