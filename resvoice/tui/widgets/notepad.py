"""The notepad panel: every reservation field, filled or missing, and validation problems."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from resvoice.agent.events import NotepadUpdated, ReservationBooked
from resvoice.agent.notepad import ALL_FIELDS, REQUIRED_FIELDS, Problem

_LABELS = {
    "name": "name",
    "phone": "phone",
    "party_size": "party",
    "date": "date",
    "time": "time",
    "email": "email",
    "special_requests": "requests",
}


class NotepadPanel(Widget):
    """Redraws whenever a `NotepadUpdated` or `ReservationBooked` is applied."""

    notepad: reactive[dict[str, Any]] = reactive(dict, layout=True)
    changed: reactive[tuple[str, ...]] = reactive(tuple, layout=True)
    problems: reactive[tuple[Problem, ...]] = reactive(tuple, layout=True)
    booking: reactive[str] = reactive("", layout=True)

    def apply(self, event: NotepadUpdated | ReservationBooked) -> None:
        if isinstance(event, NotepadUpdated):
            self.notepad = dict(event.notepad)
            self.changed = event.changed
            self.problems = event.problems
        else:
            self.booking = (
                f"booked #{event.reservation_id}: table {event.table}, "
                f"{event.date:%a %d %b} {event.time:%H:%M}, party of {event.party_size}"
            )

    def reset(self) -> None:
        self.notepad, self.changed, self.problems, self.booking = {}, (), (), ""

    def rows(self) -> list[tuple[str, str, str]]:
        """(field, value, status) per field; status is ok, missing, optional or the problem."""
        problems = {p.field: p.message for p in self.problems}
        out = []
        for name in ALL_FIELDS:
            value = self.notepad.get(name)
            if name in problems:
                status = f"⚠ {problems[name]}"
            elif value is not None:
                status = "✓"
            else:
                status = "missing" if name in REQUIRED_FIELDS else "optional"
            out.append((_LABELS[name], "" if value is None else str(value), status))
        return out

    def render(self) -> RenderableType:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        changed = {_LABELS[name] for name in self.changed if name in _LABELS}
        for label, value, status in self.rows():
            style = "green" if status == "✓" else "yellow" if status.startswith("⚠") else "dim"
            shown = Text(value, style="reverse" if label in changed else "")
            table.add_row(label, shown, Text(status, style=style))
        if self.booking:
            table.add_row("", "", "")
            table.add_row(Text("✔", style="bold green"), Text(self.booking, style="green"), "")
        return table
