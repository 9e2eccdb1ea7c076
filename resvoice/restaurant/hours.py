"""When the restaurant is open and when a party can be seated: the one model of opening hours.

Availability, the notepad's validation, both brains, the hours FAQ and the OpenAI prompt all ask
this module, so they can never disagree. A day's services come from its weekday, replaced by a
`special_hours` entry for that date, and none on a `closures` date. A service that closes after
midnight belongs to the day it began: on a Saturday open 17:00 to 01:00, "12:30 am on Saturday"
is a Saturday sitting that takes place on Sunday's calendar date (`Seating.starts`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from resvoice.language import phrases
from resvoice.language.meals import Meal
from resvoice.restaurant.profile import (
    LATEST_NIGHT_CLOSE,
    WEEKDAYS,
    RestaurantProfile,
    Service,
    SpecialHours,
    services_of,
)

Speak = Callable[[dt.time], str]
TimeVerdict = Literal[
    "ok", "closed", "off_slot", "before_open", "between_services", "after_last_seating", "late"
]


@dataclass(frozen=True)
class Seating:
    """A time a party can be seated, on the service day `day`."""

    day: dt.date
    time: dt.time
    service: Service

    @property
    def starts(self) -> dt.datetime:
        """The calendar date and time the sitting starts (the next day past midnight)."""
        offset = self.service.minutes(self.time)
        return dt.datetime.combine(self.day, dt.time()) + dt.timedelta(minutes=offset)


@dataclass(frozen=True)
class TimeCheck:
    """Whether a time on a day can be seated, and if not, why, in words for the caller."""

    verdict: TimeVerdict
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"


class OpeningHours:
    """The restaurant's opening hours, asked by date: services, seating times, reasons."""

    def __init__(self, profile: RestaurantProfile) -> None:
        self._profile = profile
        self._step = profile.booking.slot_minutes

    def services(self, day: dt.date) -> tuple[Service, ...]:
        """The services of `day` in order; () when it is closed."""
        return self._profile.services_on(day)

    def closure_reason(self, day: dt.date) -> str | None:
        """The reason the agent gives for a closed date (a holiday), None when it has none."""
        for entry in self._profile.closures:
            if entry.date == day:
                return entry.reason
        special = self.special(day)
        return special.reason if special is not None and not self.services(day) else None

    def special(self, day: dt.date) -> SpecialHours | None:
        """The `special_hours` entry of `day`, if any."""
        return next((e for e in self._profile.special_hours if e.date == day), None)

    def is_exception(self, day: dt.date) -> bool:
        """True when `day` does not follow its weekday (a closure or special hours)."""
        return self.special(day) is not None or any(e.date == day for e in self._profile.closures)

    def weekday_services(self, weekday: str) -> tuple[Service, ...]:
        """The services of a weekday ("tuesday") as the file gives them, exceptions aside."""
        return services_of(self._profile.hours[weekday])  # type: ignore[index]

    def exception_dates(self) -> list[dt.date]:
        """Every date with a closure or special hours, in order."""
        closures = {entry.date for entry in self._profile.closures}
        return sorted(closures | {entry.date for entry in self._profile.special_hours})

    def meal_services(self, day: dt.date, meal: Meal) -> tuple[Service, ...]:
        """The services of `day` that serve `meal` (by the file's service name, else by when
        the service opens): a Friday with lunch and dinner gives lunch for "lunch"."""
        wanted = _MEAL_KINDS[meal]
        return tuple(
            service
            for service in self.services(day)
            if (service.name and any(w in service.name.lower() for w in wanted))
            or (not service.name and _kind(service.open) in wanted)
        )

    def seating_times(self, day: dt.date) -> list[dt.time]:
        """Every bookable start time of `day`, in service order (past-midnight times last)."""
        return self._profile.slots_on(day)

    def last_seating(self, service: Service) -> dt.time:
        """The last time `service` seats a party."""
        return _clock(service.last_seating_minutes(self._step))

    def seat(self, day: dt.date, time: dt.time) -> Seating | None:
        """The seating at `time` on service day `day`, None when it is not a bookable time."""
        for service in self.services(day):
            minutes = service.minutes(time)
            first, last = _minutes(service.open), service.last_seating_minutes(self._step)
            if first <= minutes <= last and (minutes - first) % self._step == 0:
                return Seating(day, time, service)
        return None

    def seating_at(self, starts: dt.datetime) -> Seating | None:
        """The seating that starts at calendar date and time `starts` (a stored reservation):
        Sunday 00:30 is Saturday's late seating when Saturday's service runs past midnight."""
        for day in (starts.date() - dt.timedelta(days=1), starts.date()):
            seating = self.seat(day, starts.time())
            if seating is not None and seating.starts == starts.replace(tzinfo=None):
                return seating
        return None

    def starts_at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """The calendar date and time a sitting at `time` on service day `day` starts, where a
        booking is stored (Saturday's 00:30 is Sunday 00:30); as given when it is no seating."""
        seating = self.seat(day, time)
        return seating.starts if seating is not None else dt.datetime.combine(day, time)

    def service_day(self, day: dt.date, time: dt.time) -> dt.date:
        """The day the service began of a sitting stored at calendar `day` and `time`, the day
        callers and staff name it by (Sunday 00:30 -> Saturday, when Saturday runs late)."""
        seating = self.seating_at(dt.datetime.combine(day, time))
        return seating.day if seating is not None else day

    def check(self, day: dt.date, time: dt.time, speak: Speak = phrases.speak_time) -> TimeCheck:
        """Can a party be seated at `time` on `day`? If not, the reason as the caller hears it."""
        services = self.services(day)
        if not services:
            return TimeCheck("closed", "we're closed that day")
        if self.seat(day, time) is not None:
            return TimeCheck("ok")
        named = name_services(services)
        for service, name in zip(services, named, strict=True):
            minutes = service.minutes(time)
            last = service.last_seating_minutes(self._step)
            if _minutes(service.open) <= minutes <= last:
                return TimeCheck("off_slot", f"we book every {self._step} minutes")
            if last < minutes < service.close_minutes:
                return TimeCheck(
                    "after_last_seating",
                    f"our last seating for {name} is at {speak(self.last_seating(service))}; "
                    f"we close at {speak(service.close)}",
                )
        minutes = _minutes(time)
        for before, after in itertools.pairwise(services):
            if before.close_minutes <= minutes < _minutes(after.open):
                first, second = named[services.index(before)], named[services.index(after)]
                return TimeCheck(
                    "between_services",
                    f"we're closed between {first} and {second}: {first} is "
                    f"{speak(before.open)} to {speak(before.close)}, {second} from "
                    f"{speak(after.open)}",
                )
        if len(services) == 1:
            service = services[0]
            span = f"from {speak(service.open)} to {speak(self.last_seating(service))}"
            verdict: TimeVerdict = "before_open" if minutes < _minutes(service.open) else "late"
            return TimeCheck(verdict, f"we seat guests {span}")
        verdict = "before_open" if minutes < _minutes(services[0].open) else "late"
        seating = phrases.join_words(
            [
                f"{name} from {speak(s.open)} to {speak(self.last_seating(s))}"
                for s, name in zip(services, named, strict=True)
            ]
        )
        return TimeCheck(verdict, f"we seat guests for {seating}")

    def reading(self, day: dt.date, time: dt.time) -> dt.time:
        """`time` or its other half of the day, whichever can be seated on `day`.

        For a time said without am or pm ("eleven thirty"): a lunch place seats at 11:30 am,
        a late bar at 11:30 pm. The time itself when neither (or both) can be seated, and never
        a guess into the small hours: "12:30" on a day without lunch is not 00:30.
        """
        other = dt.time((time.hour + 12) % 24, time.minute)
        if other < LATEST_NIGHT_CLOSE:
            return time
        if self.seat(day, time) is None and self.seat(day, other) is not None:
            return other
        return time

    def evening_only(self) -> bool:
        """True when no weekday service opens before 3 pm (a bare "7" is then 7 pm)."""
        return all(
            service.open >= dt.time(15, 0)
            for day in WEEKDAYS
            for service in self.weekday_services(day)
        )

    def named_date(self, text: str, today: dt.date) -> dt.date | None:
        """The date of a closure or special day the caller names by its reason ("are you open
        on Christmas Eve?", "New Year's Eve at 10"), the nearest from `today` on."""
        said = _words(text)
        found: list[dt.date] = []
        named = [(e.date, e.reason) for e in self._profile.closures] + [
            (e.date, e.reason) for e in self._profile.special_hours
        ]
        for day, reason in named:
            if reason is None or day < today:
                continue
            name = _words(reason).strip()
            short = name.removesuffix(" day")
            if f" {name} " in said or (
                short != name and f" {short} " in said and f" {short} eve " not in said
            ):
                found.append(day)
        return min(found, default=None)

    def next_open_day(self, after: dt.date, horizon: int = 60) -> dt.date | None:
        """The first day after `after` with a service, within `horizon` days."""
        for offset in range(1, horizon + 1):
            day = after + dt.timedelta(days=offset)
            if self.services(day):
                return day
        return None


