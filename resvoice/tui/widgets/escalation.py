"""The escalation panel: whether the call went to a human, why, and what became of it."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from resvoice.agent.events import Escalated

_STATE_STYLE = {
    "queued": "yellow",
    "transferred": "bold green",
    "callback": "bold yellow",
    "already_escalated": "dim",
}


class EscalationPanel(Widget):
    """`state` is "none" until the call escalates."""

    state: reactive[str] = reactive("none", layout=True)
    reason: reactive[str] = reactive("", layout=True)
    missing: reactive[tuple[str, ...]] = reactive(tuple, layout=True)

    def apply(self, event: Escalated) -> None:
        if event.state == "already_escalated":
            return  # the first hand-off stands
        self.state, self.reason, self.missing = event.state, event.reason, event.missing

    def reset(self) -> None:
        self.state, self.reason, self.missing = "none", "", ()

    def render(self) -> RenderableType:
        if self.state == "none":
            return Text("with the agent (no hand-off)", style="dim")
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold")
        table.add_column()
        table.add_row("state", Text(self.state, style=_STATE_STYLE.get(self.state, "")))
        table.add_row("reason", self.reason.replace("_", " "))
        if self.missing:
            table.add_row("missing", ", ".join(self.missing))
        return table
