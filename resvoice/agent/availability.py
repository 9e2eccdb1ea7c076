"""Table availability for a party: is the asked slot free, and which nearby slots are.

Times are seating times of the date's services (`restaurant.hours`): on a Saturday open until
2 am, 00:30 is a Saturday time, and its tables are asked for on Sunday's calendar date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from resvoice.language.meals import Bound, Edge, Meal
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.base import Storage


@dataclass(frozen=True)
class AvailabilityAnswer:
    date: dt.date
    time: dt.time | None
    party_size: int
    available: bool
    alternatives: tuple[dt.time, ...]  # same day, nearest to the asked time first
    next_days: tuple[dt.date, ...] = ()  # open days with room at the asked time, when none today
    meal_served: bool = True  # False: the day has no service for the meal asked ("lunch")


# Where a meal's tables are offered from when the caller gives no time
_TYPICAL: dict[Meal, dt.time] = {
    "breakfast": dt.time(9, 0),
    "brunch": dt.time(11, 30),
    "lunch": dt.time(12, 30),
    "dinner": dt.time(19, 0),
}


class AvailabilityService:
    """Derives availability from tables, hours and bookings; works for any date."""

    def __init__(
        self,
        storage: Storage,
        profile: RestaurantProfile,
        *,
        now: Callable[[], dt.datetime | None] = lambda: None,
    ) -> None:
        self._storage = storage
        self._profile = profile
        self._hours = OpeningHours(profile)
        self._now = now  # local wall clock: a seating before it is never offered

    async def check(
        self,
        day: dt.date,
        time: dt.time | None,
        party_size: int,
        *,
        alternatives: int = 3,
        meal: Meal | None = None,
        edge: Edge | None = None,
        bound: tuple[Bound, dt.time] | None = None,
    ) -> AvailabilityAnswer:
        """Is `time` free for the party; if not (or no time was given), the free times nearest
        to it, or to the usual hour of the `meal` asked for, or from the `edge` of the day
        ("latest": the last free times first), within that meal's service when it has one;
        with a `bound` and no time ("earlier than 6"), the free times on its side of it,
        nearest it first."""
        slots = self._hours.seating_times(day)
        if bound is not None and time is None:
            slots = [t for t in slots if self._on_side(day, t, bound)]
            edge = "latest" if bound[0] == "before" else "earliest"
        now = self._now()
        if now is not None:
            slots = [t for t in slots if not self._started(day, t, now)]
        available = False
        if time is not None and time in slots:
            available = await self._free(day, time, party_size)
        nearby: list[dt.time] = []
        meal_served = True
        if not available:
            if meal is not None and time is None:
                served = {s.open for s in self._hours.meal_services(day, meal)}
                meal_slots = [t for t in slots if self._service_of(day, t) in served]
                meal_served = bool(meal_slots)
                slots = meal_slots or slots
            offsets = {slot: self._offset(day, slot) for slot in slots}
            anchor = _TYPICAL[meal] if meal is not None and meal_served else dt.time(19, 0)
            wanted = _nearest_reading(time or anchor, list(offsets.values()))
            ranked = sorted(slots, key=lambda s: (abs(offsets[s] - wanted), offsets[s]))
            if edge is not None and time is None:
                ranked = sorted(slots, key=lambda s: offsets[s], reverse=edge == "latest")
            if time is not None and time not in slots:
                # between services or outside them: the nearest time of each service first
                services = {self._service_of(day, slot): slot for slot in reversed(ranked)}
                firsts = sorted(services.values(), key=lambda s: abs(offsets[s] - wanted))
                ranked = firsts + [slot for slot in ranked if slot not in firsts]
            for slot in ranked:
                if slot == time:
                    continue
                if await self._free(day, slot, party_size):
                    nearby.append(slot)
                    if len(nearby) == alternatives:
                        break
        next_days: tuple[dt.date, ...] = ()
        if not available and not nearby and time is not None:
            next_days = await self._next_days_with(time, day, party_size)
        return AvailabilityAnswer(
            date=day,
            time=time,
            party_size=party_size,
            available=available,
            alternatives=tuple(nearby),
            next_days=next_days,
            meal_served=meal_served,
        )

    def _started(self, day: dt.date, time: dt.time, now: dt.datetime) -> bool:
        seating = self._hours.seat(day, time)
        return seating is not None and seating.starts <= now

    def _service_of(self, day: dt.date, time: dt.time) -> dt.time:
        seating = self._hours.seat(day, time)
        assert seating is not None
        return seating.service.open

    def _on_side(self, day: dt.date, slot: dt.time, bound: tuple[Bound, dt.time]) -> bool:
        """Whether seating time `slot` comes before (or after) the bound's time that day."""
        seating = self._hours.seat(day, slot)
        assert seating is not None  # only asked for the day's seating times
        at, limit = seating.service.minutes(slot), seating.service.minutes(bound[1])
        return at < limit if bound[0] == "before" else at > limit

    def _offset(self, day: dt.date, time: dt.time) -> int:
        seating = self._hours.seat(day, time)
        assert seating is not None  # only asked for the day's seating times
        return seating.service.minutes(time)

    async def _free(self, day: dt.date, time: dt.time, party_size: int) -> bool:
        seating = self._hours.seat(day, time)
        if seating is None:
            return False
        starts = seating.starts
        tables = await self._storage.free_tables(
            starts.date(), starts.time(), self._profile.booking.sitting_minutes, party_size
        )
        return bool(tables)

    async def _next_days_with(
        self, time: dt.time, after: dt.date, party_size: int, *, limit: int = 2, horizon: int = 14
    ) -> tuple[dt.date, ...]:
        found: list[dt.date] = []
        for offset in range(1, horizon + 1):
            day = after + dt.timedelta(days=offset)
            if await self._free(day, time, party_size):
                found.append(day)
                if len(found) == limit:
                    break
        return tuple(found)


def _nearest_reading(time: dt.time, offsets: list[int]) -> int:
    """Minutes after the service day's midnight of `time`: today's clock, or past midnight
    when that is nearer the day's seating times (00:20 on a Saturday open until 2 am)."""
    minutes = time.hour * 60 + time.minute
    if not offsets:
        return minutes
    return min((minutes, minutes + 1440), key=lambda m: min(abs(m - o) for o in offsets))
