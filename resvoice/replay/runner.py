"""Run transcripts as phone calls through the core agent and check their expectations."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import Escalated, SessionEvent, TurnCompleted
from resvoice.agent.messenger import RecordingMessenger
from resvoice.agent.state import CallState
from resvoice.errors import FixtureError
from resvoice.replay.checks import check, check_given, check_messages
from resvoice.replay.format import Expect, Transcript, load_transcript
from resvoice.replay.given import given_state, place_given
from resvoice.restaurant.hours import OpeningHours
from resvoice.runtime import Runtime

log = logging.getLogger(__name__)


class TurnResult(BaseModel):
    user: str
    reply: str
    latency_ms: float
    heard: str | None = None  # voice replay: what the recogniser made of `user`
    correction: bool = False  # voice replay: a line the caller said to correct a read-back


class VoiceStats(BaseModel):
    """Voice replay only: recognition accuracy and end of caller speech -> first agent audio."""

    wer: float | None
    turn_latency_ms_p50: float | None
    turn_latency_ms_p95: float | None
    corrections: list[str] = Field(default_factory=list)
    """The fields the caller had to correct at a read-back, in order (name, phone...)."""
    barge_ins: int = 0  # the agent stopped for speech over it
    resumed: int = 0  # of which no real turn followed: the cut sentence was resumed
    held: int = 0  # speech over protected speech (a read-back), which went on
    said_again: int = 0  # lines the recogniser heard nothing in, said again after a prompt


class ReplayResult(BaseModel):
    """One file's outcome; also the `--json` line printed for it."""

    name: str
    file: str
    passed: bool
    failures: list[str] = Field(default_factory=list)
    notepad: dict[str, Any] = Field(default_factory=dict)
    data_complete: bool = False
    reservation: int | None = None
    escalated: bool = False
    escalation_reason: str | None = None
    turns: list[TurnResult] = Field(default_factory=list)
    given_reservations: list[dict[str, Any]] = Field(default_factory=list)
    messages: list[dict[str, str]] = Field(default_factory=list)
    unreadable: bool = False
    voice: VoiceStats | None = None

    def json_line(self) -> dict[str, Any]:
        """The `--json` object: voice fields only in a voice replay."""
        data = self.model_dump(exclude={"file", "unreadable"})
        if self.voice is None:
            del data["voice"]
            for turn in data["turns"]:
                del turn["heard"]
                del turn["correction"]
        return data


async def replay_file(runtime: Runtime, path: Path, *, brain: str | None = None) -> ReplayResult:
    try:
        transcript = load_transcript(path)
    except FixtureError as exc:
        return unreadable_result(path, exc)
    return await replay_transcript(runtime, transcript, source=str(path), brain=brain)


class CallSetup:
    """What a replayed call starts from (contract v2): the given bookings and a recorder of the
    text messages the agent sends."""

    def __init__(self, given_ids: list[int]) -> None:
        self.given_ids = given_ids
        self.messenger = RecordingMessenger()

    @classmethod
    async def prepare(cls, runtime: Runtime, transcript: Transcript, source: str) -> CallSetup:
        """Book the transcript's given reservations. Raises `FixtureError` when one can't be."""
        return cls(await place_given(runtime.storage, runtime.profile, transcript, source))

    async def outcome(
        self, runtime: Runtime, expect: Expect | None
    ) -> tuple[list[str], list[dict[str, Any]], list[dict[str, str]]]:
        """The failures of the v2 expectations, each given reservation now, the messages."""
        hours = OpeningHours(runtime.profile)
        states = [given_state(await runtime.storage.reservation(i), hours) for i in self.given_ids]
        messages = [{"to": m.to, "body": m.body} for m in self.messenger.sent]
        failures: list[str] = []
        if expect is not None and expect.given_reservations is not None:
            failures += check_given(expect.given_reservations, states)
        if expect is not None and expect.messages is not None:
            failures += check_messages(expect.messages, messages)
        return failures, states, messages


