"""The widgets of `resvoice talk`, one module each; each redraws from reactive attributes."""

from resvoice.tui.widgets.conversation import Conversation
from resvoice.tui.widgets.escalation import EscalationPanel
from resvoice.tui.widgets.latency import LatencyPanel
from resvoice.tui.widgets.notepad import NotepadPanel
from resvoice.tui.widgets.rag import RagPanel
from resvoice.tui.widgets.status import StatusBar

__all__ = [
    "Conversation",
    "EscalationPanel",
    "LatencyPanel",
    "NotepadPanel",
    "RagPanel",
    "StatusBar",
]
