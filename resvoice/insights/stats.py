"""Call statistics for the restaurant, computed from stored sessions and escalations.

Reads only `list_sessions` and `escalations`, which every `Storage` backend implements, so the
figures are the same on SQLite and Postgres. Definitions (also in the README):

- a session is *complete* when its notepad holds every required field;
- *fields per turn* is all captured notepad fields over all caller turns (spoken or keyed);
- the *most missing* field is the required field absent from the most notepads;
- the *escalation rate* is the share of sessions with at least one escalation; reasons are
  grouped as user_requested, missing_data, frustrated, party_size and other;
- *time to pickup* is `claimed_at` minus `created_at`, for escalations a human has claimed on
  the console (whatever their status now, resolved included);
- a call is *completed* when it created a reservation; its *duration* runs from `started_at`
  to `ended_at` in the session metadata, for calls that ended;
- *cancellations* and *changes* by phone count what calls did to existing bookings (the
  session's `booking_changes`): a cancellation, or a change of kind move, party, note or late
  (one change may be of several kinds; `changes_by_kind` counts each);
- *staff cancellations* and *staff changes* count the entries the staff made in the book's
  history (`resvoice bookings`, the console), one per change; *texts* are the stored texts to
  guests by outcome (sent, failed, skipped);
- a booking is at *no-show risk* when it was changed twice or more: two or more entries in its
  history besides the booking itself (cancel, move, party, note, late; by anyone; a move that
  also changes the party is two); `no_show_risk_booked` counts those still booked;
- latency percentiles are nearest-rank (`resvoice.percentile`) over every recorded sample, in
  milliseconds, the same definition as a call's own `voice_latency_ms`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from pydantic import BaseModel

from resvoice.agent.notepad import ALL_FIELDS, REQUIRED_FIELDS
from resvoice.errors import ResvoiceError
from resvoice.percentile import percentile
from resvoice.storage.records import (
    EscalationRecord,
    Reservation,
    ReservationChange,
    SessionRecord,
    TextMessage,
)

__all__ = [
    "ESCALATION_GROUPS",
    "VOICE_STAGES",
    "CallStats",
    "Latency",
    "SessionSource",
    "compute_stats",
    "load_stats",
    "parse_since",
]

CHANGE_KINDS = ("move", "party", "note", "late")
ESCALATION_GROUPS = ("user_requested", "missing_data", "frustrated", "party_size", "other")
# voice stage -> the `voice_turns` key that measures it
VOICE_STAGES: dict[str, str] = {
    "stt": "end_of_speech_to_final_ms",
    "llm": "final_to_first_token_ms",
    "tts": "first_sentence_to_first_audio_ms",
    "end_to_end": "end_of_speech_to_first_audio_ms",
}


class SessionSource(Protocol):
    """The two reads stats need; every `Storage` backend provides them."""

    async def list_sessions(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]: ...

    async def escalations(self, conversation_id: str | None = None) -> list[EscalationRecord]: ...

    async def reservation_changes(
        self, reservation_id: int | None = None
    ) -> list[ReservationChange]: ...

    async def all_reservations(self) -> list[Reservation]: ...

    async def texts(
        self, conversation_id: str | None = None, reservation_id: int | None = None
    ) -> list[TextMessage]: ...


class Latency(BaseModel):
    """Percentiles of one latency series, in milliseconds (seconds for pickup)."""

    samples: int
    p50: float
    p95: float
    p99: float
    values: list[float] = []  # kept for the HTML histogram, left out of --json

    @classmethod
    def of(cls, values: Iterable[float]) -> Latency | None:
        ordered = sorted(float(v) for v in values)
        if not ordered:
            return None
        return cls(
            samples=len(ordered),
            p50=percentile(ordered, 50),
            p95=percentile(ordered, 95),
            p99=percentile(ordered, 99),
            values=ordered,
        )


class CallStats(BaseModel):
    since: dt.datetime | None = None
    sessions: int = 0
    complete_sessions: int = 0
    complete_share: float | None = None
    caller_turns: int = 0
    fields_captured: int = 0
    fields_per_turn: float | None = None
    missing_fields: dict[str, int] = {}  # required field -> notepads lacking it
    most_missing_field: str | None = None
    escalated_sessions: int = 0
    escalation_rate: float | None = None
    escalation_reasons: dict[str, int] = {}
    pickup_s: Latency | None = None
    completed_calls: int = 0
    completion_rate: float | None = None
    phone_cancellations: int = 0
    phone_changes: int = 0
    changes_by_kind: dict[str, int] = {}
    staff_cancellations: int = 0
    staff_changes: int = 0
    no_show_risk: int = 0  # bookings changed twice or more
    no_show_risk_booked: int = 0  # of them, still booked
    texts: dict[str, int] = {}  # sent / failed / skipped
    ended_calls: int = 0
    average_duration_s: float | None = None
    rag_latency_ms: Latency | None = None
    sql_latency_ms: Latency | None = None
    voice_sessions: int = 0
    voice_latency_ms: dict[str, Latency] = {}
    voice_errors: dict[str, int] = {}
    calls_per_day: dict[str, int] = {}

    @property
    def empty(self) -> bool:
        return self.sessions == 0 and not (self.staff_cancellations or self.staff_changes)

    def as_json(self) -> dict[str, Any]:
        """The `--json` object: every figure, without the raw latency samples."""
        data = self.model_dump(mode="json")
        for key in ("pickup_s", "rag_latency_ms", "sql_latency_ms"):
            if data[key] is not None:
                data[key].pop("values")
        for series in data["voice_latency_ms"].values():
            series.pop("values")
        return data


async def load_stats(source: SessionSource, since: dt.datetime | None = None) -> CallStats:
    """Read sessions (created at or after `since`) and their escalations, and summarise them."""
    sessions = await source.list_sessions(since=since)
    wanted = {s.conversation_id for s in sessions}
    escalations = [e for e in await source.escalations() if e.conversation_id in wanted]
    stats = compute_stats(sessions, escalations, since=since)
    after = since.replace(tzinfo=dt.UTC) if since and since.tzinfo is None else since
    changes = [
        c for c in await source.reservation_changes() if after is None or (c.at and c.at >= after)
    ]
    texts = [
        t for t in await source.texts() if after is None or (t.created_at and t.created_at >= after)
    ]
    add_book_figures(stats, changes, texts, await source.all_reservations())
    return stats


def add_book_figures(
    stats: CallStats,
    changes: Sequence[ReservationChange],
    texts: Sequence[TextMessage],
    reservations: Sequence[Reservation],
) -> None:
    """The staff's changes, no-show risk and texts (see the module docstring)."""
    entries: Counter[int] = Counter()
    for change in changes:
        if change.kind == "book":
            continue
        if change.by == "staff":
            stats.staff_cancellations += change.kind == "cancel"
            stats.staff_changes += change.kind != "cancel"
        entries[change.reservation_id] += 1
    risky = {rid for rid, count in entries.items() if count >= 2}
    stats.no_show_risk = len(risky)
    stats.no_show_risk_booked = sum(r.status == "booked" for r in reservations if r.id in risky)
    outcomes = Counter(text.status for text in texts if text.status != "queued")
    stats.texts = {status: outcomes[status] for status in ("sent", "failed", "skipped")}


