"""The pydantic model of a restaurant data file (`fixtures/restaurant.yaml`).

Unknown keys are errors: a typo in an owner's file must not silently drop a policy. Every text
has a length limit: whatever is here may be spoken to a caller, and a spoken answer is a few
sentences, not a book.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


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


class DayHours(_Strict):
    """Opening hours of one weekday; `last_seating` defaults to one slot before closing."""

    open: dt.time
    close: dt.time
    last_seating: dt.time | None = None

    @model_validator(mode="after")
    def _ordered(self) -> DayHours:
        if self.close <= self.open:
            raise ValueError("close must be after open")
        if self.last_seating is not None and not self.open <= self.last_seating < self.close:
            raise ValueError("last_seating must be between open and close")
        return self


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
    hours: dict[Weekday, DayHours | Literal["closed"]]
    tables: tuple[TableGroup, ...] = Field(min_length=1, max_length=1000)
    menu: tuple[MenuItem, ...] = Field(default=(), max_length=5000)
    policies: tuple[Policy, ...] = Field(default=(), max_length=1000)
    faq: tuple[FaqEntry, ...] = Field(default=(), max_length=1000)

    @field_validator("hours")
    @classmethod
    def _every_day(
        cls, value: dict[Weekday, DayHours | Literal["closed"]]
    ) -> dict[Weekday, DayHours | Literal["closed"]]:
        missing = [day for day in WEEKDAYS if day not in value]
        if missing:
            raise ValueError(f"hours must list every weekday; missing {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _largest_party_fits(self) -> RestaurantProfile:
        if max(group.seats for group in self.tables) < self.booking.max_party:
            raise ValueError("booking.max_party is larger than the largest table")
        return self

    def hours_on(self, day: dt.date) -> DayHours | None:
        """Opening hours on a date, None when closed."""
        entry = self.hours[WEEKDAYS[day.weekday()]]  # type: ignore[index]
        return None if entry == "closed" else entry

    def slots_on(self, day: dt.date) -> list[dt.time]:
        """Every bookable start time on a date, in order; empty when closed."""
        hours = self.hours_on(day)
        if hours is None:
            return []
        step = self.booking.slot_minutes
        first = _minutes(hours.open)
        last = (
            _minutes(hours.last_seating)
            if hours.last_seating is not None
            else _minutes(hours.close) - step
        )
        return [_time(m) for m in range(first, last + 1, step)]

    def open_days(self) -> list[str]:
        return [day for day in WEEKDAYS if self.hours[day] != "closed"]  # type: ignore[index]


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
