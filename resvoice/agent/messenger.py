"""Text messages to guests: the `Messenger` protocol and the two senders the core ships.

The agent texts a confirmation after every booking, change and cancellation the caller
confirmed. Which sender runs is the front end's choice: `replay` records (`RecordingMessenger`,
never sends), `talk` and `serve` log until an SMS sender is configured. A real sender (Twilio
SMS) implements the same one method.
"""

from __future__ import annotations

import logging
from typing import Protocol

from pydantic import BaseModel, ConfigDict

__all__ = ["LoggingMessenger", "MessageResult", "Messenger", "RecordingMessenger", "mask_phone"]

log = logging.getLogger(__name__)


class MessageResult(BaseModel):
    """What became of one message: `sent` False with an `error` when it could not go out."""

    model_config = ConfigDict(frozen=True)

    to: str
    body: str
    sent: bool
    id: str | None = None  # the provider's message id, when it gives one
    error: str | None = None


class Messenger(Protocol):
    """Sends one text message; never raises for a refused number, it reports it."""

    async def send(self, to: str, body: str) -> MessageResult: ...


class RecordingMessenger:
    """Keeps every message instead of sending it (replay, tests)."""

    def __init__(self) -> None:
        self.sent: list[MessageResult] = []

    async def send(self, to: str, body: str) -> MessageResult:
        result = MessageResult(to=to, body=body, sent=True, id=f"recorded-{len(self.sent) + 1}")
        self.sent.append(result)
        return result


class LoggingMessenger:
    """No SMS sender configured: log that a text would have gone out (number masked)."""

    async def send(self, to: str, body: str) -> MessageResult:
        log.info(
            "text not sent (no SMS sender configured) to=%s chars=%d", mask_phone(to), len(body)
        )
        return MessageResult(to=to, body=body, sent=False, error="no SMS sender configured")


def mask_phone(number: str) -> str:
    """All but the last two digits hidden: '+1*******67'."""
    digits = [c for c in number if c.isdigit()]
    if len(digits) <= 2:
        return "*" * len(digits)
    prefix = "+" if number.startswith("+") else ""
    return f"{prefix}{'*' * (len(digits) - 2)}{''.join(digits[-2:])}"