def name_services(services: Sequence[Service]) -> list[str]:
    """What to call each service: its `name`, else breakfast, lunch, dinner or late service by
    its opening time; a second service of the same kind is "the second dinner"."""
    names: list[str] = []
    for service in services:
        name = service.name or _kind(service.open)
        repeat = sum(1 for n in names if n.endswith(name))
        names.append(f"the {_ORDINALS[min(repeat, 3)]} {name}" if repeat else name)
    return names


_ORDINALS = ("first", "second", "third", "next")
_MEAL_KINDS: dict[Meal, tuple[str, ...]] = {
    "breakfast": ("breakfast", "brunch"),
    "brunch": ("brunch", "breakfast", "lunch"),
    "lunch": ("lunch", "brunch"),
    "dinner": ("dinner", "supper", "late", "evening"),
}


def _words(text: str) -> str:
    """Lower-case words with apostrophes dropped, padded with spaces for whole-word search."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))) + " "


def _kind(opens: dt.time) -> str:
    if opens < dt.time(11, 0):
        return "breakfast"
    if opens < dt.time(15, 0):
        return "lunch"
    if opens < dt.time(21, 0):
        return "dinner"
    return "late service"


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _clock(minutes: int) -> dt.time:
    minutes %= 1440
    return dt.time(minutes // 60, minutes % 60)
