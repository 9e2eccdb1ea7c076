"""A fake OpenAI server per test and sessions whose brain talks to it through the real SDK."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

pytest.importorskip("openai")

from resvoice.agent.brains.base import Brain
from resvoice.agent.brains.openai.client import OpenAIModel, connect
from resvoice.agent.clock import FixedClock
from resvoice.agent.escalation import RecordedTransfer
from resvoice.agent.events import SessionEvent
from resvoice.agent.session import AgentSession
from resvoice.runtime import Runtime
from tests.fakes.openai_server import FakeOpenAI

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key="sk-test") as server:
        yield server


async def open_model(
    server: FakeOpenAI,
    *,
    first_token_timeout_s: float = 30.0,
    inter_token_timeout_s: float = 30.0,
    api: str = "auto",
) -> OpenAIModel:
    return connect(
        api_key="sk-test",
        base_url=server.base_url,
        model="gpt-test",
        api=api,  # type: ignore[arg-type]
        first_token_timeout_s=first_token_timeout_s,
        inter_token_timeout_s=inter_token_timeout_s,
        retries=2,
        backoff_s=0.001,
        validate_replies=True,  # every payload must parse as the SDK's own models
    )


@pytest.fixture
async def model(fake: FakeOpenAI) -> AsyncIterator[OpenAIModel]:
    opened = await open_model(fake)
    yield opened
    await opened.close()


def call(runtime: Runtime, brain: Brain, *, caller_id: str | None = None) -> AgentSession:
    return AgentSession(
        conversation_id=f"test-{uuid.uuid4().hex[:8]}",
        storage=runtime.storage,
        profile=runtime.profile,
        brain=brain,
        retriever=runtime.retriever,
        clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone),
        transfer=RecordedTransfer(True),
        caller_id=caller_id,
    )


async def say(session: AgentSession, text: str) -> list[SessionEvent]:
    return [event async for event in session.turn(text)]