def compute_stats(
    sessions: Sequence[SessionRecord],
    escalations: Sequence[EscalationRecord],
    *,
    since: dt.datetime | None = None,
) -> CallStats:
    """Summarise sessions and their escalations; see the module docstring for definitions."""
    stats = CallStats(since=since, sessions=len(sessions))
    if not sessions:
        return stats
    n = len(sessions)
    missing: Counter[str] = Counter({name: 0 for name in REQUIRED_FIELDS})
    kinds_seen: Counter[str] = Counter({kind: 0 for kind in CHANGE_KINDS})
    for session in sessions:
        lacking = [f for f in REQUIRED_FIELDS if session.notepad.get(f) is None]
        missing.update(lacking)
        stats.complete_sessions += not lacking
        stats.fields_captured += sum(session.notepad.get(f) is not None for f in ALL_FIELDS)
        stats.caller_turns += sum(line.role == "caller" for line in session.transcript)
        stats.completed_calls += bool(
            session.metadata.reservation_id is not None or session.metadata.earlier_reservation_ids
        )
        for change in session.metadata.booking_changes:
            if "cancel" in change.kinds:
                stats.phone_cancellations += 1
            elif change.kinds:
                stats.phone_changes += 1
            kinds_seen.update(kind for kind in change.kinds if kind != "cancel")
    stats.complete_share = stats.complete_sessions / n
    if stats.caller_turns:
        stats.fields_per_turn = stats.fields_captured / stats.caller_turns
    stats.missing_fields = dict(missing)
    if any(missing.values()):
        # ties go to the earlier required field, so the answer is stable
        stats.most_missing_field = max(REQUIRED_FIELDS, key=lambda f: missing[f])
    stats.completion_rate = stats.completed_calls / n
    stats.changes_by_kind = dict(kinds_seen)

    stats.escalated_sessions = len({e.conversation_id for e in escalations})
    stats.escalation_rate = stats.escalated_sessions / n
    reasons: Counter[str] = Counter({group: 0 for group in ESCALATION_GROUPS})
    reasons.update(e.reason if e.reason in ESCALATION_GROUPS else "other" for e in escalations)
    stats.escalation_reasons = dict(reasons)
    stats.pickup_s = Latency.of(p for e in escalations if (p := _pickup_s(e)) is not None)

    durations = [d for s in sessions if (d := _duration_s(s)) is not None]
    stats.ended_calls = len(durations)
    stats.average_duration_s = sum(durations) / len(durations) if durations else None
    stats.rag_latency_ms = Latency.of(v for s in sessions for v in s.metadata.rag_latency_ms)
    stats.sql_latency_ms = Latency.of(v for s in sessions for v in s.metadata.sql_latency_ms)
    _voice(stats, sessions)
    days = Counter(_day(s) for s in sessions)
    stats.calls_per_day = {day: days[day] for day in sorted(days)}
    return stats


