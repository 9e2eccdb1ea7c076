"""`resvoice talk` in typed mode, driven headless by Textual's Pilot through whole calls."""

from __future__ import annotations

from rich.console import Console
from textual.widget import Widget
from textual.widgets import Input

from resvoice.agent.clock import FixedClock
from resvoice.runtime import Runtime
from resvoice.tui.app import CallHandle, Mode, TalkApp
from resvoice.tui.audio import AudioUnavailable
from resvoice.tui.call import TypedCall
from resvoice.tui.launch import Calls, VoiceKit, numbered_ids
from resvoice.tui.widgets import (
    Conversation,
    EscalationPanel,
    LatencyPanel,
    NotepadPanel,
    RagPanel,
    StatusBar,
)
from tests.tui.conftest import MONDAY, SIZE, agent_lines, greeted, say, typed_app, until


def shown(widget: Widget, width: int = 60) -> str:
    """The text a panel draws on screen."""
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.render())
    return console.export_text()


def fields(app: object) -> dict[str, tuple[str, str]]:
    panel = app.query_one(NotepadPanel)  # type: ignore[attr-defined]
    return {label: (value, status) for label, value, status in panel.rows()}


async def test_a_whole_booking_fills_the_notepad_field_by_field(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        assert "Olive & Ember" in agent_lines(app)[0]
        assert app.sub_title == "talk-test-1"
        status = app.query_one(StatusBar)
        assert status.mode == "typed" and status.reason == "--text given"
        assert fields(app)["name"] == ("", "missing")

        await say(pilot, "Hi, I'd like to book a table for four")
        assert fields(app)["party"] == ("4", "✓")
        assert fields(app)["name"][1] == "missing"

        await say(pilot, "This Saturday at seven pm")
        assert fields(app)["date"] == ("2026-02-07", "✓")
        assert fields(app)["time"] == ("19:00", "✓")

        reply = await say(pilot, "John Smith")
        assert fields(app)["name"] == ("John Smith", "✓")
        assert "phone" in reply

        await say(pilot, "It's 555 123 4567")
        assert fields(app)["phone"] == ("+15551234567", "✓")
        assert "John Smith" in shown(app.query_one(NotepadPanel))

        reply = await say(pilot, "Yes, please book it")
        assert "all set" in reply
        notepad = app.query_one(NotepadPanel)
        assert notepad.booking.startswith("booked #")
        assert "booked #" in shown(notepad)
        assert app.query_one(EscalationPanel).state == "none"
        assert len(app.query_one(LatencyPanel).turns) == 6  # greeting + five turns

        roles = [role for role, _ in app.query_one(Conversation).lines()]
        assert roles == ["agent"] + ["caller", "agent"] * 5
        await pilot.press("ctrl+q")

    saved = await runtime.storage.load_session("talk-test-1")
    assert saved is not None and saved.metadata.ended is True
    assert saved.metadata.reservation_id is not None
    assert saved.notepad["name"] == "John Smith"
    assert [line.role for line in saved.transcript][:3] == ["agent", "caller", "agent"]


async def test_validation_problems_show_beside_the_field(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        await say(pilot, "A table for two on Monday at 7pm")  # the demo restaurant shuts Mondays
        value, status = fields(app)["date"]
        assert value == "" and status.startswith("⚠")
        assert "⚠" in shown(app.query_one(NotepadPanel))


async def test_a_menu_question_shows_what_was_retrieved(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        rag = app.query_one(RagPanel)
        assert rag.rows() == []
        reply = await say(pilot, "What vegan dishes do you have?")
        assert rag.intent == "menu"
        rows = rag.rows()
        assert rows and all(source == "menu" for source, _, _ in rows)
        titles = [title for _, title, _ in rows]
        assert "Vegan Garden Pizza" in titles and "Vegan Garden Pizza" in reply
        assert all(float(score) > 0 for _, _, score in rows)
        assert "Vegan Garden Pizza" in shown(rag, width=80)

        await say(pilot, "Can I bring my dog?")
        assert rag.rows()[0][:2] == ("policy", "Dogs and pets")


async def test_asking_for_a_person_changes_the_escalation_state(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        panel = app.query_one(EscalationPanel)
        assert panel.state == "none" and "no hand-off" in shown(panel)
        await say(pilot, "I'd like to book for 4 on Friday")
        reply = await say(pilot, "Let me talk to a person")
        assert "transferring" in reply
        assert panel.state == "transferred"
        assert panel.reason == "user_requested"
        assert "name" in panel.missing
        assert "transferred" in shown(panel) and "user requested" in shown(panel)

    escalations = await runtime.storage.escalations("talk-test-1")
    assert [e.reason for e in escalations] == ["user_requested"]


async def test_new_call_persists_the_old_one_and_starts_afresh(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        await say(pilot, "Party of 3 on Friday")
        assert fields(app)["party"] == ("3", "✓")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.sub_title == "talk-test-2", "the second call")
        await greeted(pilot)
        assert fields(app)["party"] == ("", "missing")
        assert len(app.query_one(Conversation).lines()) == 1  # just the new greeting
        first = await runtime.storage.load_session("talk-test-1")
        assert first is not None and first.metadata.ended is True
        assert first.metadata.ended_reason == "new_call"


async def test_end_call_then_typing_is_refused_until_a_new_call(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: app.calls_ended == 1, "the call to end")
        lines = app.query_one(Conversation).lines()
        assert lines[-1][0] == "system" and "call ended" in lines[-1][1]
        app.query_one("#say").value = "hello?"  # type: ignore[attr-defined]
        await pilot.press("enter")
        assert app.query_one(Conversation).lines() == lines  # nothing reached a dead call
    saved = await runtime.storage.load_session("talk-test-1")
    assert saved is not None and saved.metadata.ended_reason == "caller_hung_up"


async def test_panels_toggle_and_typed_mode_hides_mute(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        panels = app.query_one("#panels")
        assert panels.display
        await pilot.press("ctrl+t")
        assert not panels.display
        await pilot.press("ctrl+t")
        assert panels.display
        footer_keys = {binding.action for (_, binding, enabled, _) in app.active_bindings.values()}
        assert {"new_call", "end_call", "toggle_panels", "quit"} <= footer_keys
        assert "mute" not in footer_keys  # typed mode: no microphone to mute


async def test_without_a_voice_setup_it_falls_back_to_typed_mode_with_the_reason(
    runtime: Runtime,
) -> None:
    async def setup() -> VoiceKit:
        raise AudioUnavailable("no microphone found")

    app = TalkApp(Calls(runtime, voice=setup, ids=numbered_ids("fallback")))
    async with app.run_test(size=SIZE) as pilot:
        status = app.query_one(StatusBar)
        await until(pilot, lambda: status.reason == "no microphone found", "typed mode")
        assert status.mode == "typed"
        await until(pilot, lambda: bool(app.query_one(Conversation).lines()), "the greeting")
        await pilot.press("ctrl+q")
    saved = await runtime.storage.load_session("fallback-1")
    assert saved is not None and saved.metadata.ended is True


async def test_closing_the_app_mid_call_does_not_break_it(runtime: Runtime) -> None:
    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        app.query_one("#say", Input).value = "Table for two on Friday"
        await pilot.press("enter")  # and the app closes while the turn may still run
    assert app.return_code in (None, 0)
    handle = app.handle
    assert handle is not None and not handle.call.ended
    await handle.call.hangup("app_closed")  # what `resvoice talk` does after the app exits
    saved = await runtime.storage.load_session("talk-test-1")
    assert saved is not None and saved.metadata.ended_reason == "app_closed"


async def test_a_failing_turn_is_reported_and_the_call_goes_on(runtime: Runtime) -> None:
    class Flaky(TypedCall):
        async def typed(self, text: str) -> None:
            if text == "boom":
                raise RuntimeError("the brain fell over")
            await super().typed(text)

    ids = numbered_ids("flaky")

    async def new_call() -> CallHandle:
        conversation_id = next(ids)
        clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
        agent = runtime.session(conversation_id=conversation_id, clock=clock)
        return CallHandle(Flaky(agent), conversation_id, Mode("typed", "--text given"))

    app = TalkApp(new_call)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        app.query_one("#say", Input).value = "boom"
        await pilot.press("enter")
        conversation = app.query_one(Conversation)
        await until(pilot, lambda: "failed" in conversation.lines()[-1][1], "the note")
        assert conversation.lines()[-1] == ("system", "that turn failed: the brain fell over")
        reply = await say(pilot, "Table for two on Friday")
        assert fields(app)["party"] == ("2", "✓") and reply


async def test_a_reply_that_broke_off_shows_only_what_stands(runtime: Runtime) -> None:
    from resvoice.agent.events import ReplyCut, ReplyDelta

    app = typed_app(runtime)
    async with app.run_test(size=SIZE) as pilot:
        await greeted(pilot)
        for event in (
            ReplyDelta("Four on Saturday works. "),
            ReplyDelta("Could I "),
            ReplyCut(kept="Four on Saturday works.", dropped="Could I"),
            ReplyDelta(" Sorry, let me put that another way. What name is it under?"),
        ):
            app.apply(event)
        await pilot.pause()
        assert agent_lines(app)[-1] == (
            "Four on Saturday works. Sorry, let me put that another way. What name is it under?"
        )
