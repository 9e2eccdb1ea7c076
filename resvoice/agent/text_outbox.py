"""`TextOutbox`: texts leave off the turn's path, are retried once and are all kept.

It is a `Messenger` that wraps the real sender (Twilio, or a recorder in replay and talk).
`send` only queues the text and returns at once; one worker task per outbox sends the queue in
order (a guest who books then cancels reads them in that order). Each text is stored with the
call (or the reservation, for staff) as `queued`, then `sent` with the provider's id or
`failed` with the error after one retry. Off (`RESVOICE_TEXTS=off`, no sender configured) or to
a number that is not E.164, nothing is sent and the text is stored as `skipped`. A send that
fails is logged with the number masked and never raises into the call; `drain` (the call's
end) waits for the queue with a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from resvoice.agent.messenger import MessageResult, Messenger, mask_phone
from resvoice.storage.base import Storage
from resvoice.storage.records import TextMessage, TextStatus

__all__ = ["DRAIN_TIMEOUT_S", "TextOutbox", "TextPolicy", "is_e164"]

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_S = 15.0  # a call's end waits this long at most for its texts
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def is_e164(number: str) -> bool:
    """'+15551234567': a plus, a country code and up to 15 digits in all."""
    return bool(_E164.match(number))


@dataclass(frozen=True)
class TextPolicy:
    """How texts go out: `off` says why none do (`RESVOICE_TEXTS=off`, no sender configured);
    `retries` after a failed send."""

    off: str | None = None
    retries: int = 1


class TextOutbox:
    """A `Messenger` that queues (see the module doc). One per call or per staff change."""

    def __init__(
        self,
        sender: Messenger,
        storage: Storage,
        *,
        conversation_id: str | None = None,
        reservation_id: int | None = None,
        policy: TextPolicy | None = None,
        on_outcome: Callable[[TextMessage], None] | None = None,
    ) -> None:
        self.sender = sender
        self._storage = storage
        self._conversation_id = conversation_id
        self._reservation_id = reservation_id
        self._policy = policy or TextPolicy()
        self._on_outcome = on_outcome
        self._queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._closed = False
        self.outcomes: list[TextMessage] = []  # each text as it ended, in order

    async def send(self, to: str, body: str) -> MessageResult:
        """Queue a text; the result says it was handed on (`sent`) or why it will not go."""
        if self._closed:
            log.error("text after its outbox closed, not sent", extra={"to": mask_phone(to)})
            return MessageResult(to=to, body=body, sent=False, error="too late: the call ended")
        refusal = self._refusal(to)
        self._queue.put_nowait((to, body))
        if self._worker is None or self._worker.done():  # the worker ends when it runs dry
            self._worker = asyncio.create_task(self._work(), name="text-outbox")
        if refusal is not None:
            return MessageResult(to=to, body=body, sent=False, error=refusal)
        return MessageResult(to=to, body=body, sent=True)

    @property
    def idle(self) -> bool:
        """Nothing queued or in flight."""
        return self._worker is None or self._worker.done()

    def close(self) -> None:
        """Take no more texts; the queued ones still go."""
        self._closed = True

    async def drain(self, timeout_s: float = DRAIN_TIMEOUT_S) -> list[TextMessage]:
        """Close, then wait (at most `timeout_s`) for every queued text; those still unsent are
        abandoned (left `queued` in storage) and logged. Returns every text's outcome."""
        self.close()
        worker = self._worker
        if worker is None or worker.done():
            return self.outcomes
        done, _ = await asyncio.wait({worker}, timeout=timeout_s)
        if not done:
            log.error(
                "texts unsent when their sender stopped", extra={"texts": self._queue.qsize()}
            )
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        return self.outcomes

    # the worker ------------------------------------------------------------------------------
    async def _work(self) -> None:
        while not self._queue.empty():  # no task is left waiting once the queue is sent
            item = self._queue.get_nowait()
            try:
                await self._deliver(*item)
            except Exception:  # storage trouble: never into the call
                log.exception("text not recorded", extra={"to": mask_phone(item[0])})

    async def _deliver(self, to: str, body: str) -> None:
        refusal = self._refusal(to)
        stored = await self._storage.add_text(
            TextMessage(
                conversation_id=self._conversation_id,
                reservation_id=self._reservation_id,
                to=to,
                body=body,
                status="queued" if refusal is None else "skipped",
                error=refusal,
            )
        )
        if refusal is not None:
            log.info("text skipped", extra={"to": mask_phone(to), "reason": refusal})
            self._finish(stored)
            return
        status: TextStatus = "failed"
        result: MessageResult | None = None
        attempts = 0
        for attempts in range(1, self._policy.retries + 2):
            result = await self._attempt(to, body)
            if result.sent:
                status = "sent"
                break
            log.warning(
                "text send failed",
                extra={"to": mask_phone(to), "attempt": attempts, "error": _masked(result.error)},
            )
        assert result is not None and stored.id is not None
        updated = await self._storage.update_text(
            stored.id, status, provider_id=result.id, error=result.error, attempts=attempts
        )
        log.info("text %s", status, extra={"to": mask_phone(to), "attempts": attempts})
        self._finish(updated or stored)

    async def _attempt(self, to: str, body: str) -> MessageResult:
        try:
            return await self.sender.send(to, body)
        except Exception as exc:  # a sender should report, not raise; the call goes on anyway
            return MessageResult(to=to, body=body, sent=False, error=f"{type(exc).__name__}: {exc}")

    def _refusal(self, to: str) -> str | None:
        if self._policy.off is not None:
            return self._policy.off
        if not is_e164(to):
            return "not an E.164 number"
        return None

    def _finish(self, message: TextMessage) -> None:
        self.outcomes.append(message)
        if self._on_outcome is not None:
            self._on_outcome(message)


_NUMBER = re.compile(r"\+?\d[\d ().-]{5,}\d")


def _masked(text: str | None) -> str | None:
    """A provider's error with every phone number in it masked (Twilio's name the number)."""
    return _NUMBER.sub(lambda match: mask_phone(match.group()), text) if text else text
