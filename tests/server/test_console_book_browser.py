"""The console's Bookings view in a real headless Chromium (Debian's `chromium` through
Playwright, as the console test): a booking made by a call on another server process appears
without a reload, and a staff cancel from the page is texted to the guest through Twilio."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest
from tests.server.book_helpers import (
    CALLER,
    SMS_ACCOUNT,
    SMS_TOKEN,
    call_books,
    sms_settings,
    wednesday_ahead,
)
from tests.server.conftest import CONSOLE_TOKEN
from tests.server.test_console_browser import ARTIFACTS, CHROMIUM, FLAGS, _browser_or_skip


async def test_a_call_booking_appears_live_and_a_staff_cancel_texts_the_guest(
    make_ctx: Callable[..., ServerContext],
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    seeded_url: str,
) -> None:
    _browser_or_skip()
    from playwright.async_api import async_playwright

    wednesday = wednesday_ahead()
    twilio = FakeTwilioRest(SMS_ACCOUNT, SMS_TOKEN)
    elsewhere = await Runtime.open(settings, seeded_url)  # another server process, no Twilio
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        async with (
            serving(twilio.app()) as api,
            await Runtime.open(sms_settings(monkeypatch, api), seeded_url) as runtime,
        ):
            ctx = make_ctx(runtime=runtime)
            async with serving(create_app(ctx)) as base, async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=FLAGS
                )
                page = await browser.new_page(viewport={"width": 1400, "height": 900})
                await page.goto(f"{base}/console?token={CONSOLE_TOKEN}")
                await page.wait_for_selector("#status.live")
                await page.fill("#day", wednesday.isoformat())
                await page.locator("#bookings .empty").wait_for()  # that day is empty
                assert await page.locator(".booking").count() == 0

                # a caller books on the other process: the card shows up by itself
                booked = await call_books(elsewhere, wednesday)
                card = page.locator(f"#booking-{booked}")
                await card.wait_for()
                text = await card.inner_text()
                assert "19:30" in text and "Nora Quinn" in text and "party of 2" in text
                assert await card.get_attribute("data-status") == "booked"
                await page.locator("summary", has_text="History").first.click()
                assert "book by caller" in await card.inner_text()
                await page.screenshot(path=str(ARTIFACTS / "console-book.png"), full_page=True)

                # a move the rules refuse says why and changes nothing
                await card.locator("input[type=time]").fill("23:30")
                await card.locator("button", has_text="Move").click()
                await card.locator(".notice", has_text="Not changed").wait_for()
                assert await card.get_attribute("data-status") == "booked"

                # staff cancel it: the card says so, the history says by whom, the guest is texted
                await card.locator("button", has_text="Cancel booking").click()
                await page.locator(f"#booking-{booked}[data-status=cancelled]").wait_for()
                await card.locator(".done", has_text="texting the guest").wait_for()
                assert "cancel by staff" in await card.inner_text()
                # once Twilio took the text, the card says so by itself
                await card.locator(".texts", has_text=f"sent to {CALLER}").wait_for()
                assert await card.locator("button", has_text="Cancel booking").is_disabled()
                await page.screenshot(
                    path=str(ARTIFACTS / "console-book-cancelled.png"), full_page=True
                )
                await browser.close()
            assert ctx.staff_book is not None
            await ctx.staff_book.settle()
    finally:
        await elsewhere.close()
    [message] = twilio.messages
    assert message.params["To"] == CALLER
    assert "cancelled" in message.params["Body"] and "Olive & Ember" in message.params["Body"]
