"""One core turn read for speech: the agent's event stream cut into sentences for the speaker.

The turn always runs to its end (a booking in flight completes); once the reply is stopped
(barge-in) its text is no longer queued. A failed turn queues the apology line instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from resvoice.agent.events import ReplyCut, ReplyDelta, SessionEvent, TurnCompleted
from resvoice.language.sentences import SentenceSplitter
from resvoice.voice.events import VoiceEvent
from resvoice.voice.reply import Reply, closing

log = logging.getLogger(__name__)

OpenTurn = Callable[[], AsyncIterator[SessionEvent]]


class CoreTurnReader:
    """Feeds one reply's sentences to its speaker queue; keeps the turn's `TurnCompleted`."""

    def __init__(
        self,
        reply: Reply,
        queue: asyncio.Queue[str | None],
        *,
        now: Callable[[], float],
        emit: Callable[[VoiceEvent], None],
        error_reply: str,
        on_error: Callable[[], None],
    ) -> None:
        self.completed: TurnCompleted | None = None  # told once the history holds what was heard
        self._reply = reply
        self._queue = queue
        self._now = now
        self._emit = emit
        self._error_reply = error_reply
        self._on_error = on_error

    async def read(self, open_turn: OpenTurn) -> None:
        """Run the turn to its end; the queue is closed (None) and `reply.core_done` set after,
        whatever happens."""
        reply, queue = self._reply, self._queue
        splitter = SentenceSplitter()
        try:
            async with closing(open_turn()) as stream:
                async for event in stream:
                    if isinstance(event, ReplyDelta):
                        if reply.stopped or not event.text:
                            continue
                        reply.timer.mark("first_token", self._now())
                        self._emit(event)
                        for sentence in splitter.feed(event.text):
                            reply.timer.mark("first_sentence", self._now())
                            queue.put_nowait(sentence)
                    elif isinstance(event, ReplyCut):
                        splitter = SentenceSplitter()  # its unfinished words were never queued
                        self._emit(event)
                    elif isinstance(event, TurnCompleted):
                        self.completed = event
                    else:
                        self._emit(event)
        except Exception:
            self._on_error()
            log.exception("agent turn failed", extra={"epoch": reply.epoch})
            if not reply.stopped:
                splitter = SentenceSplitter()
                queue.put_nowait(self._error_reply)
        finally:
            for sentence in splitter.flush():
                reply.timer.mark("first_sentence", self._now())
                queue.put_nowait(sentence)
            queue.put_nowait(None)
            reply.core_done = True
