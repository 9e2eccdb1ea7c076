"""The conversation: caller and agent lines, and the caller's words as they stream."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

_ROLE_LABEL = {"caller": "caller", "agent": "agent ", "system": "      "}


class Line(Static):
    """One transcript line; an agent line grows while its reply streams in."""

    def __init__(self, role: str, text: str = "") -> None:
        super().__init__(classes=role)
        self.role = role
        self.text = text
        self.interrupted = False
        self._show()

    def extend(self, text: str) -> None:
        self.text += text
        self._show()

    def settle(self, text: str, *, interrupted: bool = False) -> None:
        self.text, self.interrupted = text, interrupted
        self._show()

    def _show(self) -> None:
        body = Text(self.text.strip())
        if self.interrupted:
            body.append("  [cut off]", style="italic dim")
        self.update(Text.assemble((_ROLE_LABEL.get(self.role, self.role), "bold"), " ", body))


class Conversation(VerticalScroll):
    """Lines in order, and below them what the caller is saying right now (`partial`)."""

    partial: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._reply: Line | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="partial")

    def lines(self) -> list[tuple[str, str]]:
        """(role, text) of every line shown, in order."""
        return [(line.role, line.text.strip()) for line in self.query(Line)]

    def say(self, role: str, text: str) -> Line:
        line = Line(role, text)
        self.mount(line, before=self.query_one("#partial"))
        self.scroll_end(animate=False)
        return line

    def caller(self, text: str) -> None:
        self.partial = ""
        self.say("caller", text)

    def agent_delta(self, text: str) -> None:
        if self._reply is None:
            self._reply = self.say("agent", "")
        self._reply.extend(text)
        self.scroll_end(animate=False)

    def agent_withdraw(self, kept: str) -> None:
        """The reply broke off: only `kept` of what streamed stands; more may follow."""
        if self._reply is not None:
            self._reply.settle(kept)

    def agent_done(self, text: str) -> None:
        """The turn's reply as the core recorded it; replaces what streamed."""
        if self._reply is None and text:
            self._reply = self.say("agent", "")
        if self._reply is not None:
            self._reply.settle(text)
        self._reply = None

    def agent_cut(self, heard: str) -> None:
        """Barge-in: the caller heard only `heard` of the last reply."""
        lines = [line for line in self.query(Line) if line.role == "agent"]
        if lines:
            lines[-1].settle(heard, interrupted=True)
        self._reply = None

    def note(self, text: str) -> None:
        self.say("system", text)

    def reset(self) -> None:
        self._reply = None
        self.partial = ""
        self.query(Line).remove()

    def watch_partial(self, text: str) -> None:
        partial = self.query_one("#partial", Static)
        partial.update(Text.assemble(("caller ", "bold"), (text + " …", "italic")) if text else "")
        partial.display = bool(text)
