"""A call that ends before its tasks ever ran leaves no coroutine unawaited.

Under overload (or a caller hanging up at once) the call's reader and greeting tasks can be
cancelled before the event loop first ran them; the coroutine each task wrapped was then never
awaited, and Python warned "coroutine VoiceSession._speak was never awaited" at shutdown.
"""

from __future__ import annotations

import asyncio
import gc
import warnings

from resvoice.agent.clock import FixedClock
from resvoice.runtime import Runtime
from resvoice.voice.session import VoiceConfig, VoiceSession
from tests.fakes.voice import RecordingOutput, ScriptedSTT, ScriptedSTTStream, ScriptedTTS
from tests.voice.conftest import MONDAY


class GatedSTT(ScriptedSTT):
    """Holds `open_stream` at a gate, so the test decides what happens before the call runs."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def open_stream(self) -> ScriptedSTTStream:
        self.entered.set()
        await self.gate.wait()
        return await super().open_stream()


async def test_hanging_up_before_the_call_tasks_start_awaits_every_coroutine(
    runtime: Runtime,
) -> None:
    agent = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    stt = GatedSTT()
    session = VoiceSession(agent, stt, ScriptedTTS(), RecordingOutput(16_000), VoiceConfig())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = asyncio.create_task(session.run())
        await stt.entered.wait()
        # the hang-up is handled first, then the stream opens: run() spawns its reader and the
        # greeting, sees the hang-up at once and cancels tasks the loop has not started yet
        hangup = asyncio.create_task(session.hangup("caller hung up"))
        stt.gate.set()
        await run
        await hangup
        del run, hangup
        gc.collect()
    never_awaited = [str(w.message) for w in caught if "never awaited" in str(w.message)]
    assert never_awaited == []
    assert session.ended
    saved = await runtime.storage.load_session(agent.conversation_id)
    assert saved is not None and saved.metadata.ended_reason == "caller hung up"
