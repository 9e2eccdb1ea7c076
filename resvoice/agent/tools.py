"""The agent's tools: one pydantic model per tool's arguments, and the runner that executes them.

The argument models are the single source of the JSON schemas an LLM sees (`tool_schemas`), and
every brain's tool calls, the rules brain's included, go through `ToolRunner.run`, so validation
and side effects are the same whoever decides.
"""

from __future__ import annotations

import datetime as dt
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from resvoice.agent import reservation_tools as existing
from resvoice.agent.availability import AvailabilityService
from resvoice.agent.booking_codes import spell_code
from resvoice.agent.desk import ReservationDesk
from resvoice.agent.escalation import EscalationManager
from resvoice.agent.events import (
    AvailabilityChecked,
    BookingFailed,
    Escalated,
    NotepadUpdated,
    RagHit,
    ReservationBooked,
    SessionEvent,
    TextMessageSent,
    ToolCall,
    ToolResult,
)
from resvoice.agent.notepad import BookingRulesContext, NotepadUpdate, apply_update
from resvoice.agent.rag import RagService
from resvoice.agent.state import CallState
from resvoice.storage.base import ReservationRequest, Storage


class CheckAvailabilityArgs(BaseModel):
    """Check whether a table is free; omitted values come from the notepad."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date | None = None
    time: dt.time | None = None
    party_size: int | None = Field(default=None, ge=1)


class SearchArgs(BaseModel):
    """Search the menu, policies and FAQ."""

    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1)


class BookArgs(BaseModel):
    """Book the reservation on the notepad, after the caller confirmed the read-back."""

    model_config = ConfigDict(extra="forbid")
    send_text: bool = Field(default=True, description="False when the caller wants no text.")


class EscalateArgs(BaseModel):
    """Hand the call to a human."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="agent_requested")
    detail: str = ""


TOOL_MODELS: dict[str, type[BaseModel]] = {
    "capture_reservation_data": NotepadUpdate,
    "check_availability": CheckAvailabilityArgs,
    "search_menu_and_policies": SearchArgs,
    "book_reservation": BookArgs,
    "escalate_to_human": EscalateArgs,
    "find_reservation": existing.FindReservationArgs,
    "cancel_reservation": existing.CancelReservationArgs,
    "change_reservation": existing.ChangeReservationArgs,
}
_DESCRIPTIONS = {
    "capture_reservation_data": "Record reservation details the caller just gave (partial).",
    "check_availability": "Check if a table is free; returns nearby free times when not.",
    "search_menu_and_policies": "Look up dishes, prices, dietary tags, policies and FAQ.",
    "book_reservation": "Book the notepad's reservation once the caller confirmed it.",
    "escalate_to_human": "Transfer the caller to a human (or arrange a callback).",
    **existing.DESCRIPTIONS,
}


def tool_schemas() -> list[dict[str, Any]]:
    """Function-tool declarations, generated from the argument models."""
    return [
        {
            "name": name,
            "description": _DESCRIPTIONS[name],
            "parameters": model.model_json_schema(),
        }
        for name, model in TOOL_MODELS.items()
    ]


@dataclass
class ToolDeps:
    storage: Storage
    availability: AvailabilityService
    rag: RagService
    escalation: EscalationManager
    rules: Callable[[], BookingRulesContext]
    persist: Callable[[], Any]  # async () -> None, saves the call state
    desk: ReservationDesk


