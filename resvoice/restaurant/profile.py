"""The pydantic model of a restaurant data file (`fixtures/restaurant.yaml`).

Unknown keys are errors: a typo in an owner's file must not silently drop a policy. Every text
has a length limit: whatever is here may be spoken to a caller, and a spoken answer is a few
sentences, not a book.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_SPELLINGS = {
    **{day: day for day in WEEKDAYS},
    **{day[:3]: day for day in WEEKDAYS},
    "tues": "tuesday",
    "weds": "wednesday",
    "thur": "thursday",
    "thurs": "thursday",
}
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
LATEST_NIGHT_CLOSE = dt.time(6, 0)  # a close before the open is the next day, up to this


Name = Annotated[str, Field(min_length=1, max_length=200)]  # a name, a title, a topic
Line = Annotated[str, Field(max_length=500)]  # an address, a URL, a keyword
Spoken = Annotated[str, Field(min_length=1, max_length=2000)]  # a policy, an answer
Words = Annotated[tuple[Line, ...], Field(max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RestaurantInfo(_Strict):
    name: Name
    timezone: Line = "America/New_York"
    phone: Line
    address: Line
    website: Line | None = None
    email: Line | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value


def _midnight(value: object) -> object:
    """`"24:00"` is how many owners write a midnight close."""
    value = _clock_text(value)
    return "00:00" if isinstance(value, str) and value.strip() in ("24:00", "24:00:00") else value


_OWNER_CLOCK = re.compile(
    r"^\s*(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>[ap])\.?\s*m\.?\s*$", re.IGNORECASE
)
_WORD_CLOCK = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}


def _clock_text(value: object) -> object:
    """A time as owners write it ("5pm", "5:30 PM", "17.30", "noon") as "HH:MM"; anything else
    is left for the field's own check, which names the file, line and field."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if text in _WORD_CLOCK:
        return _WORD_CLOCK[text]
    if re.fullmatch(r"\d{1,2}\.\d{2}", text):
        return text.replace(".", ":")
    match = _OWNER_CLOCK.match(text)
    if match is None:
        if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", text):
            return value  # HH:MM, checked as a time by the field
        raise ValueError(f"write a time as HH:MM (24-hour) or like 5pm or 5:30 pm, got {value!r}")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        raise ValueError(f"{value!r} is not a time of day")
    hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


OwnerTime = Annotated[dt.time, BeforeValidator(_clock_text)]


