"""Responses API first; Chat Completions for servers that answer `/responses` with a 404.

The choice is made once per `AutoStream` (the runtime shares one across a process's calls),
so a server without the Responses API costs one extra request, not one per turn.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing

import openai

from resvoice.agent.brains.openai.model import ModelEvent, ModelRequest, ModelStream

__all__ = ["AutoStream"]

log = logging.getLogger(__name__)


class AutoStream:
    def __init__(self, responses: ModelStream, chat: ModelStream) -> None:
        self._responses = responses
        self._chat = chat
        self._active = responses

    @property
    def name(self) -> str:
        return self._active.name

    async def stream(self, request: ModelRequest) -> AsyncGenerator[ModelEvent, None]:
        if self._active is self._responses:
            try:
                async with aclosing(self._responses.stream(request)) as events:
                    async for event in events:
                        yield event
                return
            except openai.NotFoundError as exc:
                if exc.code == "model_not_found":
                    raise  # the API exists; the model name is wrong
                log.warning("server has no Responses API (404); using Chat Completions")
                self._active = self._chat
        async with aclosing(self._chat.stream(request)) as events:
            async for event in events:
                yield event
