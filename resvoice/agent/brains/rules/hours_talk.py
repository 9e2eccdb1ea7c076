"""What the rules brain says about opening hours, and how it reads a time said without am/pm.

Every answer comes from `restaurant.hours`, the model availability and validation use too, so
"are you open on the 25th?" and a booking for the 25th get the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from resvoice.agent.notepad import closed_message, speak_date
from resvoice.language.phrases import speak_time
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.hours_words import exception_sentences, sittings, week_sentences
from resvoice.restaurant.profile import RestaurantProfile

_MEAL = r"(?:breakfast|brunch|lunch|dinner|supper)"
_WHEN = r"\b(?:what\s+times?|when)"
_HOURS_QUESTION = re.compile(
    r"\b(?:opening\s+(?:hours|times)|(?<!happy\s)hours\b|what\s+time\s+do\s+you\s+(?:open|close)"
    r"|when\s+do\s+you\s+(?:open|close)|when\s+are\s+you\s+open|are\s+you\s+(?:open|closed)"
    r"|(?:open|closed)\s+(?:on|for|this|next|tomorrow|today|tonight)|how\s+late"
    r"|last\s+(?:seating|booking|reservation)|do\s+you\s+close"
    r"|(?:do|are)\s+you\s+(?:do|doing|serve|serving|have|open\s+for)\s+"
    r"(?:breakfast|brunch|lunch|dinner)\b(?!\s+(?:menu|specials?))"
    r"|(?:breakfast|brunch|lunch|dinner)\s+(?:hours|times|service\b(?!\s+charge)))"
    # "what time is lunch", "when's dinner", "lunch on Friday, what times?"
    rf"|{_WHEN}\s+(?:is|are|does|do|'s)?\s*(?:the\s+)?{_MEAL}\b(?!\s+(?:menu|specials?))"
    rf"|\b{_MEAL}\b[^.?!]{{0,30}}\b(?:what|which)\s+times?\b"
    # "when do you start serving dinner", "what time do you stop serving"
    rf"|{_WHEN}\s+(?:do|does|can)\s+(?:you|the\s+kitchen|we)\s+(?:start|stop|finish|begin)"
    rf"|{_WHEN}\s+(?:does|do)\s+(?:the\s+)?(?:kitchen|restaurant|bar)\s+(?:open|close|shut)"
    r"|(?:till|until)\s+(?:when|what\s+time)|\bat\s+the\s+latest\b|\blast\s+(?:orders?|food)\b"
    r"|\bopen\s+(?:late|early|till|until)\b|^\s*(?:you|y'all)\s+open\b",
    re.IGNORECASE,
)


def is_hours_question(text: str) -> bool:
    """True when the caller asks when the restaurant is open ("are you open on the 25th?")."""
    return bool(_HOURS_QUESTION.search(text))


def asks_about_now(text: str, today: dt.date) -> dt.date | None:
    """`today` when the caller asks about now ("are you open now?"), else None."""
    return today if _NOW.search(text) else None


_NOW = re.compile(r"\b(?:right\s+)?now\b|\bat\s+the\s+moment\b|\bcurrently\b", re.IGNORECASE)


def hours_answer(profile: RestaurantProfile, day: dt.date | None, today: dt.date) -> str:
    """The hours of `day`, or of the week (and the coming closures and special dates)."""
    hours = OpeningHours(profile)
    if day is None:
        window = today + dt.timedelta(days=profile.booking.window_days)
        said = " ".join(week_sentences(hours) + exception_sentences(hours, start=today, end=window))
        return said.replace("We are ", "We're ").replace(" we are ", " we're ")
    services = hours.services(day)
    if not services:
        said = _capital(closed_message(hours, day, today)) + "."
        reopens = hours.next_open_day(day)
        if reopens is not None:  # "closed on Mondays": and when they can come instead
            opens = speak_time(hours.services(reopens)[0].open)
            said += f" We're open again {_on(speak_date(reopens, today))}, from {opens}."
        return said
    when = speak_date(day, today)
    special = hours.special(day)
    relative = when in ("today", "tomorrow")
    lead = when[:1].upper() + when[1:] if relative else f"On {when}"
    if special is not None and special.reason:
        lead += f", {special.reason},"
    elif not relative:
        lead += ","
    return f"{lead} we're open {sittings(hours, services)}."


def named_date(profile: RestaurantProfile, text: str, today: dt.date) -> dt.date | None:
    """A closure or special date the caller names by the reason the file gives it ("the
    staff party"); common occasions ("New Year's Eve") are read by `language.holidays`."""
    return OpeningHours(profile).named_date(text, today)


def read_time(
    profile: RestaurantProfile, day: dt.date | None, time: dt.time, explicit: bool
) -> dt.time:
    """A time said without am or pm, read as the half of the day the restaurant seats then."""
    if explicit or day is None:
        return time
    return OpeningHours(profile).reading(day, time)


def service_day_named(profile: RestaurantProfile, day: dt.date, time: dt.time) -> dt.date:
    """The service day of a time the caller put on calendar `day`: "Sunday morning at half
    past midnight" is Saturday's late seating when Sunday seats nobody then and Saturday's
    service runs past midnight; `day` itself whenever it seats at `time`."""
    hours = OpeningHours(profile)
    if hours.seat(day, time) is not None:
        return day
    return hours.service_day(day, time)


def in_service_order(
    profile: RestaurantProfile, day: dt.date, times: Sequence[str]
) -> list[dt.time]:
    """`HH:MM` times of `day` in the order they come that day: 11 pm before 12:30 am."""
    order = {t: i for i, t in enumerate(OpeningHours(profile).seating_times(day))}
    parsed = [dt.time.fromisoformat(t) for t in times]
    return sorted(parsed, key=lambda t: (order.get(t, len(order)), t))


def first_seating_after(
    profile: RestaurantProfile, moment: dt.datetime
) -> tuple[dt.date, dt.time] | None:
    """The service day and time of the first seating at or after `moment` (restaurant-local)
    today, counting a service that began yesterday and runs past midnight; None when the day
    seats nobody after it."""
    hours = OpeningHours(profile)
    local = moment.replace(tzinfo=None)
    for day in (local.date() - dt.timedelta(days=1), local.date()):
        for time in hours.seating_times(day):
            seating = hours.seat(day, time)
            if seating is not None and seating.starts >= local:
                return day, time
    return None


def evening_only(profile: RestaurantProfile) -> bool:
    """True for a dinner-only restaurant: a bare "seven" is then 7 pm."""
    return OpeningHours(profile).evening_only()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _on(when: str) -> str:
    return when if when in ("today", "tomorrow") else f"on {when}"