async def replay_transcript(
    runtime: Runtime, transcript: Transcript, *, source: str, brain: str | None = None
) -> ReplayResult:
    timezone = runtime.profile.restaurant.timezone
    clock = FixedClock.at(transcript.today, timezone) if transcript.today else None
    try:
        setup = await CallSetup.prepare(runtime, transcript, source)
    except FixtureError as exc:
        return unreadable_result(Path(source), exc)
    conversation_id = f"replay-{uuid.uuid4().hex[:12]}"
    session = runtime.session(
        conversation_id=conversation_id,
        caller_id=transcript.caller,
        clock=clock,
        brain=brain or transcript.brain,
        # recorded, never sent; kept with the call like a real call's texts
        messenger=runtime.outbox(setup.messenger, conversation_id=conversation_id),
    )
    failures: list[str] = []
    turns: list[TurnResult] = []
    escalation: str | None = None
    index = 0
    try:
        async for event in session.start():
            escalation = _escalation(event, escalation)
        for index, turn in enumerate(transcript.turns, start=1):
            say = turn.user or ""
            stream = session.dtmf(turn.dtmf) if turn.dtmf is not None else session.turn(say)
            completed: TurnCompleted | None = None
            async for event in stream:
                escalation = _escalation(event, escalation)
                if isinstance(event, TurnCompleted):
                    completed = event
            if completed is None:  # keys that completed no keypad entry: no turn yet
                assert turn.dtmf is not None
                completed = TurnCompleted(
                    user=f"[keys {turn.dtmf}]", reply="", latency_ms=0, brain=""
                )
            turns.append(
                TurnResult(
                    user=completed.user,
                    reply=completed.reply,
                    latency_ms=round(completed.latency_ms, 3),
                )
            )
            if turn.expect is not None:
                failures += check_state(
                    session.state, turn.expect, f"turn {index}", completed.reply, escalation
                )
    except Exception as exc:  # one call's crash is this file's failure, not the whole run's
        log.debug("replayed call crashed", exc_info=True, extra={"file": source, "turn": index})
        await session.end("replay crashed")
        result = call_result(transcript, source, session.state, failures, escalation, turns)
        where = f"turn {index}" if index else "the greeting"
        result.failures.append(f"{where}: the call crashed ({type(exc).__name__}: {exc})")
        return result.model_copy(update={"passed": False, "unreadable": True})
    await session.end("replay finished")
    if transcript.expect is not None:
        failures += check_state(session.state, transcript.expect, "end of call", None, escalation)
    given_failures, states, messages = await setup.outcome(runtime, transcript.expect)
    result = call_result(
        transcript, source, session.state, failures + given_failures, escalation, turns
    )
    return result.model_copy(update={"given_reservations": states, "messages": messages})


def unreadable_result(path: Path, exc: FixtureError) -> ReplayResult:
    """A transcript file that could not be read: a failed result, not an exception."""
    return ReplayResult(
        name=path.stem, file=str(path), passed=False, failures=[str(exc)], unreadable=True
    )


def crashed_result(path: Path, exc: Exception) -> ReplayResult:
    """A transcript whose call could not be run to its end: a failed result, one line."""
    failure = f"the call crashed ({type(exc).__name__}: {exc})"
    return ReplayResult(
        name=path.stem, file=str(path), passed=False, failures=[failure], unreadable=True
    )


def call_result(
    transcript: Transcript,
    source: str,
    state: CallState,
    failures: list[str],
    escalation: str | None,
    turns: list[TurnResult],
    voice: VoiceStats | None = None,
) -> ReplayResult:
    """The result of a replayed call, from the call's state at its end."""
    notepad = state.notepad
    return ReplayResult(
        name=transcript.name,
        file=source,
        passed=not failures,
        failures=failures,
        notepad=notepad.filled(),
        data_complete=notepad.is_complete(),
        reservation=state.reservation_id,
        escalated=escalation is not None,
        escalation_reason=escalation,
        turns=turns,
        voice=voice,
    )


def check_state(
    state: CallState, expect: Expect, where: str, reply: str | None, escalation: str | None
) -> list[str]:
    """The failures of one `expect` block against the call's state."""
    return check(
        expect,
        where=where,
        reply=reply,
        notepad=state.notepad.filled(),
        data_complete=state.notepad.is_complete(),
        reservation_id=state.reservation_id,
        escalation_reason=escalation,
    )


def _escalation(event: SessionEvent, current: str | None) -> str | None:
    if isinstance(event, Escalated) and current is None:
        return event.reason
    return current
