"""Render `CallStats` as rich tables for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from resvoice.insights.stats import CallStats, Latency
from resvoice.terminal import printable

NO_SESSIONS = "no sessions yet: stats appear once the agent has taken calls"
_STAGE_NAMES = {"stt": "STT", "llm": "LLM", "tts": "TTS", "end_to_end": "end of speech to audio"}


def print_stats(console: Console, stats: CallStats) -> None:
    """Calls, data capture, escalations and latency, one table each."""
    if stats.empty:
        console.print(NO_SESSIONS)
        return
    since = f" since {stats.since:%Y-%m-%d}" if stats.since else ""
    calls = _table(f"Calls{since}", "measure", "value")
    calls.add_row("sessions", str(stats.sessions))
    calls.add_row(
        "completed (reservation created)",
        f"{stats.completed_calls} ({pct(stats.completion_rate)})",
    )
    kinds = ", ".join(f"{n} {kind}" for kind, n in stats.changes_by_kind.items() if n)
    calls.add_row("bookings cancelled by phone", str(stats.phone_cancellations))
    calls.add_row(
        "bookings changed by phone", f"{stats.phone_changes}" + (f" ({kinds})" if kinds else "")
    )
    calls.add_row("bookings cancelled by staff", str(stats.staff_cancellations))
    calls.add_row("bookings changed by staff", str(stats.staff_changes))
    calls.add_row(
        "no-show risk (changed twice or more)",
        f"{stats.no_show_risk} ({stats.no_show_risk_booked} still booked)",
    )
    texts = stats.texts
    calls.add_row(
        "texts to guests",
        f"{texts.get('sent', 0)} sent, {texts.get('failed', 0)} failed, "
        f"{texts.get('skipped', 0)} skipped",
    )
    calls.add_row(
        "average duration",
        "n/a"
        if stats.average_duration_s is None
        else f"{stats.average_duration_s:.1f} s over {stats.ended_calls} ended calls",
    )
    calls.add_row(
        "all required fields captured",
        f"{stats.complete_sessions} ({pct(stats.complete_share)})",
    )
    calls.add_row(
        "fields captured per caller turn",
        "n/a"
        if stats.fields_per_turn is None
        else f"{stats.fields_per_turn:.2f} ({stats.fields_captured} over {stats.caller_turns})",
    )
    most = stats.most_missing_field
    calls.add_row(
        "most commonly missing field",
        "none" if most is None else f"{most} ({stats.missing_fields[most]} calls)",
    )
    console.print(calls)

    esc = _table(
        f"Escalations: {stats.escalated_sessions} calls ({pct(stats.escalation_rate)})",
        "reason",
        "count",
    )
    for reason, count in stats.escalation_reasons.items():
        esc.add_row(printable(reason.replace("_", " ")), str(count))
    esc.add_row(
        "time to pickup p50 / p95",
        "n/a (no claimed escalations)"
        if stats.pickup_s is None
        else f"{stats.pickup_s.p50:.0f} s / {stats.pickup_s.p95:.0f} s "
        f"({stats.pickup_s.samples} claimed)",
    )
    console.print(esc)

    lat = _table("Latency (ms)", "stage", "samples", "p50", "p95", "p99")
    _latency_row(lat, "RAG retrieval", stats.rag_latency_ms)
    _latency_row(lat, "SQL availability", stats.sql_latency_ms)
    for stage, series in stats.voice_latency_ms.items():
        _latency_row(lat, _STAGE_NAMES.get(stage, stage), series, p99=False)
    console.print(lat)
    if stats.voice_sessions:
        errors = ", ".join(f"{k} {v}" for k, v in sorted(stats.voice_errors.items())) or "none"
        errors = printable(errors)
        console.print(f"voice calls: {stats.voice_sessions}; provider errors: {errors}")
    else:
        console.print(
            "voice: no voice calls in this period (STT/LLM/TTS latency appears with them)"
        )


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    return table


def _latency_row(table: Table, name: str, series: Latency | None, *, p99: bool = True) -> None:
    if series is None:
        table.add_row(name, "0", "n/a", "n/a", "n/a")
        return
    table.add_row(
        name,
        str(series.samples),
        f"{series.p50:.1f}",
        f"{series.p95:.1f}",
        f"{series.p99:.1f}" if p99 else "-",
    )
