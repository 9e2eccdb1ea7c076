"""Opening hours in the restaurant file: the format, its errors at their lines, and the one model
(`restaurant.hours`) every part of the agent asks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from resvoice.errors import FixtureError
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.hours_words import open_days_phrase
from resvoice.restaurant.loader import HOURS_KEY, load_profile, profile_documents
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.yamlfile import parse_yaml_model

BISTRO = (
    Path(__file__).resolve().parents[2] / "resvoice" / "demo" / "harbour_bistro" / "restaurant.yaml"
)

# The format exactly as issue 16 writes it, in a file nobody here would write this way.
ISSUE_FORMAT = """\
restaurant: {name: Night Owl, phone: "+1 555 000 1111", address: 1 Late Street}
booking: {slot_minutes: 15}
hours:
  monday: closed
  tuesday:                         # a list: several services in one day
    - {open: "11:30", close: "14:30", last_seating: "13:45"}
    - {open: "17:30", close: "22:00"}
  wednesday: {open: "17:00", close: "22:00"}
  thursday: {open: "17:00", close: "22:00"}
  friday: {open: "17:00", close: "22:00"}
  saturday: {open: "17:00", close: "01:00", last_seating: "23:30"}  # close before open: next day
  sunday: closed
closures:                          # whole days closed, with the reason the agent says
  - {date: "2026-12-25", reason: Christmas Day}
special_hours:                     # a date whose hours replace its weekday's
  - {date: "2026-12-31", hours: {open: "18:00", close: "01:00"}}
tables:
  - {seats: 1, count: 2, area: counter}
  - {seats: 8}
