"""Shared by the console book tests: a day a week or more ahead, a booking made by a typed call
on another runtime (another server process, as far as storage knows), Twilio settings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.messenger import RecordingMessenger
from resvoice.config import Settings
from resvoice.runtime import Runtime

CALLER = "+14155550122"
SMS_ACCOUNT = "AC" + "6" * 32
SMS_TOKEN = "console-book-token"
SMS_FROM = "+14155550000"


def wednesday_ahead() -> dt.date:
    """A Wednesday at least a week after the restaurant's today (the staff's clock)."""
    day = dt.datetime.now(ZoneInfo("America/New_York")).date() + dt.timedelta(weeks=1)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


async def call_books(runtime: Runtime, wednesday: dt.date) -> int:
    """A caller books a table for two that Wednesday at 7:30 PM; returns the reservation id."""
    monday = dt.datetime.combine(wednesday - dt.timedelta(days=2), dt.time(15, 30))
    session = runtime.session(
        caller_id=CALLER,
        clock=FixedClock.at(monday, runtime.profile.restaurant.timezone),
        messenger=RecordingMessenger(),
    )
    async for _ in session.start():
        pass
    for line in (
        "Hi, a table for two on Wednesday at 7:30 please, name is Nora Quinn",
        "Yes, the number I'm calling from",
        "Yes please",
    ):
        async for _ in session.turn(line):
            pass
    await session.end()
    assert session.state.reservation_id is not None
    return session.state.reservation_id


def sms_settings(monkeypatch: pytest.MonkeyPatch, api_url: str) -> Settings:
    for name, value in {
        "TWILIO_ACCOUNT_SID": SMS_ACCOUNT,
        "TWILIO_AUTH_TOKEN": SMS_TOKEN,
        "TWILIO_PHONE_NUMBER": SMS_FROM,
        "RESVOICE_TWILIO_API_URL": api_url,
    }.items():
        monkeypatch.setenv(name, value)
    return Settings()
