"""What is kept about one call besides its notepad and transcript: `CallMetadata`.

Written by the agent session, its tools and the voice session while the call runs; stored as
the session record's `metadata` JSON and read by `sessions show`, `stats`, `db export/import`
and the console. Field names are the JSON keys sessions were always saved with, so records
saved before this model existed load unchanged; keys this model does not know are kept as they
were (`extra="allow"`), so an export of an older database loses nothing.

This module imports nothing of the project, so storage, the agent and voice can all use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "RECENT_SAMPLES",
    "BookingChangeNote",
    "CallMetadata",
    "EscalationNote",
    "LatencyPercentiles",
    "ReplyCutNote",
    "keep_recent",
]

# Per-turn figures kept of one call: plenty for its percentiles, and a call's save then costs
# the same in its thousandth turn as in its first.
RECENT_SAMPLES = 1000


def keep_recent(samples: list[Any], value: Any, limit: int = RECENT_SAMPLES) -> None:
    """Append `value` to a per-turn series, dropping its oldest beyond `limit`."""
    samples.append(value)
    if len(samples) > limit:
        del samples[: len(samples) - limit]


class EscalationNote(BaseModel):
    """The call's hand-off to a human, as the escalation tool last recorded it."""

    reason: str
    state: str
    id: int | None = None


class BookingChangeNote(BaseModel):
    """A change this call made to an existing booking (kinds: cancel, move, party, note, late)."""

    reservation_id: int
    kinds: list[str] = Field(default_factory=list)


class ReplyCutNote(BaseModel):
    """A reply the LLM broke off mid-way, which the rules brain finished."""

    turn: int
    reason: str | None
    dropped: str


class LatencyPercentiles(BaseModel):
    """p50 and p95 of one latency key over a call's voice turns, in ms (nearest rank)."""

    p50: float
    p95: float


class CallMetadata(BaseModel):
    """One call's figures and facts; every field is optional, as calls differ in what they did."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    # who and how
    brain: str | None = None
    channel: str | None = None  # "twilio" for phone calls
    stream_sid: str | None = None
    caller_id: str | None = None
    started_at: dt.datetime | None = None
    ended: bool = False
    ended_at: dt.datetime | None = None
    ended_reason: str | None = None
    # what came of it
    reservation_id: int | None = None
    earlier_reservation_ids: list[int] = Field(default_factory=list)  # booked before it, this call
    escalation: EscalationNote | None = None
    booking_started: bool = False
    booking_turns: int = 0
    turns: int = 0  # the agent's replies so far (the series below keep the recent ones only)
    brain_state: dict[str, Any] = Field(default_factory=dict)  # each brain's own memory
    booking_changes: list[BookingChangeNote] = Field(default_factory=list)  # existing bookings
    texts_wanted: bool = True  # False once the caller asked for no text message
    texts: dict[str, int] = Field(default_factory=dict)  # the call's texts by outcome (sent...)
    # the core's figures (ms per sample)
    turn_latency_ms: list[float] = Field(default_factory=list)
    rag_latency_ms: list[float] = Field(default_factory=list)
    sql_latency_ms: list[float] = Field(default_factory=list)
    brain_fallbacks: int = 0
    brain_fallback_reasons: list[str] = Field(default_factory=list)
    reply_cuts: list[ReplyCutNote] = Field(default_factory=list)
    # the voice loop's figures: per turn, per latency key (`voice.latency.KEYS`), ms
    voice_turns: list[dict[str, float]] = Field(default_factory=list)
    voice_latency_ms: dict[str, LatencyPercentiles] = Field(default_factory=dict)
    voice_errors: dict[str, int] = Field(default_factory=dict)  # provider -> errors
    # a recorded call (`RESVOICE_RECORD=on`): the stereo WAV, or "declined" when the caller
    # asked not to be recorded (what was recorded is deleted)
    recording: str | None = None
