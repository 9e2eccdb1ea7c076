"""The console in a real headless Chromium: an escalation made by a simulated call appears
without a reload and can be claimed. Needs Debian's `chromium` (CI installs it; elsewhere the
test skips when it is absent) and the playwright package (no browser download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import TwilioPeer
from tests.server.conftest import AUTH_TOKEN, CONSOLE_TOKEN
from tests.server.harness import Console, ToneTTS, speech, voice_factory

CHROMIUM = os.environ.get("RESVOICE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
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
        await browser.close()
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    [row] = await runtime.storage.escalations(sid)
    assert row.status == "claimed"