class Service(_Strict):
    """One service of a day (lunch, dinner, a late bar): when the doors open and close.

    `close` before `open` means the next day: a service from 17:00 to 01:00 runs past midnight
    and its sittings belong to the day it began. `last_seating` defaults to one slot before
    closing; `name` ("lunch", "brunch") defaults to what the opening time suggests.
    """

    open: OwnerTime
    close: Annotated[dt.time, BeforeValidator(_midnight)]
    last_seating: OwnerTime | None = None
    name: Annotated[str, Field(min_length=1, max_length=40)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Service:
        if self.close == self.open:
            raise ValueError("close must be after open")
        if self.close < self.open and self.close > LATEST_NIGHT_CLOSE:
            raise ValueError(
                "close must be after open, or no later than "
                f"{LATEST_NIGHT_CLOSE:%H:%M} the next day for a service past midnight"
            )
        if self.last_seating is not None:
            last = self.minutes(self.last_seating)
            if not self.minutes(self.open) <= last < self.close_minutes:
                raise ValueError(
                    f"last_seating {self.last_seating:%H:%M} must be between open "
                    f"{self.open:%H:%M} and close {self.close:%H:%M}"
                )
        return self

    @property
    def close_minutes(self) -> int:
        """Minutes from the service day's midnight to closing (over 1440 past midnight)."""
        return self.minutes(self.close) if self.close > self.open else _minutes(self.close) + 1440

    def last_seating_minutes(self, slot_minutes: int) -> int:
        """Minutes from the service day's midnight to the last seating (default: one slot
        before closing)."""
        if self.last_seating is not None:
            return self.minutes(self.last_seating)
        return self.close_minutes - slot_minutes

    def minutes(self, value: dt.time) -> int:
        """Minutes from the service day's midnight: times before the opening are the next day."""
        return _minutes(value) + (1440 if value < self.open else 0)


DayHours = Service  # the name of a single-service day before services could be listed


def _services(value: object) -> str:
    if isinstance(value, dict | Service):
        return "Service"
    if isinstance(value, list | tuple):
        return "Services"
    return "Closed"


def _no_overlap(services: tuple[Service, ...]) -> tuple[Service, ...]:
    if not services:
        raise ValueError("a day needs at least one service; write closed for a closed day")
    ordered = sorted(services, key=lambda s: _minutes(s.open))
    for before, after in itertools.pairwise(ordered):
        if before.close_minutes > _minutes(after.open):
            raise ValueError(
                f"services overlap: {before.open:%H:%M} to {before.close:%H:%M} and "
                f"{after.open:%H:%M} to {after.close:%H:%M}"
            )
    return tuple(ordered)


# One weekday (or special date): one service, a list of services, or closed. The tags start
# with a capital so file errors name the field, not which shape was tried.
DaySpec = Annotated[
    Annotated[Service, Tag("Service")]
    | Annotated[tuple[Service, ...], AfterValidator(_no_overlap), Tag("Services")]
    | Annotated[Literal["closed"], Tag("Closed")],
    Discriminator(_services),
]


def _iso_date(value: object) -> object:
    """Only `YYYY-MM-DD` (or a date) is a date: pydantic would read 20261225 as a timestamp."""
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
        raise ValueError("date must be a date written YYYY-MM-DD")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("date must be a real date written YYYY-MM-DD") from None
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Closure(_Strict):
    """A whole day closed (a holiday, a private event), with the reason the agent says."""

    date: IsoDate
    reason: Annotated[str, Field(min_length=1, max_length=80)] | None = None


class SpecialHours(_Strict):
    """A date whose hours replace its weekday's (New Year's Eve, a late opening)."""

    date: IsoDate
    hours: DaySpec
    reason: Annotated[str, Field(min_length=1, max_length=80)] | None = None


class BookingRules(_Strict):
    slot_minutes: Annotated[int, Field(gt=0, le=240)] = 30
    sitting_minutes: Annotated[int, Field(gt=0, le=600)] = 90
    min_party: Annotated[int, Field(ge=1)] = 1
    max_party: Annotated[int, Field(ge=1)] = 8
    window_days: Annotated[int, Field(ge=0, le=3660)] = 60
    deposit_from_party: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _party_range(self) -> BookingRules:
        if self.max_party < self.min_party:
            raise ValueError("max_party must be at least min_party")
        return self


class TableGroup(_Strict):
    """`count` tables seating up to `seats` each."""

    seats: Annotated[int, Field(ge=1, le=50)]
    count: Annotated[int, Field(ge=1, le=500)] = 1
    area: Name | None = None


class MenuItem(_Strict):
    name: Name
    category: Line
    price: Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
    description: Annotated[str, Field(max_length=2000)] = ""
    tags: Words = ()
    allergens: Words = ()


class Policy(_Strict):
    topic: Name
    title: Name
    text: Spoken
    keywords: Words = ()


class FaqEntry(_Strict):
    question: Spoken
    answer: Spoken
    keywords: Words = ()


class RestaurantProfile(_Strict):
    restaurant: RestaurantInfo
    booking: BookingRules = BookingRules()
    hours: dict[Weekday, DaySpec]
    closures: tuple[Closure, ...] = Field(default=(), max_length=1000)
    special_hours: tuple[SpecialHours, ...] = Field(default=(), max_length=1000)
    tables: tuple[TableGroup, ...] = Field(min_length=1, max_length=1000)
    menu: tuple[MenuItem, ...] = Field(default=(), max_length=5000)
    policies: tuple[Policy, ...] = Field(default=(), max_length=1000)
    faq: tuple[FaqEntry, ...] = Field(default=(), max_length=1000)

    @field_validator("hours", mode="before")
    @classmethod
    def _weekday_names(cls, value: object) -> object:
        """ "Monday" and "Mon" as owners write them; an unknown day is left for the check."""
        if not isinstance(value, dict):
            return value
        named: dict[object, object] = {}
        for key, spec in value.items():
            day = _WEEKDAY_SPELLINGS.get(key.strip().lower(), key) if isinstance(key, str) else key
            if day in named:
                raise ValueError(f"{day} is given twice")
            named[day] = spec
        return named

    @field_validator("hours")
    @classmethod
    def _every_day(cls, value: dict[Weekday, Any]) -> dict[Weekday, Any]:
        missing = [day for day in WEEKDAYS if day not in value]
        if missing:
            raise ValueError(f"hours must list every weekday; missing {', '.join(missing)}")
        return value

    @field_validator("closures", "special_hours")
    @classmethod
    def _one_entry_per_date(
        cls, value: tuple[Closure | SpecialHours, ...]
    ) -> tuple[Closure | SpecialHours, ...]:
        seen: set[dt.date] = set()
        for entry in value:
            if entry.date in seen:
                raise ValueError(f"{entry.date.isoformat()} is listed twice")
            seen.add(entry.date)
        return value

    @model_validator(mode="after")
    def _largest_party_fits(self) -> RestaurantProfile:
        if max(group.seats for group in self.tables) < self.booking.max_party:
            raise ValueError("booking.max_party is larger than the largest table")
        special = {entry.date for entry in self.special_hours}
        both = sorted(entry.date for entry in self.closures if entry.date in special)
        if both:
            raise ValueError(
                f"{both[0].isoformat()} is both a closure and a special_hours date; keep one"
            )
        return self

    def services_on(self, day: dt.date) -> tuple[Service, ...]:
        """The services of a date, in order (special hours and closures applied); () when closed."""
        if any(entry.date == day for entry in self.closures):
            return ()
        special = next((entry for entry in self.special_hours if entry.date == day), None)
        return services_of(special.hours if special else self.hours[WEEKDAYS[day.weekday()]])  # type: ignore[index]

    def slots_on(self, day: dt.date) -> list[dt.time]:
        """Every bookable start time of a date's services, in order; empty when closed.

        Times past midnight (a Saturday service until 1 am) come last: they belong to `day`.
        """
        step = self.booking.slot_minutes
        out: list[dt.time] = []
        for service in self.services_on(day):
            last = service.last_seating_minutes(step)
            out += [_time(m) for m in range(_minutes(service.open), last + 1, step)]
        return out

    def open_days(self) -> list[str]:
        """The weekdays with at least one service (closures and special dates aside)."""
        return [day for day in WEEKDAYS if self.hours[day] != "closed"]  # type: ignore[index]


def services_of(entry: Service | tuple[Service, ...] | str) -> tuple[Service, ...]:
    """The services of one `hours` entry: one, several, or none when closed."""
    if isinstance(entry, Service):
        return (entry,)
    if isinstance(entry, tuple):
        return entry
    return ()


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> dt.time:
    minutes %= 1440
    return dt.time(minutes // 60, minutes % 60)
