"""The day a caller means, read against the day already under discussion.

"the day after", "the Tuesday after that", "that Wednesday" are relative to the day the caller
last asked for (even one the restaurant refused: "we're closed on Mondays" - "then the
Tuesday after"), not to today. A weekday said alone that is today's weekday ("Tuesday", on a
Tuesday, with tables left tonight) could be today or a week from today: a receptionist asks,
and so does the agent. The day in view is kept in the brain's per-call state as ISO text.
"""

from __future__ import annotations

import datetime as dt
import re

from resvoice.agent.brains.base import TurnContext
from resvoice.agent.notepad import speak_date
from resvoice.language.shifts import day_relative_to, lone_weekday_is_today
from resvoice.restaurant.hours import OpeningHours

__all__ = ["DayReading", "keep_in_view", "read_day"]

_LATER_ONE = re.compile(r"\b(?:next|following|later|second|week|the\s+\d+(?:st|nd|rd|th)?)\b", re.I)
_THAT_DAY = re.compile(
    r"(?<!\bnot\s)(?<!\bcan't\s)(?<!\bcannot\s)\b(?:that|the\s+same|same)\s+"
    r"(?:day|night|evening|afternoon|date)\b",
    re.IGNORECASE,
)
_THIS_ONE = re.compile(r"\b(?:today|tonight|this\s+(?:one|evening|tuesday|\w+day)|first)\b", re.I)


class DayReading:
    """`day`: the date the words name in context (None: none, or a question first);
    `ask`: the question to put when they could mean two days."""

    def __init__(self, day: dt.date | None, ask: str | None = None) -> None:
        self.day = day
        self.ask = ask


def read_day(text: str, ctx: TurnContext, said: dt.date | None) -> DayReading:
    """The day meant by `text`, given `said` (what the date reader found on its own)."""
    state = ctx.state
    choice = state.pop("day_choice", None)
    if isinstance(choice, list) and len(choice) == 2:
        this, later = (dt.date.fromisoformat(str(d)) for d in choice)
        if said is None or said in (this, later):
            if _LATER_ONE.search(text) and not _THIS_ONE.search(text):
                return _seen(ctx, later)
            if _THIS_ONE.search(text):
                return _seen(ctx, this)
    in_view = state.get("day_in_view") or (
        ctx.notepad.date.isoformat() if ctx.notepad.date else None
    )
    if isinstance(in_view, str):
        relative = day_relative_to(text, dt.date.fromisoformat(in_view))
        if relative is None and said is None and _THAT_DAY.search(text):
            relative = dt.date.fromisoformat(in_view)  # "at 10 that night": the day asked about
        if relative is not None and relative >= ctx.today:
            return _seen(ctx, relative)
    today = ctx.today
    if said == today and lone_weekday_is_today(text, today) and _tables_left_today(ctx):
        later = today + dt.timedelta(days=7)
        state["day_choice"] = [today.isoformat(), later.isoformat()]
        return DayReading(
            None,
            f"Just to check: do you mean today, or next week, {speak_date(later)}?",
        )
    return _seen(ctx, said)


def keep_in_view(ctx: TurnContext, day: dt.date) -> None:
    """`day` is the one under discussion (a day the caller asked the hours of)."""
    ctx.state["day_in_view"] = day.isoformat()


def _seen(ctx: TurnContext, day: dt.date | None) -> DayReading:
    if day is not None:
        ctx.state["day_in_view"] = day.isoformat()
    return DayReading(day)


def _tables_left_today(ctx: TurnContext) -> bool:
    """Today still has a seating after now (else the weekday can only mean next week's)."""
    now = ctx.now.replace(tzinfo=None)
    times = OpeningHours(ctx.profile).seating_times(ctx.today)
    return any(dt.datetime.combine(ctx.today, t) > now for t in times)
