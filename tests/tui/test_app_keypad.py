"""`resvoice talk`: keypad keys typed as a line ("4155550100#") reach the agent as DTMF."""

from __future__ import annotations

from resvoice.runtime import Runtime
from resvoice.tui.app import is_keypad
from tests.tui.conftest import SIZE, greeted, say, typed_app


def test_only_keypad_lines_are_keys() -> None:
    assert is_keypad("4155550100#") and is_keypad("*") and is_keypad("0")
    assert is_keypad("415 555 0100 #")
    assert not is_keypad("4") and not is_keypad("415 555 0100") and not is_keypad("four#")


async def test_a_number_keyed_in_talk_fills_the_phone(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        await say(pilot, "A table for 2 on Saturday at 7pm")
        reply = await say(pilot, "Ada Lovelace")
        assert "keypad" in reply
        reply = await say(pilot, "4155550100#")
        assert reply.startswith("Let me read that back")
        handle = app.handle
        assert handle is not None
        assert handle.call.agent.state.notepad.phone == "+14155550100"  # type: ignore[attr-defined]
