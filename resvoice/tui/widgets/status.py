"""The status bar: typed or voice mode (and why), the agent's state, the microphone level."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_STATE_STYLE = {
    "idle": "dim",
    "listening": "bold green",
    "processing": "bold yellow",
    "speaking": "bold magenta",
}
_METER_WIDTH = 12
_FLOOR_DB = -60.0


def meter(level_db: float, width: int = _METER_WIDTH) -> str:
    """A bar for a dBFS level: empty at -60 dBFS and below, full at 0."""
    filled = round(width * min(1.0, max(0.0, (level_db - _FLOOR_DB) / -_FLOOR_DB)))
    return "█" * filled + "░" * (width - filled)


class StatusBar(Widget):
    mode: reactive[str] = reactive("typed")
    reason: reactive[str] = reactive("")
    state: reactive[str] = reactive("idle")
    level_db: reactive[float] = reactive(_FLOOR_DB)
    muted: reactive[bool] = reactive(False)

    def render(self) -> RenderableType:
        text = Text.assemble(("● ", _STATE_STYLE.get(self.state, "")), (self.state, "bold"), "  ")
        if self.mode == "starting":
            text.append("starting…", style="dim")
        elif self.mode == "voice":
            text.append("voice  mic ")
            if self.muted:
                text.append("muted", style="bold red")
            else:
                text.append(meter(self.level_db), style="green")
        else:
            text.append("typed mode", style="bold")
            if self.reason:
                text.append(f": {self.reason}", style="dim")
        return text