"""
TUESDAY = dt.date(2026, 12, 1)
SATURDAY = dt.date(2026, 12, 5)


def _profile(text: str = ISSUE_FORMAT) -> RestaurantProfile:
    return parse_yaml_model(text, RestaurantProfile, "owner.yaml")


def _error(text: str) -> FixtureError:
    with pytest.raises(FixtureError) as caught:
        _profile(text)
    return caught.value


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def test_the_issue_format_is_accepted_as_written() -> None:
    profile = _profile()
    hours = OpeningHours(profile)
    assert [s.open for s in hours.services(TUESDAY)] == [_t("11:30"), _t("17:30")]
    assert min(t.seats for t in profile.tables) == 1
    slots = hours.seating_times(TUESDAY)
    assert slots[0] == _t("11:30") and _t("13:45") in slots and _t("14:00") not in slots
    assert _t("17:30") in slots and slots[-1] == _t("21:45")  # one 15-minute slot before close
    assert hours.seating_times(SATURDAY)[-1] == _t("23:30")


def test_past_midnight_belongs_to_the_day_its_service_began() -> None:
    hours = OpeningHours(_profile())
    new_years_eve = dt.date(2026, 12, 31)
    late = hours.seat(new_years_eve, _t("00:30"))
    assert late is not None
    assert late.starts == dt.datetime(2027, 1, 1, 0, 30)  # on the next calendar day
    assert hours.seating_times(new_years_eve)[-1] == _t("00:45")
    assert hours.seat(new_years_eve, _t("12:00")) is None  # its Thursday hours are replaced
    assert hours.seat(SATURDAY, _t("23:30")) is not None
    stored = hours.seating_at(dt.datetime(2027, 1, 1, 0, 30))  # a reservation read back
    assert stored is not None and (stored.day, stored.time) == (new_years_eve, _t("00:30"))
    assert hours.seating_at(dt.datetime(2026, 12, 1, 12, 0)) is not None  # a Tuesday lunch
    assert hours.seating_at(dt.datetime(2026, 12, 1, 0, 30)) is None
    assert hours.check(SATURDAY, _t("00:30")).verdict == "after_last_seating"


def test_a_midnight_close_may_be_written_24_00() -> None:
    text = ISSUE_FORMAT.replace(
        'thursday: {open: "17:00", close: "22:00"}', 'thursday: {open: "17:00", close: "24:00"}'
    )
    hours = OpeningHours(_profile(text))
    thursday = dt.date(2026, 12, 3)
    assert hours.services(thursday)[0].close_minutes == 1440
    assert hours.seating_times(thursday)[-1] == _t("23:45")
    bistro = OpeningHours(load_profile(BISTRO))  # seats at 00:30 on Saturdays
    assert bistro.reading(SATURDAY, _t("12:30")) == _t("12:30")  # no guess into the small hours
    assert bistro.reading(SATURDAY, _t("11:30")) == _t("23:30")


def test_closures_and_the_next_open_day() -> None:
    hours = OpeningHours(_profile())
    christmas = dt.date(2026, 12, 25)
    assert hours.services(christmas) == ()
    assert hours.closure_reason(christmas) == "Christmas Day"
    assert hours.next_open_day(christmas) == dt.date(2026, 12, 26)
    assert hours.next_open_day(dt.date(2026, 12, 6)) == dt.date(2026, 12, 8)  # past Monday


def test_why_a_time_cannot_be_seated() -> None:
    hours = OpeningHours(_profile())
    between = hours.check(TUESDAY, _t("15:00"))
    assert between.verdict == "between_services"
    assert between.message == (
        "we're closed between lunch and dinner: lunch is 11:30 AM to 2:30 PM, dinner from 5:30 PM"
    )
    last = hours.check(TUESDAY, _t("14:00"))
    assert last.verdict == "after_last_seating" and "1:45 PM" in last.message
    assert hours.check(TUESDAY, _t("12:10")).verdict == "off_slot"
    assert hours.check(TUESDAY, _t("12:15")).ok
    assert hours.check(dt.date(2026, 12, 7), _t("19:00")).verdict == "closed"


def test_a_time_without_am_or_pm_is_read_as_the_seated_half() -> None:
    hours = OpeningHours(_profile())
    assert hours.reading(SATURDAY, _t("11:30")) == _t("23:30")
    assert hours.reading(TUESDAY, _t("11:30")) == _t("11:30")
    assert not hours.evening_only()
    assert OpeningHours(load_profile(BISTRO.parents[1] / "restaurant.yaml")).evening_only()


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "detail"),
    [
        (
            '{date: "2026-12-31", hours',
            '{date: "New Year", hours',
            "New Year",
            "special_hours[0].date",
            "YYYY-MM-DD",
        ),
        (
            '{date: "2026-12-31", hours',
            '{date: "2026-02-30", hours',
            "2026-02-30",
            "special_hours[0].date",
            "real date",
        ),
        (
            '{date: "2026-12-31", hours',
            "{date: 20261231, hours",
            "20261231",
            "special_hours[0].date",
            "YYYY-MM-DD",
        ),
        (
            'close: "01:00", last_seating: "23:30"',
            'close: "01:00", last_seating: "01:30"',
            "01:30",
            "hours.saturday",
            "last_seating 01:30 must be between open 17:00 and close 01:00",
        ),
        (
            '{open: "11:30", close: "14:30", last_seating: "13:45"}',
            '{open: "11:30", close: "14:30", last_seating: "15:00"}',
            "15:00",
            "hours.tuesday[0]",
            "last_seating 15:00 must be between",
        ),
        (
            '{open: "17:30", close: "22:00"}',
            '{open: "14:00", close: "22:00"}',
            "tuesday:",  # the day's line: the overlap is between two of its services
            "hours.tuesday",
            "services overlap: 11:30 to 14:30 and 14:00 to 22:00",
        ),
        (
            '{open: "17:30", close: "22:00"}',
            '{open: "17:30", close: "22:00", lastseating: "21:00"}',
            "lastseating",
            "hours.tuesday[1].lastseating",
            "unknown key 'lastseating'",
        ),
        (
            '{date: "2026-12-25", reason: Christmas Day}',
            '{date: "2026-12-25", reason: Christmas Day, open: "10:00"}',
            "Christmas Day, open",
            "closures[0].open",
            "unknown key 'open'",
        ),
        (
            '{date: "2026-12-31", hours: {open: "18:00", close: "01:00"}}',
            '{date: "2026-12-25", hours: {open: "18:00", close: "01:00"}}',
            "special_hours:",
            None,
            "2026-12-25 is both a closure and a special_hours date",
        ),
        (
            'wednesday: {open: "17:00", close: "22:00"}',
            'wednesday: {open: "17:00", close: "11:00"}',
            "wednesday",
            "hours.wednesday",
            "close must be after open",
        ),
    ],
)
def test_bad_hours_are_errors_at_their_line(
    old: str, new: str, needle: str, field: str | None, detail: str
) -> None:
    text = ISSUE_FORMAT.replace(old, new)
    assert text != ISSUE_FORMAT
    error = _error(text)
    assert error.path == "owner.yaml"
    if field is not None:
        assert error.line == _line(text, needle), str(error)
        assert error.field == field, str(error)
    assert detail in error.detail, str(error)
    assert str(error).startswith(f"owner.yaml:{error.line}: ")


def test_a_date_listed_twice_is_an_error() -> None:
    text = ISSUE_FORMAT.replace(
        '  - {date: "2026-12-25", reason: Christmas Day}\n',
        '  - {date: "2026-12-25", reason: Christmas Day}\n  - {date: "2026-12-25"}\n',
    )
    error = _error(text)
    assert "2026-12-25 is listed twice" in error.detail
    assert error.line == _line(text, "closures:")


def test_hours_faq_lists_services_closures_and_special_dates() -> None:
    body = {d.key: d for d in profile_documents(load_profile(BISTRO))}[HOURS_KEY].body
    assert body.startswith(
        "We are open Tuesday to Friday for lunch from 11:30 am to 2:30 pm, last seating at "
        "1:45 pm, and for dinner from 5:30 pm to 10 pm, last seating at 9 pm."
    )
    assert "We are open on Saturday from 5 pm to 2 am, with last seating at 12:45 am." in body
    assert "on Sunday for brunch from 10:30 am" in body
    assert "We are closed on Monday." in body
    assert "On Friday, December 25th, we are closed for Christmas Day." in body
    assert "On Thursday, December 31st, New Year's Eve, we are open from 6 pm to 1 am" in body


def test_the_profile_round_trips_through_storage_json() -> None:
    profile = load_profile(BISTRO)
    assert RestaurantProfile.model_validate_json(profile.model_dump_json()) == profile


def test_a_closure_or_special_date_is_found_by_its_name() -> None:
    hours = OpeningHours(load_profile(BISTRO))
    today = dt.date(2026, 12, 1)
    assert hours.named_date("are you open on Christmas Eve?", today) == dt.date(2026, 12, 24)
    assert hours.named_date("What about christmas", today) == dt.date(2026, 12, 25)
    assert hours.named_date("New Year's Eve at 10", today) == dt.date(2026, 12, 31)
    assert hours.named_date("new years day", today) == dt.date(2027, 1, 1)
    assert hours.named_date("a table for two on Friday", today) is None
    assert hours.named_date("Christmas Eve", dt.date(2027, 1, 2)) is None  # already past


def test_open_days_are_said_as_runs() -> None:
    assert open_days_phrase(OpeningHours(_profile())) == "Tuesday through Saturday"
    text = ISSUE_FORMAT.replace('wednesday: {open: "17:00", close: "22:00"}', "wednesday: closed")
    assert open_days_phrase(OpeningHours(_profile(text))) == "Tuesday and Thursday through Saturday"


def test_days_and_times_as_owners_write_them() -> None:
    text = (
        ISSUE_FORMAT.replace("  monday: closed", "  Mon: closed")
        .replace("  wednesday:", "  Wednesday:")
        .replace(
            '{open: "17:00", close: "22:00"}\n  thursday',
            '{open: "5pm", close: "10:00 PM"}\n  thursday',
        )
        .replace(
            'saturday: {open: "17:00", close: "01:00", last_seating: "23:30"}',
            'saturday: {open: "5 p.m.", close: "1am", last_seating: "11.30pm"}',
        )
        .replace(
            '    - {open: "11:30", close: "14:30", last_seating: "13:45"}',
            '    - {open: "11:30am", close: "2:30pm", last_seating: "1:45 pm"}',
        )
    )
    assert OpeningHours(_profile(text)).seating_times(SATURDAY) == OpeningHours(
        _profile()
    ).seating_times(SATURDAY)
    assert _profile(text).hours == _profile().hours
    noon = ISSUE_FORMAT.replace(
        '{open: "17:00", close: "22:00"}\n  thursday',
        '{open: "noon", close: "midnight"}\n  thursday',
    )
    wednesday = OpeningHours(_profile(noon)).services(dt.date(2026, 12, 2))
    assert (wednesday[0].open, wednesday[0].close_minutes) == (_t("12:00"), 1440)


@pytest.mark.parametrize(
    ("written", "says"),
    [("soon", "HH:MM (24-hour) or like 5pm"), ("13pm", "not a time of day"), ("25:00", "hour")],
)
def test_a_time_no_one_can_read_names_its_line(written: str, says: str) -> None:
    text = ISSUE_FORMAT.replace('wednesday: {open: "17:00"', f'wednesday: {{open: "{written}"')
    error = _error(text)
    assert says in str(error) and f":{_line(text, 'wednesday')}:" in str(error)


def test_a_day_given_twice_in_two_spellings_is_refused() -> None:
    text = ISSUE_FORMAT.replace("  sunday: closed", "  sunday: closed\n  Sun: closed")
    assert "sunday is given twice" in str(_error(text))
