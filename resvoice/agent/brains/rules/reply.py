"""What one turn of the rules brain says, and how it goes out.

The turn's sentences gather in `Reply.say`; a line the caller must hear whole (a read-back, a
booking and its deposit, a hand-off) is also kept in `Reply.keep` and goes out protected. A
line word for word the agent's last one is said another way (`repeats.vary_repeat`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from resvoice.agent.brains.base import TurnContext
from resvoice.agent.brains.rules.repeats import vary_repeat
from resvoice.agent.events import BrainEvent, TextDelta

__all__ = ["Reply", "last_agent_line"]


class Reply:
    """The sentences of one turn, in the order they are said."""

    def __init__(self) -> None:
        self.say: list[str] = []
        self.keep: set[str] = set()  # lines the caller must hear whole (protected speech)
        self.ack: str | None = None  # dropped again when a full read-back follows
        self.day_explained = False  # a problem line already said the day's hours

    def must_hear(self, line: str) -> None:
        """A line not to be cut off: a read-back, a booking and its deposit, a hand-off."""
        self.say.append(line)
        self.keep.add(line)

    async def emit(self, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        sentences = vary_repeat([s for s in self.say if s], last_agent_line(context), context.state)
        for index, sentence in enumerate(sentences):
            text = sentence if index == 0 else " " + sentence
            yield TextDelta(text, protected=sentence in self.keep)


def last_agent_line(context: TurnContext) -> str | None:
    return next((h.text for h in reversed(context.history) if h.role == "agent"), None)
