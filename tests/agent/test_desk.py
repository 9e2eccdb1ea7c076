"""The privacy rule and the changes of `ReservationDesk`, through the tools every brain uses.

A booking is the caller's only when its phone is the caller ID, or the caller stated two of
name, phone, date, code - and nothing stated contradicts it. Nothing of anybody else's
booking comes back, and no tool touches a reservation the call has not identified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import ToolCall
from resvoice.agent.messenger import RecordingMessenger
from resvoice.agent.session import AgentSession
from resvoice.agent.tools import tool_schemas
from resvoice.runtime import Runtime
from resvoice.storage.records import Reservation, ReservationRequest

MONDAY = dt.datetime(2026, 2, 2, 15, 30)
FRIDAY = dt.date(2026, 2, 6)
OWNER = "+14155550100"


async def book(runtime: Runtime, **kwargs: Any) -> Reservation:
    values: dict[str, Any] = {
        "conversation_id": None,
        "name": "Maria Lopez",
        "phone": OWNER,
        "party_size": 4,
        "date": FRIDAY,
        "time": dt.time(19),
        "sitting_minutes": 90,
    } | kwargs
    result = await runtime.storage.book(ReservationRequest(**values))
    assert result.reservation is not None
    return result.reservation


def call(runtime: Runtime, caller: str | None = None, messenger: Any = None) -> AgentSession:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    return runtime.session(clock=clock, caller_id=caller, brain="rules", messenger=messenger)


async def tool(session: AgentSession, tool_name: str, /, **arguments: Any) -> dict[str, Any]:
    result, _ = await session._tools.run(ToolCall(tool_name, arguments))
    return {"ok": result.ok, "error": result.error, **result.data}


def ids(data: dict[str, Any]) -> list[int]:
    return [r["reservation_id"] for r in data.get("reservations", [])]


async def test_the_caller_id_finds_the_callers_bookings(runtime: Runtime) -> None:
    mine = await book(runtime)
    await book(runtime, phone="+12125550000", name="Someone Else")
    found = await tool(call(runtime, OWNER), "find_reservation")
    assert ids(found) == [mine.id] and found["status"] == "found"
    assert found["reservations"][0]["code_spelled"] == ", ".join(mine.code)


@pytest.mark.parametrize(
    "facts",
    [
        {"name": "Lopez", "date": "2026-02-06"},
        {"name": "Maria Lopez", "phone": "415 555 0100"},
        {"phone": "(415) 555-0100", "date": "2026-02-06"},
        {"name": "maria lopez", "code": "{code}"},
        {"phone": "4155550100", "code": "{spaced}"},
    ],
)
async def test_two_stated_facts_identify_a_booking(runtime: Runtime, facts: dict[str, str]) -> None:
    mine = await book(runtime)
    given = {
        k: v.format(code=mine.code, spaced=" ".join(mine.code.lower())) for k, v in facts.items()
    }
    assert ids(await tool(call(runtime), "find_reservation", **given)) == [mine.id]


@pytest.mark.parametrize(
    "facts",
    [
        {"name": "Maria Lopez"},
        {"date": "2026-02-06"},
        {"phone": "415 555 0100"},
        {"name": "Maria Lopez", "date": "2026-02-07"},  # the wrong day
        {"name": "Maria Lopez", "phone": "415 555 0199", "date": "2026-02-06"},  # wrong number
        {"name": "Ann Smith", "date": "2026-02-06"},
    ],
)
async def test_less_than_two_true_facts_reveal_nothing(
    runtime: Runtime, facts: dict[str, str]
) -> None:
    await book(runtime)
    found = await tool(call(runtime, "+13475550000"), "find_reservation", **facts)
    assert found["reservations"] == [] and found["status"] == "not_found"
    assert found["say"] == "I can't find a booking under that name and number."
    assert "Lopez" not in str(found) and "19:00" not in str(found)


async def test_guessing_one_fact_at_a_time_stops_after_three_misses(runtime: Runtime) -> None:
    mine = await book(runtime)
    session = call(runtime)
    for day in ("2026-02-03", "2026-02-04", "2026-02-05"):
        assert ids(await tool(session, "find_reservation", name="Lopez", date=day)) == []
    right = await tool(session, "find_reservation", name="Lopez", date="2026-02-06")
    assert ids(right) == []  # right this time, but the call has guessed too often
    assert ids(await tool(call(runtime), "find_reservation", name="Lopez", date="2026-02-06")) == [
        mine.id
    ]


async def test_no_tool_touches_a_booking_the_call_has_not_identified(runtime: Runtime) -> None:
    theirs = await book(runtime, phone="+12125550000")
    session = call(runtime, OWNER)
    for name, args in (
        ("cancel_reservation", {}),
        ("change_reservation", {"time": "20:00"}),
        ("change_reservation", {"late_minutes": 10}),
        ("find_reservation", {}),
    ):
        data = await tool(session, name, reservation_id=theirs.id, **args)
        assert data["ok"] is False and data["refused"] == "not_identified", name
    assert await runtime.storage.reservation(theirs.id) == theirs


async def test_several_bookings_and_past_or_cancelled_ones(runtime: Runtime) -> None:
    friday = await book(runtime)
    saturday = await book(runtime, date=FRIDAY + dt.timedelta(days=1), time=dt.time(20))
    await book(runtime, date=dt.date(2026, 1, 30))  # last week: past
    session = call(runtime, OWNER)
    found = await tool(session, "find_reservation")
    assert found["status"] == "several" and ids(found) == [friday.id, saturday.id]
    assert ids(await tool(session, "find_reservation", date="2026-02-07")) == [saturday.id]
    await tool(session, "cancel_reservation", reservation_id=saturday.id)
    again = await tool(session, "find_reservation", date="2026-02-07")
    assert again["status"] == "not_found" and again["inactive"] == "cancelled"
    refused = await tool(session, "change_reservation", reservation_id=saturday.id, time="21:00")
    assert refused["refused"] == "not_booked"


async def test_a_change_is_checked_then_made_and_texted(runtime: Runtime) -> None:
    mine = await book(runtime)
    messenger = RecordingMessenger()
    session = call(runtime, OWNER, messenger)
    await tool(session, "find_reservation")
    checked = await tool(
        session, "change_reservation", reservation_id=mine.id, party_size=6, dry_run=True
    )
    assert checked["ok"] and "deposit" in checked["deposit"].lower()
    assert (await runtime.storage.reservation(mine.id)) == mine  # a dry run changes nothing
    done = await tool(session, "change_reservation", reservation_id=mine.id, party_size=6)
    assert done["ok"] and done["reservation"]["party_size"] == 6 and done["texted"]
    assert [m.to for m in messenger.sent] == [OWNER]
    assert "table for 6" in messenger.sent[0].body and mine.code in messenger.sent[0].body
    changes = session.state.metadata.booking_changes
    assert [(c.reservation_id, c.kinds) for c in changes] == [(mine.id, ["party"])]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"date": "2026-02-09"}, "closed_day"),  # a Monday
        ({"date": "2026-05-01"}, "date_too_far"),
        ({"time": "23:00"}, "outside_hours"),
        ({"time": "19:10"}, "off_slot"),
        ({"date": "2026-01-31"}, "date_in_past"),
        ({"party_size": 12}, "party_too_large"),
    ],
)
async def test_a_change_breaking_a_rule_is_refused_and_the_booking_stays(
    runtime: Runtime, change: dict[str, Any], code: str
) -> None:
    mine = await book(runtime)
    session = call(runtime, OWNER)
    await tool(session, "find_reservation")
    data = await tool(session, "change_reservation", reservation_id=mine.id, **change)
    assert data["ok"] is False and data["refused"] == "problems"
    assert data["problems"][0]["code"] == code
    assert await runtime.storage.reservation(mine.id) == mine


async def test_a_move_into_a_full_slot_offers_free_times(runtime: Runtime) -> None:
    await book(runtime, phone="+12125550000", party_size=8, time=dt.time(19))
    mine = await book(runtime, party_size=8, time=dt.time(17))
    session = call(runtime, OWNER)
    await tool(session, "find_reservation")
    data = await tool(session, "change_reservation", reservation_id=mine.id, time="19:00")
    assert data["refused"] == "taken" and data["taken"]
    assert "20:30" in data["alternatives"]
    assert await runtime.storage.reservation(mine.id) == mine


async def test_running_late_notes_the_delay_without_a_text(runtime: Runtime) -> None:
    mine = await book(runtime)
    messenger = RecordingMessenger()
    session = call(runtime, OWNER, messenger)
    await tool(session, "find_reservation")
    data = await tool(session, "change_reservation", reservation_id=mine.id, late_minutes=20)
    assert data["ok"] and "15 minutes" in data["hold_policy"]
    after = await runtime.storage.reservation(mine.id)
    assert after is not None and (after.time, after.late_minutes) == (mine.time, 20)
    assert messenger.sent == []


def test_the_llm_sees_the_three_tools_with_their_arguments() -> None:
    schemas = {s["name"]: s for s in tool_schemas()}
    for name in ("find_reservation", "cancel_reservation", "change_reservation"):
        assert name in schemas and schemas[name]["description"]
    change = schemas["change_reservation"]["parameters"]
    assert change["required"] == ["reservation_id"]
    assert {"date", "time", "party_size", "late_minutes", "dry_run"} <= set(change["properties"])
    assert schemas["change_reservation"]["parameters"]["additionalProperties"] is False


async def test_bad_tool_arguments_are_refused_before_anything_runs(runtime: Runtime) -> None:
    session = call(runtime, OWNER)
    data = await tool(session, "change_reservation", reservation_id=1, party_size=0)
    assert data["ok"] is False and "party_size" in str(data["error"])
    data = await tool(session, "cancel_reservation", reservation_id="all")
    assert data["ok"] is False and "reservation_id" in str(data["error"])


async def test_a_change_is_made_only_after_a_dry_run_of_that_very_change(
    runtime: Runtime,
) -> None:
    """The read-back the caller says yes to comes from a dry run: a brain cannot skip it."""
    mine = await book(runtime)
    session = call(runtime, OWNER)
    await tool(session, "find_reservation")
    skipped = await tool(session, "change_reservation", reservation_id=mine.id, time="20:00")
    assert skipped["refused"] == "not_checked" and "dry_run" in skipped["why"]
    await tool(session, "change_reservation", reservation_id=mine.id, time="20:00", dry_run=True)
    other = await tool(session, "change_reservation", reservation_id=mine.id, time="20:30")
    assert other["refused"] == "not_checked"  # checked 8 pm, not 8:30
    assert await runtime.storage.reservation(mine.id) == mine
    done = await tool(session, "change_reservation", reservation_id=mine.id, time="20:00")
    assert done["ok"] and done["reservation"]["time"] == "20:00"


async def test_a_surname_as_speech_to_text_wrote_it_counts_beside_the_number(
    runtime: Runtime,
) -> None:
    mine = await book(runtime, name="Priya Mehta", phone="+19175550117")
    found = await tool(call(runtime), "find_reservation", name="META", phone="917 555 0117")
    assert ids(found) == [mine.id]
    # still one fact of two: alone, or beside a wrong number, it reveals nothing
    assert ids(await tool(call(runtime), "find_reservation", name="Meta")) == []
    other = await tool(call(runtime), "find_reservation", name="Meta", phone="917 555 0199")
    assert ids(other) == []
    # a different surname is no match, however close it looks
    assert ids(await tool(call(runtime), "find_reservation", name="Mesa", phone="9175550117")) == []
