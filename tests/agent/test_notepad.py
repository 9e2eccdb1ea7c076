"""Notepad validation through its public functions: each refused value says why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from resvoice.agent.notepad import (
    BookingRulesContext,
    Notepad,
    NotepadUpdate,
    apply_update,
    speak_date,
    speak_phone,
    speak_time,
)
from resvoice.restaurant.loader import load_profile

ROOT = Path(__file__).resolve().parents[2]
MONDAY = dt.date(2026, 2, 2)


@pytest.fixture(scope="module")
def rules() -> BookingRulesContext:
    return BookingRulesContext(
        profile=load_profile(ROOT / "fixtures/restaurant.yaml"), today=MONDAY
    )


def update(notepad: Notepad, rules: BookingRulesContext, **fields: object):
    return apply_update(notepad, NotepadUpdate.model_validate(fields), rules)


def test_required_fields_and_completeness(rules: BookingRulesContext) -> None:
    notepad = Notepad()
    assert notepad.missing_fields() == ["name", "phone", "party_size", "date", "time"]
    outcome = update(
        notepad,
        rules,
        name="John Smith",
        phone="555 123 4567",
        party_size=4,
        date="2026-02-07",
        time="19:00",
    )
    assert outcome.problems == []
    assert set(outcome.changed) == {"name", "phone", "party_size", "date", "time"}
    assert notepad.is_complete()
    assert notepad.filled() == {
        "name": "John Smith",
        "phone": "+15551234567",
        "party_size": 4,
        "date": "2026-02-07",
        "time": "19:00",
    }


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"party_size": 0}, "party_size", "party_too_small"),
        ({"party_size": 12}, "party_size", "party_too_large"),
        ({"date": "2026-01-30"}, "date", "date_in_past"),
        ({"date": "2026-02-09"}, "date", "closed_day"),  # a Monday
        ({"date": "2026-06-02"}, "date", "date_too_far"),  # beyond 60 days
        ({"date": "2026-02-07", "time": "23:00"}, "time", "outside_hours"),
        ({"date": "2026-02-07", "time": "16:00"}, "time", "outside_hours"),
        ({"date": "2026-02-07", "time": "19:15"}, "time", "off_slot"),
        ({"phone": "12"}, "phone", "phone_invalid"),
        ({"email": "john@"}, "email", "email_invalid"),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    rules: BookingRulesContext, fields: dict[str, object], field: str, code: str
) -> None:
    notepad = Notepad()
    outcome = update(notepad, rules, **fields)
    problem = outcome.problem(field)  # type: ignore[arg-type]
    assert problem is not None and problem.code == code
    assert problem.message
    assert getattr(notepad, field) is None


def test_refused_value_keeps_what_was_captured(rules: BookingRulesContext) -> None:
    notepad = Notepad()
    update(notepad, rules, party_size=4)
    outcome = update(notepad, rules, party_size=0)
    assert notepad.party_size == 4
    assert outcome.changed == []


def test_today_is_bookable_and_the_window_edge_too(rules: BookingRulesContext) -> None:
    notepad = Notepad()
    tuesday = MONDAY + dt.timedelta(days=1)
    assert not update(notepad, rules, date=tuesday.isoformat()).problems
    edge = MONDAY + dt.timedelta(days=59)  # a Friday inside the window
    assert not update(notepad, rules, date=edge.isoformat()).problems


def test_new_date_invalidates_time_outside_its_hours(rules: BookingRulesContext) -> None:
    notepad = Notepad()
    update(notepad, rules, time="21:30")
    assert notepad.time == dt.time(21, 30)
    outcome = update(notepad, rules, date="2026-02-07")
    assert outcome.problems == [] and notepad.time == dt.time(21, 30)


def test_foreign_phone_numbers_normalise_to_e164(rules: BookingRulesContext) -> None:
    notepad = Notepad()
    update(notepad, rules, phone="+44 20 7946 0958")
    assert notepad.phone == "+442079460958"


def test_speakable_forms() -> None:
    assert speak_time(dt.time(19, 0)) == "7 PM"
    assert speak_time(dt.time(19, 30)) == "7:30 PM"
    assert speak_time(dt.time(12, 0)) == "noon"
    assert speak_date(dt.date(2026, 2, 7)) == "Saturday, February 7th"
    assert speak_date(dt.date(2026, 2, 3), MONDAY) == "tomorrow"
    assert speak_phone("+15551234567") == "555-123-4567"