class ToolRunner:
    """Executes tool calls against one call's state; returns the result and domain events."""

    def __init__(self, state: CallState, deps: ToolDeps) -> None:
        self._state = state
        self._deps = deps

    async def run(self, call: ToolCall) -> tuple[ToolResult, list[SessionEvent]]:
        model = TOOL_MODELS.get(call.name)
        if model is None:
            return ToolResult(ok=False, error=f"unknown tool {call.name!r}"), []
        try:
            args = model.model_validate(call.arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
                for err in exc.errors()
            )
            return ToolResult(ok=False, error=f"invalid arguments: {problems}"), []
        handler = getattr(self, f"_{call.name}")
        result: tuple[ToolResult, list[SessionEvent]] = await handler(args)
        return result

    async def _capture_reservation_data(
        self, args: NotepadUpdate
    ) -> tuple[ToolResult, list[SessionEvent]]:
        notepad = self._state.notepad
        outcome = apply_update(notepad, args, self._deps.rules())
        if outcome.changed:
            await self._deps.persist()
        events: list[SessionEvent] = [
            NotepadUpdated(
                notepad=notepad.filled(),
                changed=tuple(outcome.changed),
                problems=tuple(outcome.problems),
                missing=tuple(notepad.missing_fields()),
            )
        ]
        data: dict[str, Any] = {
            "changed": list(outcome.changed),
            "problems": [
                {"field": p.field, "code": p.code, "message": p.message} for p in outcome.problems
            ],
            "notepad": notepad.filled(),
            "missing": notepad.missing_fields(),
        }
        too_large = outcome.problem("party_size")
        if too_large is not None and too_large.code == "party_too_large":
            result, escalation_events = await self._escalate_to_human(
                EscalateArgs(reason="party_size", detail=f"party of {too_large.value}")
            )
            data["escalation"] = result.data
            events.extend(escalation_events)
        return ToolResult(ok=not outcome.problems, data=data), events

    async def _check_availability(
        self, args: CheckAvailabilityArgs
    ) -> tuple[ToolResult, list[SessionEvent]]:
        notepad = self._state.notepad
        day = args.date or notepad.date
        party = args.party_size or notepad.party_size
        when = args.time or notepad.time
        if day is None or party is None:
            missing = [n for n, v in (("date", day), ("party_size", party)) if v is None]
            return ToolResult(ok=False, error=f"need {' and '.join(missing)} first"), []
        started = clock.perf_counter()
        answer = await self._deps.availability.check(day, when, party)
        latency = (clock.perf_counter() - started) * 1000
        event = AvailabilityChecked(
            date=day,
            time=when,
            party_size=party,
            available=answer.available,
            alternatives=answer.alternatives,
            latency_ms=latency,
        )
        self._state.metadata.setdefault("sql_latency_ms", []).append(round(latency, 3))
        return (
            ToolResult(
                ok=True,
                data={
                    "available": answer.available,
                    "date": day.isoformat(),
                    "time": when.strftime("%H:%M") if when else None,
                    "party_size": party,
                    "alternatives": [t.strftime("%H:%M") for t in answer.alternatives],
                    "next_days": [d.isoformat() for d in answer.next_days],
                },
            ),
            [event],
        )

    async def _search_menu_and_policies(
        self, args: SearchArgs
    ) -> tuple[ToolResult, list[SessionEvent]]:
        result = await self._deps.rag.search(args.query)
        return (
            ToolResult(
                ok=True,
                data={"hits": [_hit_json(h) for h in result.hits], "timed_out": result.timed_out},
            ),
            [result],
        )

    async def _book_reservation(self, args: BookArgs) -> tuple[ToolResult, list[SessionEvent]]:
        state = self._state
        notepad = state.notepad
        if state.reservation_id is not None:
            return ToolResult(
                ok=True, data={"booked": True, "reservation_id": state.reservation_id}
            ), []
        missing = notepad.missing_fields()
        if missing:
            return ToolResult(ok=False, error=f"missing {', '.join(missing)}"), []
        assert notepad.date and notepad.time and notepad.party_size and notepad.name
        assert notepad.phone
        rules = self._deps.rules()
        result = await self._deps.storage.book(
            ReservationRequest(
                conversation_id=state.conversation_id,
                name=notepad.name,
                phone=notepad.phone,
                party_size=notepad.party_size,
                date=notepad.date,
                time=notepad.time,
                sitting_minutes=rules.profile.booking.sitting_minutes,
                email=notepad.email,
                special_requests=notepad.special_requests,
            )
        )
        if result.reservation is None:
            answer = await self._deps.availability.check(
                notepad.date, notepad.time, notepad.party_size
            )
            return (
                ToolResult(
                    ok=False,
                    error="taken",
                    data={
                        "booked": False,
                        "alternatives": [t.strftime("%H:%M") for t in answer.alternatives],
                    },
                ),
                [BookingFailed(reason="taken")],
            )
        reservation = result.reservation
        state.reservation_id = reservation.id
        self._deps.desk.adopt(reservation.id)
        await self._deps.persist()
        texted: list[SessionEvent] = []
        state.texts_wanted = state.texts_wanted and args.send_text
        if state.texts_wanted:
            message = await self._deps.desk.text(reservation, "booked")
            texted.append(TextMessageSent(to=message.to, body=message.body, sent=message.sent))
        return (
            ToolResult(
                ok=True,
                data={
                    "booked": True,
                    "reservation_id": reservation.id,
                    "table": reservation.table.name,
                    "code": reservation.code,
                    "code_spelled": spell_code(reservation.code),
                },
            ),
            [
                ReservationBooked(
                    reservation_id=reservation.id,
                    table=reservation.table.name,
                    date=reservation.date,
                    time=reservation.time,
                    party_size=reservation.party_size,
                    name=reservation.name,
                ),
                *texted,
            ],
        )

    async def _find_reservation(
        self, args: existing.FindReservationArgs
    ) -> tuple[ToolResult, list[SessionEvent]]:
        return await existing.find_reservation(self._deps.desk, args)

    async def _cancel_reservation(
        self, args: existing.CancelReservationArgs
    ) -> tuple[ToolResult, list[SessionEvent]]:
        result = await existing.cancel_reservation(self._deps.desk, self._state, args)
        await self._deps.persist()
        return result

    async def _change_reservation(
        self, args: existing.ChangeReservationArgs
    ) -> tuple[ToolResult, list[SessionEvent]]:
        profile = self._deps.rules().profile
        result = await existing.change_reservation(self._deps.desk, self._state, profile, args)
        await self._deps.persist()
        return result

    async def _escalate_to_human(self, args: EscalateArgs) -> tuple[ToolResult, list[SessionEvent]]:
        state = self._state
        missing = state.notepad.missing_fields()
        outcome = await self._deps.escalation.escalate(
            args.reason,
            detail=args.detail,
            notepad=state.notepad.filled(),
            missing=missing,
            transcript=state.transcript,
        )
        state.metadata["escalation"] = {
            "reason": outcome.reason,
            "state": outcome.state,
            "id": outcome.escalation_id,
        }
        await self._deps.persist()
        return (
            ToolResult(
                ok=True,
                data={
                    "state": outcome.state,
                    "reason": outcome.reason,
                    "say": outcome.handoff_line(),
                },
            ),
            [
                Escalated(
                    reason=outcome.reason,
                    state=outcome.state,
                    escalation_id=outcome.escalation_id,
                    missing=tuple(missing),
                )
            ],
        )


def _hit_json(hit: RagHit) -> dict[str, Any]:
    return {
        "source": hit.source,
        "title": hit.title,
        "score": round(hit.score, 4),
        "text": hit.text,
    }
