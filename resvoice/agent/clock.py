"""The restaurant's local clock. Replays pin it to a transcript's `today`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Timezone-aware restaurant-local now."""
        ...

    @property
    def exact(self) -> bool:
        """False when only the date is real (a replay pinned to a day): no time has passed."""
        ...


def passed_before(clock: Clock) -> dt.datetime | None:
    """The local wall-clock moment before which a table today can no longer be booked, or
    None when the clock knows only the date."""
    return clock.now().replace(tzinfo=None) if clock.exact else None


@dataclass(frozen=True)
class SystemClock:
    timezone: str
    exact: bool = True

    def now(self) -> dt.datetime:
        return dt.datetime.now(ZoneInfo(self.timezone))


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one moment (a date alone means noon that day)."""

    moment: dt.datetime
    exact: bool = True

    @classmethod
    def at(cls, value: dt.date | dt.datetime, timezone: str) -> FixedClock:
        exact = isinstance(value, dt.datetime)
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(12, 0))
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(timezone))
        return cls(value, exact=exact)

    def now(self) -> dt.datetime:
        return self.moment
