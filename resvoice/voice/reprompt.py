"""Silence on the line: when the caller says nothing after the agent has finished speaking, the
agent asks whether they are still there; after `VoiceConfig.max_reprompts` unanswered reprompts
in a row it says a polite goodbye (the call hangs up once that is played)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from resvoice.agent.session import AgentSession
from resvoice.voice.playout import Playout, Spawn
from resvoice.voice.voice_config import VoiceConfig


class Reprompts:
    """A silence timer, armed while the agent waits for the caller.

    Args:
        turn_lock: the call's turn lock; a reprompt starts under it, like any other reply.
        can_arm: whether the call still runs (no timer is armed at or after hang-up).
    """

    def __init__(
        self,
        agent: AgentSession,
        playout: Playout,
        config: VoiceConfig,
        *,
        turn_lock: asyncio.Lock,
        sleep: Callable[[float], Awaitable[None]],
        spawn: Spawn,
        can_arm: Callable[[], bool],
    ) -> None:
        self._agent = agent
        self._playout = playout
        self._config = config
        self._turn_lock = turn_lock
        self._sleep = sleep
        self._spawn = spawn
        self._can_arm = can_arm
        self._task: asyncio.Task[None] | None = None
        self._unanswered = 0

    def arm(self) -> None:
        """The agent waits for the caller: start (or restart) the silence timer."""
        self.disarm()
        if self._can_arm():
            self._task = self._spawn(self._timer())

    def disarm(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def answered(self) -> None:
        """The caller took a turn: the count of reprompts in a row starts again."""
        self._unanswered = 0

    async def _timer(self) -> None:
        await self._sleep(self._config.reprompt_after_s)
        self._task = None
        async with self._turn_lock:
            if self._playout.talking:
                return
            self._unanswered += 1
            if self._unanswered > self._config.max_reprompts:
                self._agent.said(self._config.goodbye)
                self._playout.start("goodbye", None, text=self._config.goodbye)
            else:
                self._playout.start("reprompt", lambda: self._agent.turn(""))
