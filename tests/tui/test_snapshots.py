"""SVG snapshots of the main screen of `resvoice talk`, compared with the ones in `snapshots/`.

The clock, conversation ids and latency figures are pinned, so a difference is a real change
of what the screen shows. After an intended change, regenerate with
`RESVOICE_UPDATE_SNAPSHOTS=1 python -m pytest tests/tui/test_snapshots.py` and look at the SVGs.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input

from resvoice.runtime import Runtime
from resvoice.tui.app import TalkApp
from tests.tui.conftest import SIZE, greeted, say, steady_app

SNAPSHOTS = Path(__file__).parent / "snapshots"


def compare(app: TalkApp, name: str, tmp_path: Path) -> None:
    svg = app.export_screenshot(title="resvoice talk")
    expected = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("RESVOICE_UPDATE_SNAPSHOTS") == "1" or (
        not expected.exists() and not os.environ.get("CI")
    ):
        SNAPSHOTS.mkdir(exist_ok=True)
        expected.write_text(svg, encoding="utf-8")
    actual = tmp_path / f"{name}.svg"
    actual.write_text(svg, encoding="utf-8")
    assert svg == expected.read_text(encoding="utf-8"), (
        f"the screen changed: compare {actual} with {expected}"
    )


async def test_main_screen_mid_booking(runtime: Runtime, tmp_path: Path) -> None:
    app = steady_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(Input).cursor_blink = False
        await greeted(pilot)
        await say(pilot, "Hi, what vegan dishes do you have?")
        await say(pilot, "John Smith, party of four, Saturday at seven pm")
        await pilot.pause()
        compare(app, "main_mid_booking", tmp_path)


async def test_main_screen_after_a_hand_off(runtime: Runtime, tmp_path: Path) -> None:
    app = steady_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(Input).cursor_blink = False
        await greeted(pilot)
        await say(pilot, "I'd like to book for 4 on Friday")
        await say(pilot, "Let me talk to a person")
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
        compare(app, "main_after_hand_off", tmp_path)
