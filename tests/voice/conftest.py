"""A running voice call on the seeded demo restaurant with scripted providers."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime
from resvoice.voice.events import StateChanged
from resvoice.voice.session import VoiceConfig, VoiceSession
from tests.fakes.voice import EventLog, ManualTimer, RecordingOutput, ScriptedSTT, ScriptedTTS

MONDAY = dt.datetime(2026, 2, 2, 15, 30)
INSTANT = VoiceConfig(min_barge_in_ms=0, backchannel_max_ms=0)


@dataclass
class Call:
    session: VoiceSession
    agent: AgentSession
    stt: ScriptedSTT
    tts: ScriptedTTS
    output: RecordingOutput
    timer: ManualTimer
    log: EventLog
    task: asyncio.Task[None]

    async def listening(self, count: int = 1) -> None:
        """Wait until the agent has finished speaking `count` times."""
        await self.log.wait_for(StateChanged, lambda e: e.state == "listening", count=count)

    async def hang_up(self) -> None:
        if not self.task.done():
            await self.session.hangup()
        await self.task
        await self.log.close()


OpenCall = Callable[..., Awaitable[Call]]


@pytest.fixture
async def open_call(runtime: Runtime) -> AsyncIterator[OpenCall]:
    calls: list[Call] = []

    async def start(
        config: VoiceConfig | None = None,
        *,
        auto_play: bool = True,
        brain: Any = None,
        storage: Any = None,
        retriever: Any = None,
        output_rate: int = 16_000,
        recording: Any = None,
        tts: ScriptedTTS | None = None,
    ) -> Call:
        rt = runtime
        if storage is not None:
            rt = dataclasses.replace(rt, storage=storage)
        if retriever is not None:
            rt = dataclasses.replace(rt, retriever=retriever)
        agent = rt.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
        if brain is not None:
            agent.brain = brain
        stt, tts = ScriptedSTT(), tts or ScriptedTTS()
        output = RecordingOutput(output_rate, auto_play=auto_play)
        timer = ManualTimer()
        session = VoiceSession(
            agent, stt, tts, output, config or VoiceConfig(), sleep=timer.sleep, recording=recording
        )
        output.on_mark = session.mark_played
        log = EventLog(session)
        task = asyncio.get_running_loop().create_task(session.run())
        await stt.opened()
        call = Call(session, agent, stt, tts, output, timer, log, task)
        calls.append(call)
        return call

    yield start
    for call in calls:
        await call.hang_up()
