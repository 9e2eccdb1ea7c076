"""Retry a model request on 429, 5xx and connection errors, with exponential backoff.

Only a request that has handed nothing on is retried: once text has gone to the caller a
second attempt would repeat it, so a failure after that is the resilience wrapper's to handle.
The SDK's own retries are turned off (`max_retries=0`) so every retry is seen and logged here
and stays inside the brain's first-token deadline.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing

import openai

from resvoice.agent.brains.openai.model import ModelEvent, ModelRequest, ModelStream

__all__ = ["RetryingStream", "is_retryable"]

log = logging.getLogger(__name__)
MAX_DELAY_S = 2.0


class RetryingStream:
    """Wraps a model stream; `retries` more attempts, waiting `backoff_s * 2**n` (or what a
    `Retry-After` header asks, capped at `MAX_DELAY_S`) before attempt n+1."""

    def __init__(self, inner: ModelStream, *, retries: int = 2, backoff_s: float = 0.25) -> None:
        self._inner = inner
        self._retries = retries
        self._backoff_s = backoff_s

    @property
    def name(self) -> str:
        return self._inner.name

    async def stream(self, request: ModelRequest) -> AsyncGenerator[ModelEvent, None]:
        attempt = 0
        while True:
            handed_on = False
            try:
                async with aclosing(self._inner.stream(request)) as events:
                    async for event in events:
                        handed_on = True
                        yield event
                return
            except openai.OpenAIError as exc:
                if handed_on or attempt >= self._retries or not is_retryable(exc):
                    raise
                delay = _delay(exc, self._backoff_s * 2**attempt)
                attempt += 1
                log.warning(
                    "openai request failed, retrying",
                    extra={"error": _describe(exc), "attempt": attempt, "delay_s": delay},
                )
                await asyncio.sleep(delay)


def is_retryable(exc: BaseException) -> bool:
    """429, any 5xx, and connection failures (timeouts included) are worth another try."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)


def _delay(exc: openai.OpenAIError, default: float) -> float:
    if isinstance(exc, openai.APIStatusError):
        header = exc.response.headers.get("retry-after")
        try:
            if header is not None:
                return min(max(float(header), 0.0), MAX_DELAY_S)
        except ValueError:
            pass
    return min(default, MAX_DELAY_S)


def _describe(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__
