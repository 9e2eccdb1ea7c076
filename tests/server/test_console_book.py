"""The console's book API: the day's reservations, staff changes with the CLI's rules, texts,
and every change published to the console feed (by this server, or by any process)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from resvoice.storage.records import ReservationEdit
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest
from tests.server.book_helpers import (
    CALLER,
    SMS_ACCOUNT,
    SMS_FROM,
    SMS_TOKEN,
    call_books,
    sms_settings,
    wednesday_ahead,
)
from tests.server.conftest import CONSOLE_TOKEN

AUTH = {"Authorization": f"Bearer {CONSOLE_TOKEN}"}


async def test_staff_change_the_day_through_the_api_and_the_guest_is_texted(
    make_ctx: Callable[..., ServerContext],
    monkeypatch: pytest.MonkeyPatch,
    seeded_url: str,
) -> None:
    wednesday = wednesday_ahead()
    twilio = FakeTwilioRest(SMS_ACCOUNT, SMS_TOKEN)
    async with (
        serving(twilio.app()) as api,
        await Runtime.open(sms_settings(monkeypatch, api), seeded_url) as runtime,
    ):
        reservation_id = await call_books(runtime, wednesday)
        reservation = await runtime.storage.reservation(reservation_id)
        assert reservation is not None
        code = reservation.code
        ctx = make_ctx(runtime=runtime)
        async with serving(create_app(ctx)) as base, httpx.AsyncClient(base_url=base) as stranger:
            assert (await stranger.get("/console/bookings")).status_code == 401
            refused = await stranger.post(f"/console/bookings/{code}/cancel", json={})
            assert refused.status_code == 401
            cookie = {"Cookie": f"resvoice_console={CONSOLE_TOKEN}"}
            forged = await stranger.post(
                f"/console/bookings/{code}/cancel",
                json={},
                headers={**cookie, "Origin": "https://evil.example"},
            )
            assert forged.status_code == 403  # a cookie from another site's page changes nothing
            async with httpx.AsyncClient(base_url=base, headers=AUTH) as client:
                day = (await client.get(f"/console/bookings?date={wednesday}")).json()
                [shown] = day["reservations"]
                assert (shown["code"], shown["name"], shown["time"]) == (
                    code,
                    "Nora Quinn",
                    "19:30",
                )
                assert shown["changeable"] and shown["made_by"] == "phone"
                assert (await client.get("/console/bookings?date=soon")).status_code == 400
                unknown = await client.post("/console/bookings/ZZZZZZ/cancel", json={})
                assert unknown.status_code == 404 and "ZZZZZZ" in unknown.json()["error"]
                late = await client.post(f"/console/bookings/{code}/move", json={"time": "23:30"})
                assert late.status_code == 409 and "not moved" in late.json()["error"]
                bad = await client.post(f"/console/bookings/{code}/move", json={"when": "now"})
                assert bad.status_code == 400
                noted = await client.post(
                    f"/console/bookings/{code}/note", json={"note": "birthday", "text": False}
                )
                assert noted.status_code == 200 and noted.json()["text"] is None
                done = await client.post(f"/console/bookings/{code}/cancel", json={})
                assert done.status_code == 200, done.text
                assert done.json()["reservation"]["status"] == "cancelled"
                assert done.json()["text"] == {"sent": True, "error": None}
                again = await client.post(f"/console/bookings/{code}/cancel", json={})
                assert again.status_code == 409 and "cancelled" in again.json()["error"]
        assert ctx.staff_book is not None
        await ctx.staff_book.settle()
    [message] = twilio.messages
    assert message.params["To"] == CALLER and message.params["From"] == SMS_FROM
    assert "cancelled" in message.params["Body"] and code in message.params["Body"]


async def test_a_booking_by_another_process_reaches_the_feed(
    make_ctx: Callable[..., ServerContext], runtime: Runtime, settings: Settings, seeded_url: str
) -> None:
    ctx = make_ctx()
    seen: list[dict[str, Any]] = []
    changed = asyncio.Event()
    async with serving(create_app(ctx)):  # the app's lifespan relays the book's feed
        subscription = ctx.hub.subscribe()

        async def follow() -> None:
            while (update := await subscription.get()) is not None:
                if update.kind == "reservation":
                    seen.append(update.data)
                    changed.set()

        task = asyncio.create_task(follow())
        elsewhere = await Runtime.open(settings, seeded_url)
        try:
            wednesday = wednesday_ahead()
            booked = await _book_until_seen(elsewhere, wednesday, changed)
        finally:
            await elsewhere.close()
        task.cancel()
    mine = [view for view in seen if view["id"] == booked]
    assert mine and mine[-1]["name"] == "Nora Quinn" and mine[-1]["date"] == wednesday.isoformat()
    assert mine[-1]["changes"][0]["kind"] == "book"


async def _book_until_seen(runtime: Runtime, wednesday: dt.date, changed: asyncio.Event) -> int:
    """A call books; should the app's feed not be listening yet, the booking is noted again
    until the feed names it (the relay starts with the app, concurrently with this)."""
    booked = await call_books(runtime, wednesday)
    for attempt in range(40):
        try:
            await asyncio.wait_for(changed.wait(), 0.5)
            return booked
        except TimeoutError:
            edit = ReservationEdit(special_requests=f"nudge {attempt}")
            await runtime.storage.change_reservation(booked, edit, sitting_minutes=90)
    raise AssertionError("the feed never named the booking")
