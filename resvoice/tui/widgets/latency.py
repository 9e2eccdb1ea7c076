"""The latency panel: how long the agent took, per turn, and the voice pipeline's figures."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from resvoice.agent.events import TurnCompleted
from resvoice.percentile import percentile

_VOICE_LABELS = {
    "end_of_speech_to_final_ms": "speech end → final",
    "final_to_first_token_ms": "final → first token",
    "first_token_to_first_sentence_ms": "token → sentence",
    "first_sentence_to_first_audio_ms": "sentence → audio",
    "end_of_speech_to_first_audio_ms": "speech end → audio",
}


class LatencyPanel(Widget):
    turns: reactive[tuple[float, ...]] = reactive(tuple, layout=True)
    voice: reactive[dict[str, float]] = reactive(dict, layout=True)

    def add_turn(self, event: TurnCompleted) -> None:
        self.turns = (*self.turns, event.latency_ms)

    def add_voice(self, figures: dict[str, float]) -> None:
        self.voice = dict(figures)

    def reset(self) -> None:
        self.turns, self.voice = (), {}

    def render(self) -> RenderableType:
        if not self.turns and not self.voice:
            return Text("no turns yet", style="dim")
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        if self.turns:
            table.add_row("last turn", f"{self.turns[-1]:.1f} ms")
            table.add_row("median", f"{percentile(self.turns, 50):.1f} ms")
            table.add_row("worst", f"{max(self.turns):.1f} ms  ({len(self.turns)} turns)")
        for key, label in _VOICE_LABELS.items():
            if key in self.voice:
                table.add_row(label, f"{self.voice[key]:.0f} ms")
        return table