def _voice(stats: CallStats, sessions: Sequence[SessionRecord]) -> None:
    series: dict[str, list[float]] = {stage: [] for stage in VOICE_STAGES}
    errors: Counter[str] = Counter()
    for session in sessions:
        turns = session.metadata.voice_turns
        if turns:
            stats.voice_sessions += 1
            for turn in turns:
                for stage, key in VOICE_STAGES.items():
                    if key in turn:
                        series[stage].append(turn[key])
        errors.update(session.metadata.voice_errors)
    stats.voice_latency_ms = {
        stage: latency for stage, values in series.items() if (latency := Latency.of(values))
    }
    stats.voice_errors = dict(errors)


def _pickup_s(escalation: EscalationRecord) -> float | None:
    """Claim time minus creation time, whatever happened after the claim (resolved too)."""
    if escalation.claimed_at is None or escalation.created_at is None:
        return None
    return max(0.0, (escalation.claimed_at - escalation.created_at).total_seconds())


def _duration_s(session: SessionRecord) -> float | None:
    started, ended = session.metadata.started_at, session.metadata.ended_at
    if started is None or ended is None:
        return None
    return max(0.0, (ended - started).total_seconds())


def _day(session: SessionRecord) -> str:
    started = session.metadata.started_at or session.created_at
    return started.date().isoformat() if started else "unknown"


def parse_since(text: str) -> dt.datetime:
    """`--since`: an ISO date (midnight UTC) or datetime; a clear error otherwise."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ResvoiceError(f"--since {text!r} is not a date; use YYYY-MM-DD") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
