"""The agent's parts that speak about hours all follow the restaurant file: the notepad's checks,
the OpenAI prompt, and the rules brain's answers (Harbour Bistro: lunch and dinner, closures,
special hours, Saturday past midnight)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from resvoice.agent.brains.base import HistoryLine, TurnContext
from resvoice.agent.brains.openai.prompt import instructions
from resvoice.agent.brains.rules.hours_talk import (
    asks_about_now,
    hours_answer,
    is_hours_question,
)
from resvoice.agent.notepad import BookingRulesContext, Notepad, NotepadUpdate, apply_update
from resvoice.restaurant.loader import load_profile
from resvoice.restaurant.profile import RestaurantProfile
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 1)  # a Tuesday


@pytest.fixture(scope="module")
def bistro() -> RestaurantProfile:
    return load_profile(ROOT / "resvoice" / "demo" / "harbour_bistro" / "restaurant.yaml")


def _problems(profile: RestaurantProfile, **given: object) -> dict[str, tuple[str, str]]:
    notepad = Notepad()
    outcome = apply_update(
        notepad, NotepadUpdate.model_validate(given), BookingRulesContext(profile, TODAY)
    )
    return {p.field: (p.code, p.message) for p in outcome.problems}


def test_notepad_refuses_with_the_reason_of_the_day(bistro: RestaurantProfile) -> None:
    assert _problems(bistro, date="2026-12-25")["date"] == (
        "closed_day",
        "on the 25th we're closed for Christmas Day",
    )
    assert _problems(bistro, date="2026-12-07")["date"][1] == "we're closed on Mondays"
    code, message = _problems(bistro, date="2026-12-03", time="15:00")["time"]
    assert code == "outside_hours" and message.startswith("we're closed between lunch and dinner")
    assert _problems(bistro, date="2026-12-04", time="21:30")["time"][1].startswith(
        "our last seating for dinner is at 9 PM"
    )
    assert _problems(bistro, date="2026-12-03", time="12:10")["time"][0] == "off_slot"
    assert _problems(bistro, date="2026-12-05", time="00:30") == {}  # Saturday's late service
    assert _problems(bistro, date="2026-12-31", time="12:30")["time"][0] == "outside_hours"


def test_rules_brain_answers_hours_questions(bistro: RestaurantProfile) -> None:
    assert is_hours_question("Are you open on the 25th?")
    assert is_hours_question("what time do you close on Saturday")
    assert not is_hours_question("Do you have a happy hour?")
    assert is_hours_question("when do you serve brunch?")
    assert not is_hours_question("do you have a lunch menu?")
    assert asks_about_now("Are you open right now?", TODAY) == TODAY
    assert asks_about_now("I know where you are", TODAY) is None
    assert hours_answer(bistro, dt.date(2026, 12, 25), TODAY) == (
        "On the 25th we're closed for Christmas Day. We're open again on Saturday, December 26th, "
        "from 5 PM."
    )
    assert hours_answer(bistro, dt.date(2026, 12, 2), TODAY) == (
        "Tomorrow we're open for lunch from 11:30 AM to 2:30 PM, last seating at 1:45 PM, "
        "and for dinner from 5:30 PM to 10 PM, last seating at 9 PM."
    )
    monday = hours_answer(bistro, dt.date(2026, 12, 7), dt.date(2026, 12, 6))
    # a weekly closed day says when the caller can come instead, as one for a holiday does
    assert monday.endswith("open again on Tuesday, December 8th, from 11:30 AM.")
    week = hours_answer(bistro, None, TODAY)
    assert "on Saturday from 5 PM to 2 AM" in week and "Christmas Day" in week
    assert "New Year's Day" not in hours_answer(bistro, None, dt.date(2027, 1, 2))


def test_openai_prompt_carries_services_and_exceptions(bistro: RestaurantProfile) -> None:
    context = TurnContext(
        profile=bistro,
        now=dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo(bistro.restaurant.timezone)),
        notepad=Notepad(),
        missing=Notepad().missing_fields(),
        history=[HistoryLine("caller", "hi")],
    )
    text = instructions(context)
    assert "for lunch from 11:30 AM to 2:30 PM, last seating at 1:45 PM" in text
    assert "on Saturday from 5 PM to 2 AM" in text
    assert "belongs to the day its service began" in text
    assert "On Friday, December 25th, we are closed for Christmas Day." in text
    assert "Bookings every 15 minutes" in text


def test_a_new_day_that_voids_the_time_is_explained_once(bistro: RestaurantProfile) -> None:
    notepad = Notepad()
    rules = BookingRulesContext(bistro, TODAY)
    apply_update(notepad, NotepadUpdate(date=dt.date(2026, 12, 5), time=dt.time(0, 30)), rules)
    assert notepad.time == dt.time(0, 30)
    outcome = apply_update(
        notepad, NotepadUpdate(date=dt.date(2026, 12, 4), time=dt.time(16, 0)), rules
    )
    assert [p.code for p in outcome.problems] == ["outside_hours"]
    assert notepad.time is None and notepad.date == dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    "text",
    [
        "What about lunch on Friday, what times?",
        "what time is lunch on saturday",
        "when's dinner service",
        "lunch times on Friday?",
        "when does the kitchen close",
        "when do you start serving dinner",
        "what time do you stop serving",
        "till when do you serve food",
        "you open Monday?",
        "open late on fridays?",
        "what time can we come in for lunch at the latest",
    ],
)
def test_hours_questions_in_callers_own_words(text: str) -> None:
    assert is_hours_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "a table for lunch on Friday at 1",
        "I'd like to book dinner for two at 7",
        "what's on the dinner menu",
        "what time is my booking",
        "what time works for four people on friday",
        "is there a service charge at dinner",
    ],
)
def test_bookings_and_menu_questions_are_not_hours_questions(text: str) -> None:
    assert not is_hours_question(text)
