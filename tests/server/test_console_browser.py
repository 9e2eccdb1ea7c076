"""The console in a real headless Chromium: an escalation made by a simulated call appears
without a reload and can be claimed. Needs Debian's `chromium` (CI installs it; elsewhere the
test skips when it is absent) and the playwright package (no browser download)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.board import escalation_view
from resvoice.server.context import ServerContext
from resvoice.server.sweep import sweep_overdue_transfers
from resvoice.storage.records import EscalationRecord
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import TwilioPeer
from tests.server.conftest import AUTH_TOKEN, CONSOLE_TOKEN
from tests.server.harness import Console, ToneTTS, speech, voice_factory

if TYPE_CHECKING:
    from playwright.async_api import Route

CHROMIUM = os.environ.get("RESVOICE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HANG_GUARD_S = 30  # only stops a broken page from hanging the run; nothing is timed
FUTURE = dt.datetime(2031, 6, 3, 19, 0, tzinfo=dt.UTC)  # a deadline the real clock never passes
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_or_skip() -> None:
    missing = []
    if shutil.which(CHROMIUM) is None:
        missing.append(f"chromium ({CHROMIUM})")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing.append("playwright")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (.ci/run does)")
        pytest.skip(f"needs {', '.join(missing)}")


async def test_escalation_appears_live_and_is_claimed(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    _browser_or_skip()
    from playwright.async_api import async_playwright

    line = "John Smith, party of four, Saturday at seven pm"
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT([line]), ToneTTS()))
    console = Console(ctx.hub)
    sid = "CA" + "c0" * 16
    ARTIFACTS.mkdir(exist_ok=True)
    async with serving(create_app(ctx)) as base, async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 860})
        await page.goto(f"{base}/console?token={CONSOLE_TOKEN}")
        assert page.url == f"{base}/console"  # the token left the URL for a cookie
        await page.wait_for_selector("#status.live")
        assert await page.locator(".escalation").count() == 0

        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await page.wait_for_selector(f"#call-{sid}")  # the live call shows up by itself
        await console.replied(sid, 1)
        await peer.say(await speech(line))
        await console.replied(sid, 2)
        await peer.dtmf("0")  # the caller asks for a person
        card = page.locator(".escalation").first
        await card.wait_for()
        text = await card.inner_text()
        assert "user requested" in text
        assert "John Smith" in text  # the notepad
        assert "Missing: phone" in text
        await page.locator("summary", has_text="Transcript").first.click()
        assert line in await card.inner_text()
        await page.screenshot(path=str(ARTIFACTS / "console.png"), full_page=True)

        await card.locator("button", has_text="Claim").click()
        await page.wait_for_selector(".escalation[data-status=claimed]")
        assert await card.locator("button").is_disabled()
        await page.screenshot(path=str(ARTIFACTS / "console-claimed.png"), full_page=True)

        # another server process on this database escalates a call: it shows up by itself;
        # then a colleague there claims it first, and this page's claim is refused with a reason
        other = await runtime.storage.create_escalation(
            EscalationRecord(conversation_id="CA-other", reason="frustrated")
        )
        late = page.locator(f"#escalation-{other.id}")
        await late.wait_for()
        ben_claimed: list[bool] = []

        async def colleague_first(route: Route) -> None:
            # ben claims once this page has sent its claim, so the page cannot have heard of
            # it yet and the button is still there to click (no race with the feed)
            ben_claimed.append(await runtime.storage.claim_escalation("ben", other.id) is not None)
            await route.continue_()

        await page.route(f"**/console/escalations/{other.id}/claim", colleague_first)
        await late.locator("button", has_text="Claim").click()
        await late.locator(".notice", has_text="already claimed by ben").wait_for()
        await page.locator(f"#escalation-{other.id}[data-status=claimed]").wait_for()
        assert ben_claimed == [True]
        assert "Claimed by ben" in await late.locator("button").inner_text()
        await browser.close()
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    [row] = await runtime.storage.escalations(sid)
    assert row.status == "claimed"


async def test_a_second_console_follows_claims_and_sweeps_made_elsewhere(
    make_ctx: Callable[..., ServerContext], runtime: Runtime, settings: Settings, seeded_url: str
) -> None:
    """Two server processes on one database, a console on each: what staff or the transfer
    sweep change through one shows up on the other page without a reload."""
    _browser_or_skip()
    from playwright.async_api import async_playwright

    elsewhere = await Runtime.open(settings, seeded_url)  # the second process
    ours, theirs = make_ctx(), make_ctx(runtime=elsewhere)
    waiting = await runtime.storage.create_escalation(
        EscalationRecord(conversation_id="CA-wait", reason="frustrated")
    )
    lost = await runtime.storage.create_escalation(
        EscalationRecord(conversation_id="CA-lost", reason="user_requested")
    )
    assert waiting.id is not None and lost.id is not None
    await runtime.storage.set_transfer_deadline(lost.id, FUTURE)  # the sweep is told the time
    await runtime.storage.update_escalation(lost.id, "transferred")
    try:
        async with (
            serving(create_app(ours)) as our_url,
            serving(create_app(theirs)) as their_url,
            async_playwright() as playwright,
        ):
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=FLAGS
            )
            mine, other = await browser.new_page(), await browser.new_page()
            for page, base in ((mine, our_url), (other, their_url)):
                await page.goto(f"{base}/console?token={CONSOLE_TOKEN}")
                await page.wait_for_selector("#status.live")
            card = other.locator(f"#escalation-{waiting.id}")
            await card.locator("button", has_text="Claim").wait_for()
            swept = other.locator(f"#escalation-{lost.id}")
            assert await swept.get_attribute("data-status") == "transferred"
            assert await swept.locator("button").is_disabled()

            # staff claim on this server; the other console shows it by itself
            await mine.locator(f"#escalation-{waiting.id} button", has_text="Claim").click()
            await other.locator(f"#escalation-{waiting.id}[data-status=claimed]").wait_for()
            assert await card.locator("button").is_disabled()
            assert "Claimed by staff" in await card.locator("button").inner_text()

            # the transfer's outcome never came: this server's sweep fails it, and the other
            # console offers it for a call back
            overdue = FUTURE + dt.timedelta(minutes=5)
            assert len(await sweep_overdue_transfers(runtime.storage, ours.metrics, overdue)) == 1
            await other.locator(f"#escalation-{lost.id}[data-status=failed]").wait_for()
            assert "call the guest back" in await swept.inner_text()
            await swept.locator("button", has_text="Claim").click()
            await mine.locator(f"#escalation-{lost.id}[data-status=claimed]").wait_for()
            await other.screenshot(path=str(ARTIFACTS / "console-second.png"), full_page=True)
            await browser.close()
    finally:
        await elsewhere.close()
    [row] = await runtime.storage.escalations("CA-lost")
    assert (row.status, row.claimed_by) == ("claimed", "staff")


async def test_cards_are_patched_in_place_and_a_claim_in_flight_disables_its_button(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    """An update changes only the card it is about, in place: the claim button (and an opened
    transcript) stay the same elements through other updates, so a click never lands on a
    button that was swapped away; an older state never overwrites a newer one; and while a
    claim request is in flight its button is disabled and says so."""
    _browser_or_skip()
    from playwright.async_api import async_playwright

    ctx = make_ctx()
    row = await runtime.storage.create_escalation(
        EscalationRecord(conversation_id="CA-one", reason="frustrated", detail="first detail")
    )
    assert row.id is not None and row.updated_at is not None
    selector = f"#escalation-{row.id} button"
    async with serving(create_app(ctx)) as base, async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        page = await browser.new_page()
        await page.goto(f"{base}/console?token={CONSOLE_TOKEN}")
        await page.wait_for_selector("#status.live")
        card = page.locator(f"#escalation-{row.id}")
        button = page.locator(selector)
        await button.wait_for()
        first = await button.element_handle()
        assert await page.locator("#escalations[aria-live=polite]").count() == 1
        assert await button.get_attribute("aria-label") == f"Claim: escalation #{row.id}"
        await card.locator("summary").click()
        assert await card.locator("details").get_attribute("open") is not None

        view = escalation_view(row)
        call = {"call": "CA-live", "caller": "+1555", "state": "listening", "notepad": {}}
        call |= {"missing": [], "escalation": None, "transcript": []}
        ctx.hub.publish("call", call)
        ctx.hub.publish("escalation", {**view, "id": row.id + 1, "detail": "another"})
        ctx.hub.publish("escalation", {**view, "detail": "guest at the door"})
        earlier = (row.updated_at - dt.timedelta(minutes=1)).isoformat()
        older = {**view, "detail": "stale detail", "updated_at": earlier}
        ctx.hub.publish("escalation", older)  # delivered late: dropped
        said = [{"role": "user", "text": "the last update"}]
        ctx.hub.publish("call", {**call, "state": "thinking", "transcript": said})
        # the hub delivers in order: once the last update shows, every one before it is in
        await page.locator("#call-CA-live", has_text="the last update").wait_for()
        await page.locator(f"#escalation-{row.id + 1}").wait_for()
        text = await card.inner_text()
        assert "guest at the door" in text and "stale detail" not in text
        assert await card.locator("details").get_attribute("open") is not None
        same = "(node, selector) => node.isConnected && node === document.querySelector(selector)"
        assert await first.evaluate(same, selector)

        held, release = asyncio.Event(), asyncio.Event()

        async def hold(route: Route) -> None:
            held.set()
            await release.wait()
            await route.continue_()

        await page.route(f"**/console/escalations/{row.id}/claim", hold)
        await button.click()
        await asyncio.wait_for(held.wait(), HANG_GUARD_S)
        assert await button.is_disabled()
        assert await button.get_attribute("aria-busy") == "true"
        release.set()
        await page.locator(f"{selector}[aria-busy=false]").wait_for()
        await page.locator(f"#escalation-{row.id}[data-status=claimed]").wait_for()
        assert await button.is_disabled()
        assert await button.inner_text() == "Claimed by staff"
        assert await first.evaluate(same, selector)
        await browser.close()
    [stored] = await runtime.storage.escalations("CA-one")
    assert (stored.status, stored.claimed_by) == ("claimed", "staff")
