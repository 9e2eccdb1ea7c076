"""Opening hours in words, from the hours model: the week, the closures and special dates.

One writer for every place that says the hours (the hours FAQ document, the rules brain's
answers, the OpenAI prompt), so they read the same and can never disagree with the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from resvoice.language import phrases
from resvoice.restaurant.hours import OpeningHours, Speak, name_services
from resvoice.restaurant.profile import WEEKDAYS, Service


def week_sentences(hours: OpeningHours, speak: Speak = phrases.speak_time) -> list[str]:
    """The weekly hours, days with the same hours grouped: "We are open Tuesday to Friday for
    lunch from 11:30 am to 2:30 pm, last seating at 1:45 pm, and for dinner ...", "We are
    closed on Monday." """
    groups: list[tuple[list[str], tuple[Service, ...]]] = []
    for day in WEEKDAYS:
        services = hours.weekday_services(day)
        if groups and groups[-1][1] == services:
            groups[-1][0].append(day)
        else:
            groups.append(([day], services))
    sentences: list[str] = []
    closed: list[str] = []
    for days, services in groups:
        if services:
            sentences.append(f"We are open {_day_range(days)} {sittings(hours, services, speak)}.")
        else:
            closed.extend(days)
    if closed:
        sentences.append(f"We are closed on {phrases.join_words([d.title() for d in closed])}.")
    return sentences


def exception_sentences(
    hours: OpeningHours,
    speak: Speak = phrases.speak_time,
    *,
    start: dt.date = dt.date.min,
    end: dt.date = dt.date.max,
) -> list[str]:
    """Closures and special hours from `start` to `end`, in date order: "On Friday, December
    25th, we are closed for Christmas Day." """
    sentences: list[str] = []
    for day in hours.exception_dates():
        if not start <= day <= end:
            continue
        services = hours.services(day)
        special = hours.special(day)
        when = f"On {speak_calendar_date(day)},"
        if services:
            if special is not None and special.reason:
                when += f" {special.reason},"
            sentences.append(f"{when} we are open {sittings(hours, services, speak)}.")
        else:
            reason = hours.closure_reason(day)
            sentences.append(f"{when} we are closed" + (f" for {reason}." if reason else "."))
    return sentences


def sittings(
    hours: OpeningHours, services: Sequence[Service], speak: Speak = phrases.speak_time
) -> str:
    """`"from 5 pm to 10 pm, with last seating at 9:30 pm"`, or each service by name."""
    if len(services) == 1:
        service = services[0]
        named = f"for {service.name} " if service.name else ""
        return (
            f"{named}from {speak(service.open)} to {speak(service.close)}, with last "
            f"seating at {speak(hours.last_seating(service))}"
        )
    parts = [
        f"for {name} from {speak(s.open)} to {speak(s.close)}, last seating at "
        f"{speak(hours.last_seating(s))}"
        for s, name in zip(services, name_services(services), strict=True)
    ]
    return f"{', '.join(parts[:-1])}, and {parts[-1]}"


def open_days_phrase(hours: OpeningHours) -> str:
    """The weekdays with a service: "Tuesday through Sunday", "Tuesday and Thursday through
    Sunday"; empty when none."""
    runs: list[list[str]] = []
    previous = -2
    for index, day in enumerate(WEEKDAYS):
        if not hours.weekday_services(day):
            continue
        if index == previous + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
        previous = index
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0].title()} through {run[-1].title()}")
        else:
            parts.extend(day.title() for day in run)
    return phrases.join_words(parts)


def speak_calendar_date(value: dt.date) -> str:
    """`"Friday, December 25th"`."""
    day = value.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{value.strftime('%A, %B')} {day}{suffix}"


def _day_range(days: list[str]) -> str:
    names = [d.title() for d in days]
    if len(names) >= 3:
        return f"{names[0]} to {names[-1]}"
    return f"on {phrases.join_words(names)}"
