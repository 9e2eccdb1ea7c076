"""The agent's side of a call: each reply (an epoch) thought, spoken and played out, one at a
time, and stopped on barge-in.

A reply runs as two tasks in the call's TaskGroup: a core task reads the agent's turn stream and
cuts its text into sentences (`CoreTurnReader`), a speaker task normalises, synthesises and
writes each sentence with a mark after it (`ReplySpeaker`). Marks played tell what the caller
actually heard. Core turns run one at a time, in order, each after the speculative retrieval it
reuses.

`stop()` (barge-in) cancels speech, never captured data: the speaker task is cancelled and
awaited, the transport cleared and the epoch bumped, but the core turn runs on to its end
without being spoken (a booking in flight completes), and only then is its history line cut
down to what was heard (`AgentSession.reply_interrupted`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from resvoice.agent.session import AgentSession
from resvoice.call_metadata import keep_recent
from resvoice.language.sentences import split_sentences
from resvoice.voice.core_turn import CoreTurnReader, OpenTurn
from resvoice.voice.events import AgentSpeech, BargeIn, TurnLatency, VoiceEvent, VoiceState
from resvoice.voice.latency import TurnTimer
from resvoice.voice.reply import Reply, ReplySpeaker
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]]


class Playout:
    """The live reply of one call, and the epoch counter every outbound frame is stamped with.

    Args:
        spawn: starts a task in the call's TaskGroup.
        emit: publishes a voice event.
        set_state: the call's state changes (processing, speaking, listening).
        count_error: counts a failure of a provider ("tts", "llm").
        on_listening: a reply was played to its end and the agent now listens.
    """

    def __init__(
        self,
        agent: AgentSession,
        tts: TTS,
        output: AudioOutput,
        *,
        spawn: Spawn,
        emit: Callable[[VoiceEvent], None],
        set_state: Callable[[VoiceState], None],
        now: Callable[[], float],
        error_reply: str,
        count_error: Callable[[str], None],
        on_listening: Callable[[Reply], None],
    ) -> None:
        self.epoch = 0
        self.reply: Reply | None = None
        self._agent = agent
        self._output = output
        self._spawn = spawn
        self._emit = emit
        self._set_state = set_state
        self._now = now
        self._error_reply = error_reply
        self._count_error = count_error
        self._on_listening = on_listening
        self._core_task: asyncio.Task[None] | None = None
        self._speaker = ReplySpeaker(
            tts,
            output,
            on_sentence=lambda reply, text: emit(AgentSpeech(text, reply.epoch)),
            on_first_audio=self._first_audio,
            on_error=lambda: count_error("tts"),
        )

    @property
    def talking(self) -> bool:
        """A reply is live: not yet played to its end, nor stopped."""
        return self.reply is not None and not self.reply.finished

    @property
    def thinking(self) -> bool:
        """A core turn is still running (perhaps unspoken, after a barge-in)."""
        return self._core_task is not None and not self._core_task.done()

    def next_epoch(self) -> int:
        self.epoch += 1
        return self.epoch

    def start(
        self,
        kind: str,
        open_turn: OpenTurn | None,
        *,
        text: str = "",
        timer: TurnTimer | None = None,
        after: asyncio.Task[None] | None = None,
    ) -> None:
        """A new reply in a new epoch: the core turn `open_turn` spoken as it streams, or the
        fixed line `text` when there is none (the goodbye). `after`: a speculative retrieval
        the core turn waits for and reuses."""
        timer = timer or TurnTimer()
        reply = Reply(self.next_epoch(), kind=kind, text=text, timer=timer, after=after)
        self.reply = reply
        self._set_state("processing")
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        previous = self._core_task
        if open_turn is not None:
            reply.core = self._spawn(self._think(reply, previous, open_turn, queue))
            self._core_task = reply.core
        else:
            for sentence in split_sentences(reply.text):
                queue.put_nowait(sentence)
            queue.put_nowait(None)
            reply.core_done = True
        reply.speaker = self._spawn(self._speak(reply, queue))

    def mark_played(self, name: str) -> None:
        """The transport played everything written before mark `name`."""
        reply = self.reply
        if reply is None or reply.stopped:
            return
        index = reply.marks.get(name)
        if index is None:
            return
        reply.played = max(reply.played, index + 1)
        self._maybe_done_speaking(reply)

    async def stop(self, *, barge_in: bool = True) -> None:
        """Barge-in: cancel the live reply's speech, flush the transport, bump the epoch."""
        reply = self.reply
        if reply is None or reply.finished or reply.stopped:
            return
        reply.stopped = True
        if reply.speaker is not None:
            reply.speaker.cancel()
            await asyncio.wait([reply.speaker])
        await self._output.clear()
        reply.heard = " ".join(reply.sentences[: reply.played])
        reply.finished = True
        self.next_epoch()  # anything still carrying the old epoch is now late
        if barge_in:
            self._emit(BargeIn(epoch=reply.epoch, heard=reply.heard))
            log.info("barge-in", extra={"epoch": reply.epoch, "heard_sentences": reply.played})
        self._set_state("listening")
        if reply.core_done:
            await self._settle_interrupted(reply)

    async def drain(self, timeout_s: float) -> None:
        """Give the core turn in flight up to `timeout_s` to finish writing what it captured."""
        if self._core_task is not None:
            await asyncio.wait([self._core_task], timeout=timeout_s)

    async def _think(
        self,
        reply: Reply,
        previous: asyncio.Task[None] | None,
        open_turn: OpenTurn,
        queue: asyncio.Queue[str | None],
    ) -> None:
        """Run one core turn to its end; feed its sentences to the speaker while it is live."""
        waits = [task for task in (previous, reply.after) if task is not None]
        if waits:
            await asyncio.wait(waits)  # one core turn at a time, after its speculative retrieval
        reader = CoreTurnReader(
            reply,
            queue,
            now=self._now,
            emit=self._emit,
            error_reply=self._error_reply,
            on_error=lambda: self._count_error("llm"),
        )
        try:
            await reader.read(open_turn)
        finally:
            completed = reader.completed
            if reply.heard is not None:
                await self._settle_interrupted(reply)
                if completed is not None:
                    completed = replace(completed, reply=reply.heard)
            if completed is not None:
                self._emit(completed)

    async def _speak(self, reply: Reply, queue: asyncio.Queue[str | None]) -> None:
        await self._speaker.speak(reply, queue)
        self._maybe_done_speaking(reply)

    def _first_audio(self, reply: Reply) -> None:
        self._set_state("speaking")
        if reply.kind != "turn":
            return
        figures = reply.timer.first_audio(self._now())
        keep_recent(self._agent.state.metadata.voice_turns, figures)
        self._emit(TurnLatency(figures))

    def _maybe_done_speaking(self, reply: Reply) -> None:
        if reply.finished or not reply.all_written or reply.played < len(reply.sentences):
            return
        reply.finished = True
        if reply is not self.reply:
            return
        self._set_state("listening")
        self._on_listening(reply)

    async def _settle_interrupted(self, reply: Reply) -> None:
        """The interrupted turn has finished: its history line becomes what was heard."""
        if reply.settled or reply.heard is None:
            return
        reply.settled = True
        if reply.core is None:
            return  # a fixed line (goodbye), not a core turn
        self._agent.reply_interrupted(reply.heard)
        await self._agent.persist()
