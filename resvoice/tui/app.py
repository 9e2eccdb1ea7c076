"""`TalkApp`: the Textual app of `resvoice talk`. It renders one call's events in panels.

The app never runs the agent itself: a `CallFactory` hands it a `Call` (typed or voice), the app
runs it, feeds it the keyboard (and the microphone, in voice mode) and applies every event the
call publishes to the widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widgets import Footer, Header, Input
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from resvoice.agent.events import (
    AvailabilityChecked,
    BookingFailed,
    CallEnded,
    Escalated,
    NotepadUpdated,
    RagHits,
    ReplyCut,
    ReplyDelta,
    ReservationBooked,
    TurnCompleted,
)
from resvoice.tui.audio import MicSource
from resvoice.tui.call import Call
from resvoice.tui.widgets import (
    Conversation,
    EscalationPanel,
    LatencyPanel,
    NotepadPanel,
    RagPanel,
    StatusBar,
)
from resvoice.voice.events import (
    AgentSpeech,
    BargeIn,
    CallerSpeech,
    StateChanged,
    TurnLatency,
    VoiceEvent,
)

log = logging.getLogger(__name__)


@dataclass
class Mode:
    """How the app talks to the caller, and why: typed mode always says its reason."""

    kind: str  # "starting" (until the first call has picked), "typed" or "voice"
    reason: str = ""


@dataclass
class CallHandle:
    """A started call: what the app runs, the mode it runs in and, in voice mode, the
    microphone and where its audio goes."""

    call: Call
    conversation_id: str
    mode: Mode
    push_audio: Callable[[bytes], Awaitable[None]] | None = None
    mic: MicSource | None = None


CallFactory = Callable[[], Awaitable[CallHandle]]


class TalkApp(App[None]):
    """Conversation on the left, live panels on the right, one call at a time."""

    CSS_PATH = "talk.tcss"
    TITLE = "resvoice talk"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_call", "New call", priority=True),
        Binding("ctrl+e", "end_call", "End call", priority=True),
        Binding("ctrl+t", "toggle_panels", "Panels", priority=True),
        Binding("ctrl+k", "mute", "Mute mic", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    show_panels: reactive[bool] = reactive(True)
    muted: reactive[bool] = reactive(False)

    def __init__(self, new_call: CallFactory, mode: Mode | None = None) -> None:
        super().__init__()
        self._new_call = new_call
        self.mode = mode or Mode("starting")
        self._mic: MicSource | None = None
        self.handle: CallHandle | None = None
        self.calls_ended = 0  # how many calls this app has finished (tests wait on it)
        self._serving: Worker[None] | None = None
        self._switching = asyncio.Lock()

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="☎")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Conversation(id="conversation")
                yield StatusBar(id="status")
                yield Input(
                    placeholder="Type what the caller says, then Enter",
                    id="say",
                )
            with VerticalScroll(id="panels"):
                yield NotepadPanel(id="notepad")
                yield RagPanel(id="rag")
                yield EscalationPanel(id="escalation")
                yield LatencyPanel(id="latency")
        yield Footer()

    def on_mount(self) -> None:
        titles = {
            "#notepad": "Notepad",
            "#rag": "Retrieved (last turn)",
            "#escalation": "Escalation",
            "#latency": "Latency",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self._show_mode(self.mode)
        self.query_one(Input).focus()
        self.action_new_call()

    # --- actions ------------------------------------------------------------------------------

    def action_new_call(self) -> None:
        self.run_worker(self._restart(), group="switch", name="new call")

    async def action_end_call(self) -> None:
        await self.end_call("caller_hung_up")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # typed mode has no microphone: hide the mute key from the footer
        return action != "mute" or self.mode.kind == "voice"

    def action_toggle_panels(self) -> None:
        self.show_panels = not self.show_panels

    def action_mute(self) -> None:
        self.muted = not self.muted

    async def action_quit(self) -> None:
        await self.end_call("caller_hung_up")
        self.exit()

    async def end_call(self, reason: str) -> None:
        """Hang up the current call (it persists itself) and wait until it has finished."""
        handle = self.handle
        if handle is not None and not handle.call.ended:
            await handle.call.hangup(reason)
        if self._serving is not None:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await self._serving.wait()

    def watch_show_panels(self, show: bool) -> None:
        self.query_one("#panels").display = show

    def watch_muted(self, muted: bool) -> None:
        self.query_one(StatusBar).muted = muted

    # --- the caller typing (or keying) ------------------------------------------------------

    def on_input_submitted(self, message: Input.Submitted) -> None:
        text = message.value.strip()
        message.input.clear()
        handle = self.handle
        if not text:
            return
        if handle is None or handle.call.ended:
            self.notify("No call in progress: press ctrl+n for a new call.", severity="warning")
            return
        self.run_worker(self._typed(handle, text), group="turn", name="turn")

    async def _typed(self, handle: CallHandle, text: str) -> None:
        try:
            if is_keypad(text):
                await handle.call.dtmf(text)  # the phone's keypad: "4155550100#", "*", "0"
            else:
                await handle.call.typed(text)
        except Exception as exc:  # the call goes on; the screen says what went wrong
            log.exception("talk.turn_failed", extra={"conversation_id": handle.conversation_id})
            with contextlib.suppress(NoMatches):
                self.query_one(Conversation).note(f"that turn failed: {exc}")

    # --- running a call -----------------------------------------------------------------------

    async def _restart(self) -> None:
        async with self._switching:  # two quick ctrl+n never run two calls at once
            await self.end_call("new_call")
            self._reset_panels()
            try:
                handle = await self._new_call()
            except Exception as exc:
                log.exception("talk.call_failed_to_start")
                self.query_one(Conversation).note(f"could not start a call: {exc}")
                return
            self.handle = handle
            self.sub_title = handle.conversation_id
            self._show_mode(handle.mode)
            if handle.mic is not None and self._mic is None:
                self._mic = handle.mic
                self.run_worker(self._pump_mic(handle.mic), group="mic", name="mic")
            events = handle.call.events()  # subscribe before run() publishes the greeting
            self._serving = self.run_worker(self._serve(handle, events), group="call", name="call")

    async def _serve(self, handle: CallHandle, events: AsyncIterator[VoiceEvent]) -> None:
        runner = asyncio.create_task(handle.call.run())
        try:
            async for event in events:
                with contextlib.suppress(NoMatches):  # the screen is gone: the app is closing
                    self.apply(event)
                if isinstance(event, CallEnded):
                    break
            await runner
        except Exception as exc:
            log.exception("talk.call_failed", extra={"conversation_id": handle.conversation_id})
            with contextlib.suppress(NoMatches):
                self.query_one(Conversation).note(f"the call failed: {exc}")
        finally:
            if not runner.done():
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await runner
            self.calls_ended += 1
            with contextlib.suppress(NoMatches):
                self.query_one(StatusBar).state = "idle"

    async def _pump_mic(self, mic: MicSource) -> None:
        from resvoice.audio.level import rms_dbfs  # numpy: only voice mode pays for it

        status = self.query_one(StatusBar)
        async for frame in mic.frames():
            # a meter falls back slowly (60 dB a second) so the eye can follow speech
            fall = 60 * len(frame) / 2 / mic.sample_rate
            status.level_db = max(rms_dbfs(frame), status.level_db - fall, -120.0)
            handle = self.handle
            if self.muted or handle is None or handle.push_audio is None or handle.call.ended:
                continue
            await handle.push_audio(frame)

    def _show_mode(self, mode: Mode) -> None:
        self.mode = mode
        status = self.query_one(StatusBar)
        status.mode, status.reason = mode.kind, mode.reason
        if mode.kind == "voice":
            self.query_one(Input).placeholder = "Speak, or type what the caller says, then Enter"
        self.refresh_bindings()  # mute shows in voice mode only

    def _reset_panels(self) -> None:
        self.query_one(Conversation).reset()
        self.query_one(NotepadPanel).reset()
        self.query_one(RagPanel).reset()
        self.query_one(EscalationPanel).reset()
        self.query_one(LatencyPanel).reset()

    # --- rendering events ---------------------------------------------------------------------

    def apply(self, event: VoiceEvent) -> None:
        """Show one event of the call."""
        conversation = self.query_one(Conversation)
        match event:
            case StateChanged(state=state):
                self.query_one(StatusBar).state = state
            case CallerSpeech(text=text, final=final):
                if final:
                    conversation.caller(text)
                else:
                    conversation.partial = text
            case ReplyDelta(text=text):
                conversation.agent_delta(text)
            case ReplyCut(kept=kept):
                conversation.agent_withdraw(kept)
            case TurnCompleted():
                conversation.agent_done(event.reply)
                self.query_one(LatencyPanel).add_turn(event)
            case BargeIn(heard=heard):
                conversation.agent_cut(heard)
            case TurnLatency(figures=figures):
                self.query_one(LatencyPanel).add_voice(figures)
            case NotepadUpdated() | ReservationBooked():
                self.query_one(NotepadPanel).apply(event)
            case RagHits() | AvailabilityChecked():
                self.query_one(RagPanel).apply(event)
            case Escalated():
                self.query_one(EscalationPanel).apply(event)
            case BookingFailed(reason=reason):
                conversation.note(f"booking failed: {reason}")
            case CallEnded(reason=reason):
                conversation.note(f"call ended ({reason.replace('_', ' ')}); ctrl+n for a new one")
            case AgentSpeech():
                pass  # the reply text is already shown as it streams


def is_keypad(text: str) -> bool:
    """A typed line that is keypad keys, not words: only 0-9 * #, ending an entry with # or
    restarting it with *, or a lone 0 (ask for a person). "4" alone is a spoken four."""
    keys = text.replace(" ", "")
    return (
        bool(keys)
        and set(keys) <= set("0123456789*#")
        and ("#" in keys or "*" in keys or keys == "0")
    )
