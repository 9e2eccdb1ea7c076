"""Resuming after a false interruption: the agent goes on from the start of the sentence a
cough, an "mm-hmm" or a passing car cut it off in, as a person would ("As I was saying, ...").

The resumed reply is a fixed line: the cut sentence (with the lead-in) and the sentences after
it that the interrupted core turn produced but never spoke. Only words the caller did not hear
are said again: a sentence counts as heard once its last word has been played (`ReplySpeaker`
marks it there, before the silence after it), and a piece with no words ("…") is left out, so
when the barge-in came after the last word nothing is resumed. It is recorded in the history
before it is spoken, and cut down to what was heard like any reply if it is interrupted too, so
the history holds exactly what the caller heard.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from resvoice.agent.session import AgentSession
from resvoice.voice.playout import Playout
from resvoice.voice.reply import Reply
from resvoice.voice.voice_config import VoiceConfig

__all__ = ["Resumption", "lead_in"]


class Resumption:
    """At most one stopped reply waiting to be resumed, and the timer of the wait for a turn.

    Args:
        spawn: starts a task in the call's TaskGroup (the timer).
        can_resume: the caller is not speaking now and the call goes on.
        emit: a sentence was resumed (epoch, what is said).
    """

    def __init__(
        self,
        config: VoiceConfig,
        playout: Playout,
        agent: AgentSession,
        *,
        turn_lock: asyncio.Lock,
        sleep: Callable[[float], Awaitable[None]],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        can_resume: Callable[[], bool],
        emit: Callable[[int, str], None],
    ) -> None:
        self.due = False
        self._config = config
        self._lead = config.resume_lead_in
        self._sleep = sleep
        self._spawn = spawn
        self._can_resume = can_resume
        self._timer: asyncio.Task[None] | None = None
        self._playout = playout
        self._agent = agent
        self._turn_lock = turn_lock
        self._emit = emit
        self._reply: Reply | None = None
        self._idle = asyncio.Event()  # set while nothing waits to be resumed
        self._idle.set()
        self._generation = 0  # moves on with every barge-in and every real turn

    @property
    def pending(self) -> bool:
        return self._reply is not None

    def hold(self) -> None:
        """A barge-in is stopping a reply: `settled` waits until it is armed (or dropped)."""
        self._idle.clear()

    def arm(self, reply: Reply) -> None:
        """A barge-in stopped `reply`: resume it unless a real turn comes in time."""
        if reply.kind == "goodbye" or reply.resume_from is None:
            self.drop()
            return
        self._forget()  # not `drop`: a waiter on `settled` must not see it idle in between
        self._reply = reply
        self._idle.clear()
        self._timer = self._spawn(self._wait())

    async def maybe_resume(self) -> None:
        """Resume once the wait is over and the caller is not (still) speaking."""
        if self.due and self._can_resume():
            await self.resume()

    async def _wait(self) -> None:
        await self._sleep(self._config.resume_after_s)
        self._timer = None
        self.due = True
        await self.maybe_resume()

    async def settled(self) -> None:
        """Wait until nothing waits to be resumed (it was, or a real turn came)."""
        await self._idle.wait()

    def drop(self) -> None:
        """A real turn came: nothing is resumed."""
        self._forget()
        self._idle.set()

    def _forget(self) -> None:
        self._reply = None
        self.due = False
        self._generation += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def resume(self) -> None:
        reply, self._reply = self._reply, None
        self.due = False
        try:
            if reply is not None:
                await self._resume(reply)
        finally:  # after the resumed line started, so that `settled` waiters see it
            if self._reply is None:
                self._idle.set()

    async def _resume(self, reply: Reply) -> None:
        generation = self._generation
        # the words the caller did not hear: a piece with none ("…", a dash) is not resumed
        rest = [line for line in await self._playout.rest_of(reply) if _has_words(line.text)]
        async with self._turn_lock:
            if generation != self._generation or self._playout.talking or not rest:
                return  # the caller took a turn meanwhile, or nothing is left to say
            lines = [replace(rest[0], text=lead_in(self._lead, rest[0].text)), *rest[1:]]
            text = " ".join(line.text for line in lines)
            self._agent.said(text)
            self._playout.start("resume", None, lines=lines)
            self._emit(self._playout.epoch, text)


def lead_in(lead: str, sentence: str) -> str:
    """'As I was saying,' + 'We have a table.' -> 'As I was saying, we have a table.'; a
    sentence that has the lead-in already (a resumed line cut off again) keeps just the one."""
    if sentence.lower().startswith(lead.lower()):
        return sentence
    first = sentence.split(" ", 1)[0]
    keep_case = first == "I" or first.startswith("I'") or first[1:2].isupper()
    return f"{lead} {sentence if keep_case else sentence[:1].lower() + sentence[1:]}"


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)
