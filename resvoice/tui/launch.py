"""Composes `resvoice talk`: picks typed or voice mode (saying why), builds calls, runs the app.

This is the only module of `tui/` that knows the runtime and the providers; the app itself
sees a `CallFactory` and a `Mode`.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from resvoice.agent.clock import Clock
from resvoice.runtime import Runtime
from resvoice.tui.app import CallFactory, CallHandle, Mode, TalkApp
from resvoice.tui.call import TypedCall


@dataclass(frozen=True)
class TalkOptions:
    text: bool = False  # --text: typed mode even when a microphone is there
    brain: str | None = None
    stt: str = "auto"
    tts: str = "auto"
    input_device: str | None = None
    output_device: str | None = None


def conversation_ids(prefix: str = "talk") -> Iterator[str]:
    """Fresh ids for the calls of one app run."""
    while True:
        yield f"{prefix}-{uuid.uuid4().hex[:12]}"


def typed_calls(
    runtime: Runtime,
    *,
    brain: str | None = None,
    clock: Clock | None = None,
    ids: Iterator[str] | None = None,
) -> CallFactory:
    """A factory of keyboard calls on the runtime's agent."""
    ids = ids or conversation_ids()

    async def new_call() -> CallHandle:
        conversation_id = next(ids)
        agent = runtime.session(conversation_id=conversation_id, clock=clock, brain=brain)
        return CallHandle(call=TypedCall(agent), conversation_id=conversation_id)

    return new_call


def numbered_ids(prefix: str) -> Iterator[str]:
    """Predictable ids (`prefix-1`, `prefix-2`...) for tests and screenshots."""
    return (f"{prefix}-{n}" for n in itertools.count(1))


async def run_talk(runtime: Runtime, options: TalkOptions) -> None:
    """Run the app until the user quits; every call it held is persisted."""
    mode = Mode("typed", "--text given") if options.text else Mode("typed", _no_voice_reason())
    app = TalkApp(typed_calls(runtime, brain=options.brain), mode)
    try:
        await app.run_async()
    finally:
        # quitting with ctrl+q already hung up; this covers every other way out
        handle = app.handle
        if handle is not None and not handle.call.ended:
            await handle.call.hangup("app_closed")


def _no_voice_reason() -> str:
    return "the voice pipeline is not in this build"
