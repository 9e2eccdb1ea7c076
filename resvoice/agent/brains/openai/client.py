"""Assembles the OpenAI brain from explicit settings: one client and model stream per process,
one brain per call (its conversation lives in the call's state, not in the brain)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from resvoice.agent.brains.base import Brain
from resvoice.agent.brains.openai.model import ModelStream
from resvoice.errors import ConfigError, MissingExtraError

if TYPE_CHECKING:
    import httpx2
    from openai import AsyncOpenAI

__all__ = ["OpenAIModel", "connect", "preload"]
ApiChoice = Literal["auto", "responses", "chat"]


@dataclass
class OpenAIModel:
    """An SDK client and the model stream over it; `brain()` makes a brain for one call."""

    client: AsyncOpenAI
    stream: ModelStream
    first_token_timeout_s: float = 4.0
    inter_token_timeout_s: float = 3.0

    def brain(self) -> Brain:
        from resvoice.agent.brains.openai.brain import OpenAIBrain
        from resvoice.agent.brains.openai.fallback import FallbackBrain
        from resvoice.agent.brains.rules.brain import RulesBrain

        return FallbackBrain(
            OpenAIBrain(self.stream),
            RulesBrain(),
            first_token_timeout_s=self.first_token_timeout_s,
            inter_token_timeout_s=self.inter_token_timeout_s,
        )

    async def close(self) -> None:
        await self.client.close()


def preload() -> None:
    """Import the SDK and the parts of it the brain uses (slow: run it in a worker thread)."""
    try:
        import openai.resources.chat
        import openai.resources.responses  # noqa: F401

        import resvoice.agent.brains.openai.api_choice
        import resvoice.agent.brains.openai.brain
        import resvoice.agent.brains.openai.chat_stream
        import resvoice.agent.brains.openai.responses_stream
        import resvoice.agent.brains.openai.retry  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("the OpenAI brain", "openai", missing=exc.name) from exc


def connect(
    *,
    api_key: str | None,
    base_url: str | None,
    model: str,
    api: ApiChoice = "auto",
    first_token_timeout_s: float = 4.0,
    inter_token_timeout_s: float = 3.0,
    retries: int = 2,
    backoff_s: float = 0.25,
    request_timeout_s: float = 30.0,
    http_client: httpx2.AsyncClient | None = None,
    validate_replies: bool = False,
) -> OpenAIModel:
    """A client for OpenAI or any compatible server at `base_url` (a local server may take no
    key: a placeholder is sent). `validate_replies` checks every payload against the SDK's
    models (tests use it to keep their fake server true to the API)."""
    try:
        from openai import AsyncOpenAI

        from resvoice.agent.brains.openai.api_choice import AutoStream
        from resvoice.agent.brains.openai.chat_stream import ChatStream
        from resvoice.agent.brains.openai.responses_stream import ResponsesStream
        from resvoice.agent.brains.openai.retry import RetryingStream
    except ImportError as exc:
        raise MissingExtraError("the OpenAI brain", "openai", missing=exc.name) from exc
    if not api_key and not base_url:
        raise ConfigError(
            "the OpenAI brain needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server); "
            "or use --brain rules"
        )
    client = AsyncOpenAI(
        api_key=api_key or "not-needed",
        base_url=base_url,
        max_retries=0,  # RetryingStream retries, inside the first-token deadline
        timeout=request_timeout_s,
        http_client=http_client,
        _strict_response_validation=validate_replies,
    )
    stream: ModelStream
    if api == "responses":
        stream = ResponsesStream(client, model)
    elif api == "chat":
        stream = ChatStream(client, model)
    else:
        stream = AutoStream(ResponsesStream(client, model), ChatStream(client, model))
    return OpenAIModel(
        client=client,
        stream=RetryingStream(stream, retries=retries, backoff_s=backoff_s),
        first_token_timeout_s=first_token_timeout_s,
        inter_token_timeout_s=inter_token_timeout_s,
    )
