"""The `sessions` command's tables: saved calls (talk, serve, replay), list and one in full.

Reads through the `Storage` protocol only, so it shows calls from any backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from resvoice.agent.notepad import ALL_FIELDS, REQUIRED_FIELDS
from resvoice.call_metadata import CallMetadata
from resvoice.errors import ResvoiceError
from resvoice.percentile import percentile
from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord, SessionRecord, TextMessage
from resvoice.terminal import printable


class SessionNotFoundError(ResvoiceError):
    def __init__(self, conversation_id: str) -> None:
        super().__init__(
            f"no saved call has the id {conversation_id!r}; `resvoice sessions list` shows them"
        )


async def print_session_list(console: Console, storage: Storage, limit: int) -> int:
    """The newest `limit` calls, one row each; returns how many were shown."""
    records = await storage.list_sessions(limit=limit)
    by_call: dict[str, list[EscalationRecord]] = {}
    for escalation in await storage.escalations():
        by_call.setdefault(escalation.conversation_id, []).append(escalation)
    if not records:
        console.print("No saved calls yet: `resvoice talk` or `resvoice replay` make some.")
        return 0
    console.print(session_table(records, by_call))
    return len(records)


async def print_session(console: Console, storage: Storage, conversation_id: str) -> None:
    """One call in full: summary, notepad, transcript, escalations, latency."""
    record = await storage.load_session(conversation_id)
    if record is None:
        raise SessionNotFoundError(conversation_id)
    escalations = await storage.escalations(conversation_id)
    texts = await storage.texts(conversation_id=conversation_id)
    console.print(session_detail(record, escalations, texts))


def session_table(
    records: Sequence[SessionRecord], escalations: dict[str, list[EscalationRecord]]
) -> Table:
    table = Table(
        title="Saved calls (newest first)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
    )
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("started", no_wrap=True)
    table.add_column("turns", justify="right")
    table.add_column("booking", ratio=3, min_width=12)
    table.add_column("hand-off", ratio=2)
    table.add_column("end", ratio=2)
    for record in records:
        table.add_row(
            printable(record.conversation_id),
            _when(record.created_at, short=True),
            str(sum(1 for line in record.transcript if line.role == "caller")),
            _booking_summary(record),
            _escalation_summary(escalations.get(record.conversation_id, [])),
            _ended(record.metadata),
        )
    return table


def session_detail(
    record: SessionRecord,
    escalations: Sequence[EscalationRecord],
    texts: Sequence[TextMessage] = (),
) -> Group:
    meta = record.metadata
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row("call", printable(record.conversation_id))
    summary.add_row("started", _when(record.created_at))
    summary.add_row("last saved", _when(record.updated_at))
    summary.add_row("ended", _ended(meta))
    summary.add_row("brain", printable(meta.brain or "-"))
    if meta.caller_id:
        summary.add_row("caller id", printable(meta.caller_id))
    if meta.reservation_id is not None:
        summary.add_row("reservation", f"#{meta.reservation_id}")
    if meta.recording:
        declined = meta.recording == "declined"
        summary.add_row("recording", "declined by the caller" if declined else meta.recording)
    latencies = meta.turn_latency_ms
    if latencies:
        summary.add_row(
            "turn latency",
            f"median {percentile(latencies, 50):.1f} ms, worst {max(latencies):.1f} ms "
            f"over {len(latencies)} turns",
        )
    parts: list[RenderableType] = [
        Panel(summary, title="Call", title_align="left"),
        Panel(notepad_table(record.notepad), title="Notepad", title_align="left"),
        Panel(transcript_table(record), title="Transcript", title_align="left"),
    ]
    if escalations:
        parts.append(Panel(escalation_table(escalations), title="Escalation", title_align="left"))
    else:
        parts.append(
            Panel(Text("not escalated", style="dim"), title="Escalation", title_align="left")
        )
    if texts:
        parts.append(Panel(text_table(texts), title="Texts", title_align="left"))
    return Group(*parts)


def text_table(texts: Sequence[TextMessage]) -> Table:
    """Each text of the call: to, status (with the provider's id or the error), body."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for text in texts:
        style = {"sent": "green", "failed": "red", "skipped": "yellow"}.get(text.status, "")
        status = Text(text.status, style=style)
        if text.provider_id:
            status.append(f"  id {text.provider_id}", style="dim")
        if text.error:
            status.append(f"  {printable(text.error)}", style="dim")
        if text.attempts > 1:
            status.append(f"  after {text.attempts} tries", style="dim")
        table.add_row(f"to {printable(text.to)}", status)
        table.add_row("", printable(text.body))
    return table


def notepad_table(notepad: dict[str, Any]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for name in ALL_FIELDS:
        value = notepad.get(name)
        if value is not None:
            table.add_row(name, printable(str(value)))
        elif name in REQUIRED_FIELDS:
            table.add_row(name, Text("missing", style="yellow"))
        else:
            table.add_row(name, Text("-", style="dim"))
    return table


def transcript_table(record: SessionRecord) -> Table | Text:
    if not record.transcript:
        return Text("nothing was said", style="dim")
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for line in record.transcript:
        text = Text(printable(line.text))
        if line.interrupted:
            text.append("  [cut off]", style="italic dim")
        style = "cyan" if line.role == "caller" else "magenta" if line.role == "agent" else "dim"
        table.add_row(f"{line.at:%H:%M:%S}", Text(printable(line.role), style=style), text)
    return table


def escalation_table(escalations: Sequence[EscalationRecord]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for item in escalations:
        table.add_row(f"#{item.id}", Text(printable(item.status), style="bold"))
        table.add_row("reason", printable(item.reason.replace("_", " ")))
        table.add_row("missing", printable(", ".join(item.missing_fields)) or "nothing")
        if item.detail:
            table.add_row("detail", printable(item.detail))
        table.add_row("when", _when(item.created_at))
    return table


def _booking_summary(record: SessionRecord) -> str:
    notepad = record.notepad
    bits = [str(notepad[key]) for key in ("name",) if key in notepad]
    if "party_size" in notepad:
        bits.append(f"party of {notepad['party_size']}")
    if "date" in notepad:
        bits.append(str(notepad["date"]) + (f" {notepad['time']}" if "time" in notepad else ""))
    reservation = record.metadata.reservation_id
    if reservation is not None:
        bits.append(f"booked #{reservation}")
    return printable(", ".join(bits)) or "-"


def _escalation_summary(escalations: Sequence[EscalationRecord]) -> str:
    if not escalations:
        return "-"
    first = escalations[0]
    return printable(f"{first.status}: {first.reason.replace('_', ' ')}")


def _ended(metadata: CallMetadata) -> str:
    if not metadata.ended:
        return "open"  # still running, or the process died before hanging up
    return printable((metadata.ended_reason or "yes").replace("_", " "))


def _when(moment: dt.datetime | None, *, short: bool = False) -> str:
    if moment is None:
        return "-"
    return f"{moment:%m-%d %H:%M}" if short else f"{moment:%Y-%m-%d %H:%M:%S}"
