"""One core turn read for speech: the agent's event stream cut into sentences for the speaker.

The turn always runs to its end (a booking in flight completes); once the reply is stopped
(barge-in) its sentences are still kept in `Reply.produced` (a resumed reply goes on with them)
but no longer queued. A failed turn queues the apology line instead. A sentence is protected
when any of its words came in a protected `ReplyDelta`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from resvoice.agent.events import ReplyCut, ReplyDelta, SessionEvent, TurnCompleted
from resvoice.language.sentences import SentenceSplitter
from resvoice.voice.events import VoiceEvent
from resvoice.voice.reply import Reply, Sentence, closing

log = logging.getLogger(__name__)

OpenTurn = Callable[[], AsyncIterator[SessionEvent]]


class CoreTurnReader:
    """Feeds one reply's sentences to its speaker queue; keeps the turn's `TurnCompleted`."""

    def __init__(
        self,
        reply: Reply,
        queue: asyncio.Queue[int | None],
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
        reply = self._reply
        splitter = SentenceSplitter()
        protected = False  # a protected word is waiting in the splitter
        try:
            async with closing(open_turn()) as stream:
                async for event in stream:
                    if isinstance(event, ReplyDelta):
                        if not event.text:
                            continue
                        if not reply.stopped:
                            reply.timer.mark("first_token", self._now())
                            self._emit(event)
                        protected = protected or event.protected
                        sentences = splitter.feed(event.text)
                        for sentence in sentences:
                            self._put(sentence, protected)
                            protected = event.protected  # the rest came in this delta
                        if sentences:
                            protected = event.protected and splitter.pending
                    elif isinstance(event, ReplyCut):
                        splitter = SentenceSplitter()  # its unfinished words were never queued
                        protected = False
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
                protected = False
                self._put(self._error_reply, False)
        finally:
            for sentence in splitter.flush():
                self._put(sentence, protected)
            self._queue.put_nowait(None)
            reply.core_done = True

    def _put(self, text: str, protected: bool) -> None:
        """A sentence of the reply: queued for speech unless the reply was stopped."""
        reply = self._reply
        reply.produced.append(Sentence(text, protected))
        if not reply.stopped:
            reply.timer.mark("first_sentence", self._now())
            self._queue.put_nowait(len(reply.produced) - 1)
