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


@dataclass(frozen=True)
class SystemClock:
    timezone: str

    def now(self) -> dt.datetime:
        return dt.datetime.now(ZoneInfo(self.timezone))


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one moment (a date alone means noon that day)."""

    moment: dt.datetime

    @classmethod
    def at(cls, value: dt.date | dt.datetime, timezone: str) -> FixedClock:
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(12, 0))
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(timezone))
        return cls(value)

    def now(self) -> dt.datetime:
        return self.moment
