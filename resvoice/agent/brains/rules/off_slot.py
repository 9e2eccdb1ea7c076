"""A time between two seatings ("7:45" where tables go every 30 minutes): offer only the
neighbouring seatings that are really free, checked through the same tool a booking uses,
else the nearest free times that day - never a time that turns out taken a turn later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator

from resvoice.agent.brains.base import TurnContext
from resvoice.agent.events import BrainEvent, ToolCall
from resvoice.agent.notepad import speak_time
from resvoice.language.phrases import join_words
from resvoice.restaurant.hours import OpeningHours

__all__ = ["OffSlotOffer"]


class OffSlotOffer:
    """Checks the seatings around `asked`; afterwards `line` is what to say and `offered`
    the times ("HH:MM") the caller may pick from."""

    def __init__(self, asked: dt.time, ctx: TurnContext) -> None:
        self.asked = asked
        self.ctx = ctx
        self.step = int(ctx.profile.booking.slot_minutes)
        self.line = ""
        self.offered: list[str] = []

    async def run(self) -> AsyncGenerator[BrainEvent, None]:
        notepad = self.ctx.notepad
        around = self._around()
        if notepad.date is None or notepad.party_size is None:
            self._say(around, [])  # nothing to check against yet
            return
        seatings = set(OpeningHours(self.ctx.profile).seating_times(notepad.date))
        free: list[dt.time] = []
        others: list[dt.time] = []
        for when in around:
            if when not in seatings:
                continue
            call = ToolCall("check_availability", {"time": when.strftime("%H:%M")})
            yield call
            data = call.result.data if call.result and call.result.ok else {}
            if data.get("available"):
                free.append(when)
            others += [dt.time.fromisoformat(t) for t in data.get("alternatives", [])]
        self._say(free, [] if free else others)

    def _say(self, free: list[dt.time], others: list[dt.time]) -> None:
        lead = f"We book every {self.step} minutes"
        if len(free) > 1:
            listed = join_words([speak_time(t) for t in free], "or")
            self.line = f"{lead}, so I could do {listed}. Which would you prefer?"
            self.offered = [t.strftime("%H:%M") for t in free]
            return
        if free:
            self.line = f"{lead}, and {speak_time(free[0])} is free. Would that work?"
            self.offered = [free[0].strftime("%H:%M")]
            return
        nearest = sorted(set(others), key=self._distance)[:3]
        if nearest:
            nearest.sort()
            listed = join_words([speak_time(t) for t in nearest], "or")
            self.line = (
                f"{lead}, and the tables either side of {speak_time(self.asked)} are taken. "
                f"I could do {listed}. Would one of those work?"
            )
            self.offered = [t.strftime("%H:%M") for t in nearest]
            return
        self.line = (
            f"{lead}, and nothing is free around {speak_time(self.asked)} that day. "
            "Would another day work?"
        )

    def _around(self) -> list[dt.time]:
        minutes = self.asked.hour * 60 + self.asked.minute
        low = minutes - minutes % self.step
        return [dt.time(m // 60, m % 60) for m in (low, low + self.step) if m < 24 * 60]

    def _distance(self, when: dt.time) -> int:
        return abs((when.hour * 60 + when.minute) - (self.asked.hour * 60 + self.asked.minute))
