"""The retrieval panel: what the last caller turn pulled from menu, policies, FAQ and tables."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from resvoice.agent.events import AvailabilityChecked, RagHit, RagHits


class RagPanel(Widget):
    """Shows the hits of the last turn that retrieved anything, best first."""

    intent: reactive[str] = reactive("", layout=True)
    hits: reactive[tuple[RagHit, ...]] = reactive(tuple, layout=True)
    latency_ms: reactive[float] = reactive(0.0, layout=True)
    timed_out: reactive[bool] = reactive(False, layout=True)
    availability: reactive[str] = reactive("", layout=True)

    def apply(self, event: RagHits | AvailabilityChecked) -> None:
        if isinstance(event, RagHits):
            if event.intent == "none":
                return  # small talk: keep showing the last retrieval
            self.intent, self.hits = event.intent, event.hits
            self.latency_ms, self.timed_out = event.latency_ms, event.timed_out
        else:
            when = f"{event.date:%a %d %b}"
            others = ", ".join(f"{t:%H:%M}" for t in event.alternatives)
            if event.time is None:  # a day asked about: the times on offer
                self.availability = f"{when}, {event.party_size}: {others or 'nothing free'}"
            elif event.available:
                self.availability = f"{when} {event.time:%H:%M}, {event.party_size}: free"
            else:
                self.availability = (
                    f"{when} {event.time:%H:%M}, {event.party_size}: taken (try {others or '-'})"
                )

    def reset(self) -> None:
        self.intent, self.hits, self.latency_ms, self.timed_out = "", (), 0.0, False
        self.availability = ""

    def rows(self) -> list[tuple[str, str, str]]:
        """(source, title, score) per hit, in the order the agent received them."""
        return [(hit.source, hit.title, f"{hit.score:.2f}") for hit in self.hits]

    def render(self) -> RenderableType:
        if not self.intent:
            head = Text("no retrieval yet", style="dim")
        else:
            note = " timed out" if self.timed_out else ""
            head = Text.assemble(
                ("intent ", "dim"),
                (self.intent, "bold"),
                (f"  {self.latency_ms:.0f} ms{note}", "dim"),
            )
        table = Table(expand=True, box=None, padding=(0, 1), show_header=bool(self.hits))
        table.add_column("source", style="cyan", no_wrap=True)
        table.add_column("title", ratio=1, overflow="ellipsis", no_wrap=True)
        table.add_column("score", justify="right", no_wrap=True)
        for row in self.rows():
            table.add_row(*row)
        parts: list[RenderableType] = [head, table]
        if self.availability:
            parts.append(Text.assemble(("tables ", "dim"), self.availability))
        return Group(*parts)
