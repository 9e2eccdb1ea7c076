"""The reservation notepad: the fields a call must capture, and the rules they must meet.

One model is the single source of truth: `NotepadUpdate` gives the tool schema an LLM sees,
`apply_update` is the validation every brain goes through, and `Notepad.model_dump` is what
storage writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from resvoice.language.numbers import ordinal
from resvoice.language.phone_validity import national_format, valid_e164
from resvoice.language.phrases import speak_time as speak_time  # re-exported for the agent
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.profile import RestaurantProfile

FieldName = Literal["name", "phone", "party_size", "date", "time", "email", "special_requests"]
REQUIRED_FIELDS: tuple[FieldName, ...] = ("name", "phone", "party_size", "date", "time")
ALL_FIELDS: tuple[FieldName, ...] = (*REQUIRED_FIELDS, "email", "special_requests")

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class NotepadUpdate(BaseModel):
    """A partial update of the reservation; only the fields the caller just gave are set."""

    model_config = ConfigDict(extra="forbid")

    name: _Text | None = Field(default=None, description="Name the booking is under.")
    phone: _Text | None = Field(default=None, description="Callback number, as spoken.")
    party_size: int | None = Field(default=None, description="Number of guests.")
    date: dt.date | None = Field(default=None, description="Reservation date, YYYY-MM-DD.")
    time: dt.time | None = Field(default=None, description="Reservation time, 24-hour HH:MM.")
    email: _Text | None = Field(default=None, description="Email for the confirmation.")
    special_requests: _Text | None = Field(
        default=None, description="Allergies, occasions, seating or accessibility needs."
    )

    def given(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class Notepad(BaseModel):
    """What the call has captured so far. Every value stored here has passed validation."""

    model_config = ConfigDict(validate_assignment=True)

    name: str | None = None
    phone: str | None = None
    party_size: int | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    email: str | None = None
    special_requests: str | None = None

    def missing_fields(self) -> list[FieldName]:
        return [name for name in REQUIRED_FIELDS if getattr(self, name) is None]

    def is_complete(self) -> bool:
        return not self.missing_fields()

    def filled(self) -> dict[str, Any]:
        """The captured values in JSON form (ISO date, HH:MM time)."""
        out = self.model_dump(mode="json", exclude_none=True)
        if self.time is not None:
            out["time"] = self.time.strftime("%H:%M")
        return out


ProblemCode = Literal[
    "party_too_small",
    "party_too_large",
    "date_in_past",
    "date_too_far",
    "date_invalid",
    "closed_day",
    "outside_hours",
    "off_slot",
    "time_passed",
    "phone_invalid",
    "email_invalid",
]


@dataclass(frozen=True)
class Problem:
    """Why a value was refused, in words the agent can say to the caller."""

    field: FieldName
    code: ProblemCode
    message: str
    value: Any = None


@dataclass(frozen=True)
class BookingRulesContext:
    """What validation needs to know: the restaurant and the restaurant's local today."""

    profile: RestaurantProfile
    today: dt.date
    phone_region: str = "US"
    now: dt.datetime | None = None  # local wall clock; a table before it is in the past


@dataclass
class UpdateOutcome:
    changed: list[FieldName] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, name: FieldName) -> Problem | None:
        return next((p for p in self.problems if p.field == name), None)


def apply_update(
    notepad: Notepad, update: NotepadUpdate, rules: BookingRulesContext
) -> UpdateOutcome:
    """Validate each given field and write the valid ones into the notepad.

    A refused value never overwrites one already captured: a caller who says "party of 12"
    after "party of 4" keeps the 4 on the notepad while the agent explains.
    """
    outcome = UpdateOutcome()
    for fname in ALL_FIELDS:
        raw = getattr(update, fname)
        if raw is None:
            continue
        value, problem = _validate(fname, raw, rules, notepad)
        if problem is not None:
            outcome.problems.append(problem)
            continue
        if getattr(notepad, fname) != value:
            setattr(notepad, fname, value)
            outcome.changed.append(fname)
    # a date given alone may make an already captured time invalid (a shorter day)
    if "date" in outcome.changed and notepad.time is not None and notepad.date is not None:
        problem = _check_time(notepad.time, notepad.date, rules)
        if problem is not None:
            notepad.time = None
            if outcome.problem("time") is None:  # one explanation of the day's hours is enough
                outcome.problems.append(problem)
    return outcome


def normalise_phone(raw: str, region: str) -> str | None:
    """E.164 when the number is valid for its (or the default) region, else None."""
    digits = re.sub(r"[^\d+]", "", raw)
    return valid_e164(digits, region) if digits else None


