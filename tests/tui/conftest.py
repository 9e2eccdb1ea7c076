"""Helpers for driving `resvoice talk` headless: a typed app on the seeded demo restaurant."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import RagHits, TurnCompleted
from resvoice.runtime import Runtime
from resvoice.tui.app import CallHandle, Mode, TalkApp
from resvoice.tui.call import Call
from resvoice.tui.launch import numbered_ids, typed_calls
from resvoice.tui.widgets import Conversation
from resvoice.voice.events import VoiceEvent

MONDAY = dt.datetime(2026, 2, 2, 15, 30)
SIZE = (120, 36)


def typed_app(runtime: Runtime, prefix: str = "talk-test") -> TalkApp:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    calls = typed_calls(runtime, clock=clock, ids=numbered_ids(prefix))
    return TalkApp(calls, Mode("typed", "--text given"))


async def until(pilot: Pilot[None], predicate: Callable[[], bool], what: str = "") -> None:
    """Let the app run until `predicate` holds (the bound only turns a hang into a failure)."""
    try:
        async with asyncio.timeout(20):
            while not predicate():
                await pilot.pause()
    except TimeoutError:
        raise AssertionError(f"the app never got there: {what}") from None


def agent_lines(app: TalkApp) -> list[str]:
    return [text for role, text in app.query_one(Conversation).lines() if role == "agent"]


async def greeted(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, TalkApp)
    await until(pilot, lambda: len(agent_lines(app)) >= 1, "the greeting")
    await until(pilot, lambda: app.query_one("#status").state == "listening", "listening")  # type: ignore[attr-defined]


async def say(pilot: Pilot[None], text: str) -> str:
    """Type a caller line, press Enter, wait for the agent's reply; returns the reply."""
    app = pilot.app
    assert isinstance(app, TalkApp)
    before = len(agent_lines(app))
    field = app.query_one("#say", Input)
    field.value = text
    await pilot.press("enter")
    await until(pilot, lambda: len(agent_lines(app)) > before, f"a reply to {text!r}")
    await until(pilot, lambda: app.query_one("#status").state == "listening", "listening")  # type: ignore[attr-defined]
    return agent_lines(app)[-1]


@pytest.fixture
def size() -> tuple[int, int]:
    return SIZE


class SteadyCall:
    """A call whose latency figures are fixed, so screenshots of it are the same every run."""

    def __init__(self, call: Call) -> None:
        self._call = call

    @property
    def ended(self) -> bool:
        return self._call.ended

    async def run(self) -> None:
        await self._call.run()

    async def typed(self, text: str) -> None:
        await self._call.typed(text)

    async def dtmf(self, digits: str) -> None:
        await self._call.dtmf(digits)

    async def hangup(self, reason: str = "hangup") -> None:
        await self._call.hangup(reason)

    def events(self) -> AsyncIterator[VoiceEvent]:
        return self._steady(self._call.events())

    async def _steady(self, events: AsyncIterator[VoiceEvent]) -> AsyncIterator[VoiceEvent]:
        async for event in events:
            if isinstance(event, TurnCompleted | RagHits):
                event = dataclasses.replace(event, latency_ms=4.0)
            yield event


def steady_app(runtime: Runtime, prefix: str = "snap") -> TalkApp:
    clock = FixedClock.at(MONDAY, runtime.profile.restaurant.timezone)
    calls = typed_calls(runtime, clock=clock, ids=numbered_ids(prefix))

    async def new_call() -> CallHandle:
        handle = await calls()
        return dataclasses.replace(handle, call=SteadyCall(handle.call))

    return TalkApp(new_call, Mode("typed", "--text given"))
