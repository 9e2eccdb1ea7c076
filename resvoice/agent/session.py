"""`AgentSession`: one phone call. Caller turns in, a stream of typed events out.

The session owns the call's state, runs the brain, executes its tool calls, applies the
escalation rules and persists after every change, so a crash mid-call loses nothing already
heard. Front ends (`talk`, `serve`, `replay`) only feed turns in and render the events.

Which turns hand the call to a person is `turn_escalation.py`; how the brain's streamed text
becomes the reply the caller gets (markers out, protected words, cuts) is `reply_stream.py`.
"""

from __future__ import annotations

import datetime as dt
import time as clock
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from resvoice.agent import turn_escalation
from resvoice.agent.availability import AvailabilityService
from resvoice.agent.brains.base import Brain, HistoryLine, Turn, TurnContext
from resvoice.agent.clock import Clock, passed_before
from resvoice.agent.consent import DECLINED, NOTICE, asks_not_to_be_recorded
from resvoice.agent.desk import ReservationDesk
from resvoice.agent.escalation import EscalationManager, TransferAction
from resvoice.agent.events import (
    CallEnded,
    Escalated,
    NotepadUpdated,
    RagHits,
    RecordingDeclined,
    ReplyDelta,
    SessionEvent,
    TextCut,
    TextDelta,
    ToolCall,
    TurnCompleted,
)
from resvoice.agent.intents import Intents, classify
from resvoice.agent.keypad import Keypad
from resvoice.agent.messenger import LoggingMessenger, Messenger
from resvoice.agent.notepad import BookingRulesContext
from resvoice.agent.rag import RagService
from resvoice.agent.reply_stream import ReplyStream
from resvoice.agent.state import CallState
from resvoice.agent.text_outbox import TextOutbox
from resvoice.agent.tools import TOOLS, EscalateArgs, ToolDeps, ToolRunner
from resvoice.call_metadata import ReplyCutNote, keep_recent
from resvoice.language.phone_validity import valid_e164
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.retrieval.hybrid import HybridRetriever
from resvoice.storage.base import Storage

HISTORY_LINES = 200  # transcript lines a brain sees of the call so far


@dataclass(frozen=True)
class SessionConfig:
    phone_region: str = "US"
    rag_timeout_s: float = 2.0
    max_turns_missing_data: int = 5


