"""Table availability for a party: is the asked slot free, and which nearby slots are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


class AvailabilityService:
    """Derives availability from tables, hours and bookings; works for any date."""

    def __init__(self, storage: Storage, profile: RestaurantProfile) -> None:
        self._storage = storage
        self._profile = profile

    async def check(
        self, day: dt.date, time: dt.time | None, party_size: int, *, alternatives: int = 3
    ) -> AvailabilityAnswer:
        slots = self._profile.slots_on(day)
        available = False
        if time is not None and time in slots:
            available = await self._free(day, time, party_size)
        nearby: list[dt.time] = []
        if not available:
            reference = time or dt.time(19, 0)
            for slot in sorted(slots, key=lambda s: (_distance(s, reference), s)):
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
        )

    async def _free(self, day: dt.date, time: dt.time, party_size: int) -> bool:
        tables = await self._storage.free_tables(
            day, time, self._profile.booking.sitting_minutes, party_size
        )
        return bool(tables)

    async def _next_days_with(
        self, time: dt.time, after: dt.date, party_size: int, *, limit: int = 2, horizon: int = 14
    ) -> tuple[dt.date, ...]:
        found: list[dt.date] = []
        for offset in range(1, horizon + 1):
            day = after + dt.timedelta(days=offset)
            if time in self._profile.slots_on(day) and await self._free(day, time, party_size):
                found.append(day)
                if len(found) == limit:
                    break
        return tuple(found)


def _distance(a: dt.time, b: dt.time) -> int:
    return abs((a.hour * 60 + a.minute) - (b.hour * 60 + b.minute))