def _validate(
    name: FieldName, raw: Any, rules: BookingRulesContext, notepad: Notepad
) -> tuple[Any, Problem | None]:
    booking = rules.profile.booking
    if name == "party_size":
        size = int(raw)
        if size < booking.min_party:
            return None, Problem(name, "party_too_small", "a party needs at least one guest", size)
        if size > booking.max_party:
            return None, Problem(
                name,
                "party_too_large",
                f"we can book up to {booking.max_party} guests by phone; "
                "larger groups are arranged by our team",
                size,
            )
        return size, None
    if name == "date":
        return _check_date(raw, rules)
    if name == "time":
        day = notepad.date
        problem = _check_time(raw, day, rules) if day is not None else _check_any_day(raw, rules)
        return (None, problem) if problem else (raw, None)
    if name == "phone":
        text = str(raw)
        digits = re.sub(r"\D", "", text)
        e164 = normalise_phone(text, rules.phone_region)
        if e164 is not None:
            return e164, None
        # never booked under digits that make no number of the region (a partial one)
        message = "that number seems too short" if len(digits) < 10 else "that number isn't valid"
        return None, Problem(name, "phone_invalid", message, text)
    if name == "email":
        text = str(raw).strip().lower()
        if not _EMAIL_RE.match(text):
            return None, Problem(name, "email_invalid", "that email address looks incomplete", text)
        return text, None
    return str(raw).strip(), None


def _check_date(day: dt.date, rules: BookingRulesContext) -> tuple[Any, Problem | None]:
    window = rules.profile.booking.window_days
    if day < rules.today:
        return None, Problem("date", "date_in_past", "that date has already passed", day)
    if day > rules.today + dt.timedelta(days=window):
        return None, Problem(
            "date", "date_too_far", f"we take bookings up to {window} days ahead", day
        )
    hours = OpeningHours(rules.profile)
    if not hours.services(day):
        return None, Problem("date", "closed_day", closed_message(hours, day, rules.today), day)
    return day, None


def closed_message(hours: OpeningHours, day: dt.date, today: dt.date) -> str:
    """Why `day` is closed, as the caller hears it: the holiday, or the weekly closed day."""
    reason = hours.closure_reason(day)
    if reason:
        return f"on {_day_of_month(day, today)} we're closed for {reason}"
    if hours.is_exception(day):
        return f"we're closed on {speak_date(day, today)}"
    return f"we're closed on {day.strftime('%A')}s"


def _check_time(value: dt.time, day: dt.date, rules: BookingRulesContext) -> Problem | None:
    hours = OpeningHours(rules.profile)
    check = hours.check(day, value)
    if check.verdict == "ok" and rules.now is not None:
        seating = hours.seat(day, value)
        if seating is not None and seating.starts <= rules.now:
            return Problem("time", "time_passed", "that time has already passed today", value)
    if check.verdict in ("ok", "closed"):
        return None  # the date check reports the closed day
    code: ProblemCode = "off_slot" if check.verdict == "off_slot" else "outside_hours"
    return Problem("time", code, check.message, value)


def _check_any_day(value: dt.time, rules: BookingRulesContext) -> Problem | None:
    """Without a date yet, a time is fine if it is a slot on any open day."""
    week = [rules.today + dt.timedelta(days=i) for i in range(7)]
    hours = OpeningHours(rules.profile)
    problems = [_check_time(value, day, rules) for day in week if hours.services(day)]
    if not problems or any(p is None for p in problems):
        return None
    return problems[0]


def _day_of_month(value: dt.date, today: dt.date) -> str:
    """'the 25th' this month, else the full date."""
    if (value.year, value.month) != (today.year, today.month):
        return speak_date(value, today)
    return f"the {ordinal(value.day)}"


def speak_date(value: dt.date, today: dt.date | None = None) -> str:
    """'today', 'tomorrow', 'Saturday, March 7th'."""
    if today is not None:
        if value == today:
            return "today"
        if value == today + dt.timedelta(days=1):
            return "tomorrow"
    return f"{value.strftime('%A, %B')} {ordinal(value.day)}"


def speak_phone(value: str) -> str:
    """Digits grouped the way people read them back: '555-123-4567', '07700 900123'.

    A North American number in three groups; another country's number as its callers write it
    at home (the national format, trunk "0" included); digits that make no number in threes.
    """
    digits = re.sub(r"\D", "", value)
    if value.startswith("+1") and len(digits) == 11:
        digits = digits[1:]
    elif value.startswith("+"):
        national = national_format(value)
        if national is not None:
            return national
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))