class AgentSession:
    """One call. Not safe for two turns at once: a front end awaits each turn's stream."""

    def __init__(
        self,
        *,
        conversation_id: str,
        storage: Storage,
        profile: RestaurantProfile,
        brain: Brain,
        retriever: HybridRetriever,
        clock: Clock,
        transfer: TransferAction,
        caller_id: str | None = None,
        config: SessionConfig | None = None,
        messenger: Messenger | None = None,
    ) -> None:
        self.config = config or SessionConfig()
        # a withheld or malformed caller ID ("anonymous", "+266696687") is no number at all
        callback = valid_e164(caller_id, self.config.phone_region) if caller_id else None
        self.state = CallState(conversation_id=conversation_id, caller_id=callback)
        self.profile = profile
        self.brain = brain
        self._storage = storage
        self._clock = clock
        availability = AvailabilityService(storage, profile, now=lambda: passed_before(clock))
        self.rag = RagService(retriever, availability, timeout_s=self.config.rag_timeout_s)
        self.escalation = EscalationManager(
            storage,
            conversation_id,
            transfer,
            max_turns_missing_data=self.config.max_turns_missing_data,
        )
        self.messenger = messenger or LoggingMessenger()
        self.desk = ReservationDesk(
            storage=storage,
            availability=availability,
            messenger=self.messenger,
            rules=self.rules,
            now=clock.now,
            conversation_id=conversation_id,
            caller_id=caller_id,
        )
        self._tools = ToolRunner(
            self.state,
            ToolDeps(
                storage=storage,
                availability=availability,
                rag=self.rag,
                escalation=self.escalation,
                rules=self.rules,
                persist=self.persist,
                desk=self.desk,
            ),
            TOOLS,
        )
        self.state.metadata.brain = brain.name
        self.state.metadata.started_at = clock.now()
        self._prefetched: tuple[str, RagHits] | None = None
        self.keypad = Keypad()
        self.recorded = False
        """The call is being recorded: the greeting says so and the caller may opt out."""

    @property
    def conversation_id(self) -> str:
        return self.state.conversation_id

    def rules(self) -> BookingRulesContext:
        return BookingRulesContext(
            profile=self.profile,
            today=self._clock.now().date(),
            phone_region=self.config.phone_region,
            now=passed_before(self._clock),
        )

    async def persist(self) -> None:
        await self._storage.save_session(self.state.record())

    # --- turns --------------------------------------------------------------------------------

    def start(self) -> AsyncIterator[SessionEvent]:
        """The call connected: the agent greets the caller."""
        return self._run(Turn("start"))

    def turn(self, text: str) -> AsyncIterator[SessionEvent]:
        """The caller said something (empty text is silence)."""
        return self._run(Turn("speech", text) if text.strip() else Turn("silence"))

    def dtmf(self, keys: str) -> AsyncIterator[SessionEvent]:
        """Keypad keys: each entry they complete (`#`, or a lone `0`) is a turn; keys that
        complete none yield nothing (the caller is still keying)."""
        return self.keyed(self.keypad.press(keys))

    async def keyed(self, entries: list[str]) -> AsyncIterator[SessionEvent]:
        """The caller keyed these entries (see `Keypad`): one turn each."""
        for entry in entries:
            async for event in self._run(Turn("dtmf", entry)):
                yield event

    async def prefetch(self, text: str) -> None:
        """Retrieve for a turn the caller has probably finished saying (eager end of turn);
        `turn(text)` with the same text reuses the result. Changes nothing else."""
        self._prefetched = (text, await self.rag.for_turn(text, classify(text), self.state.notepad))

    def reply_interrupted(self, heard: str) -> None:
        """The caller cut the last reply short: keep in the history only what was `heard`.

        A voice front end calls this after a barge-in, once the turn's stream has finished, so
        the next turn's brain reads what the caller heard, not what was generated."""
        self.state.interrupt_last_agent_line(heard.strip())

    def said(self, text: str) -> None:
        """The front end spoke a line of its own (a goodbye after silence): record it."""
        self.state.say("agent", text.strip(), self._clock.now())

    async def end(self, reason: str = "hangup") -> CallEnded:
        self.state.ended = True
        self.state.metadata.ended_reason = reason
        self.state.metadata.ended_at = self._clock.now()
        if isinstance(self.messenger, TextOutbox):  # its texts are in flight off the turns
            outcomes = await self.messenger.drain()
            if outcomes:
                statuses = [text.status for text in outcomes]
                self.state.metadata.texts = {s: statuses.count(s) for s in sorted(set(statuses))}
        await self.persist()
        return CallEnded(reason=reason)

    async def _run(self, turn: Turn) -> AsyncIterator[SessionEvent]:
        started = clock.perf_counter()
        state = self.state
        now = self._clock.now()
        caller_text = f"[dtmf {turn.text}]" if turn.kind == "dtmf" else turn.text
        if turn.kind in ("speech", "dtmf"):
            state.say("caller", caller_text, now)
        intents = classify(turn.text) if turn.kind == "speech" else Intents(frozenset(), False)
        before = state.notepad.filled()
        reply: list[str] = []

        async def act(call: ToolCall) -> AsyncIterator[SessionEvent]:
            result, events = await self._tools.run(call)
            call.result = result
            for event in events:
                yield event

        pre_reason = turn_escalation.before_brain(turn, self.escalation)
        context = self._context(now)
        if turn.kind == "start" and self.recorded:
            reply.append(NOTICE + " ")
            yield ReplyDelta(NOTICE + " ", protected=True)
        if self._declines_recording(turn):
            state.metadata.recording = "declined"
            yield RecordingDeclined()
            reply.append(DECLINED)
            yield ReplyDelta(DECLINED)
        elif pre_reason is not None:
            call = ToolCall("escalate_to_human", {"reason": pre_reason, "detail": caller_text})
            async for event in act(call):
                yield event
            line = str(call.result.data.get("say", "")) if call.result else ""
            reply.append(line)
            yield ReplyDelta(line, protected=turn_escalation.must_hear(call))
        else:
            if turn.kind == "speech":
                hits = await self._retrieve(turn.text, intents)
                self._note_rag(hits)
                context.rag_hits, context.rag_intent = hits.hits, hits.intent
                yield hits
            out = ReplyStream(reply)
            async with aclosing(self.brain.respond(turn, context)) as stream:
                async for brain_event in stream:
                    if isinstance(brain_event, TextDelta):
                        for delta in out.feed(brain_event):
                            yield delta
                    elif isinstance(brain_event, TextCut):
                        cut = out.cut(brain_event)
                        self._note_cut(cut.dropped, context)
                        yield cut
                    else:
                        async for event in act(brain_event):
                            yield event
                        self._refresh(context)
            tail = out.flush()
            if tail:
                yield ReplyDelta(tail)
            post_reason = turn_escalation.after_brain(
                turn,
                intents,
                context,
                before,
                out.escalation_marked,
                state=state,
                escalation=self.escalation,
                desk=self.desk,
            )
            if post_reason is not None:
                call = ToolCall("escalate_to_human", {"reason": post_reason, "detail": ""})
                async for event in act(call):
                    yield event
                if call.result and call.result.data.get("state") != "already_escalated":
                    line = " " + str(call.result.data.get("say", ""))
                    reply.append(line)
                    yield ReplyDelta(line, protected=turn_escalation.must_hear(call))

        text = "".join(reply).strip()
        state.say("agent", text, self._clock.now())
        latency = (clock.perf_counter() - started) * 1000
        keep_recent(state.metadata.turn_latency_ms, round(latency, 3))
        state.metadata.turns += 1
        if context.fallback_reason is not None:
            state.metadata.brain_fallbacks += 1
            state.metadata.brain_fallback_reasons.append(context.fallback_reason)
        await self.persist()
        yield TurnCompleted(
            user=caller_text,
            reply=text,
            latency_ms=latency,
            brain=self.brain.name,
            fallback=context.fallback_reason is not None,
        )

    # --- helpers ------------------------------------------------------------------------------

    def _context(self, now: dt.datetime) -> TurnContext:
        state = self.state
        history = [
            HistoryLine(
                role="caller" if line.role == "caller" else "agent",
                text=line.text,
                interrupted=line.interrupted,
            )
            # the recent call only: a brain reads the last lines, and a turn of a long call
            # must not cost more than one of a short call
            for line in state.transcript[-HISTORY_LINES:]
            if line.role in ("caller", "agent")
        ]
        return TurnContext(
            profile=self.profile,
            now=now,
            notepad=state.notepad,
            missing=state.notepad.missing_fields(),
            history=history,
            caller_id=state.caller_id,
            phone_region=self.config.phone_region,
            reservation_id=state.reservation_id,
            escalated=self.escalation.escalated,
            state=state.brain_state,
        )

    def _declines_recording(self, turn: Turn) -> bool:
        return (
            self.recorded
            and turn.kind == "speech"
            and self.state.metadata.recording != "declined"
            and asks_not_to_be_recorded(turn.text)
        )

    def _refresh(self, context: TurnContext) -> None:
        """A tool ran: what the brain reads next (the model's next request, or the fallback
        that takes the turn over) must know of a booking or hand-off it made."""
        context.missing = self.state.notepad.missing_fields()
        context.reservation_id = self.state.reservation_id
        context.escalated = self.escalation.escalated

    async def _retrieve(self, text: str, intents: Intents) -> RagHits:
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is not None and prefetched[0] == text:
            return prefetched[1]
        return await self.rag.for_turn(text, intents, self.state.notepad)

    def _note_cut(self, dropped: str, context: TurnContext) -> None:
        """Record a reply cut back mid-way: which turn, why, and the words withdrawn."""
        metadata = self.state.metadata
        metadata.reply_cuts.append(
            ReplyCutNote(turn=metadata.turns, reason=context.fallback_reason, dropped=dropped)
        )

    def _note_rag(self, hits: RagHits) -> None:
        if hits.intent != "none":
            keep_recent(self.state.metadata.rag_latency_ms, round(hits.latency_ms, 3))


__all__ = ["AgentSession", "EscalateArgs", "Escalated", "NotepadUpdated", "SessionConfig"]
