"""The runtime picks the OpenAI brain and its model from settings; one brain per call."""

from __future__ import annotations

import pytest

from resvoice.config import Settings
from resvoice.runtime import Runtime
from tests.agent.openai.conftest import say
from tests.fakes.openai_server import FakeOpenAI, Reply, Text


async def test_key_in_settings_means_openai_brain_connected_at_open(
    settings: Settings, seeded_url: str, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("RESVOICE_OPENAI_MODEL", "gpt-settings")
    runtime = await Runtime.open(Settings(), seeded_url)
    try:
        fake.script(Reply((Text("Hello from the model."),)), Reply((Text("Again."),)))
        first, second = runtime.session(), runtime.session()
        assert first.brain.name == "openai"
        assert first.state.metadata.brain == "openai"
        assert first.brain is not second.brain  # one brain per call
        done = (await say(first, "hi"))[-1]
        await say(second, "hi")
        assert getattr(done, "reply", None) == "Hello from the model."
        assert [r.body["model"] for r in fake.model_requests()] == ["gpt-settings"] * 2
    finally:
        await runtime.close()


async def test_rules_transcripts_still_run_with_a_key_but_no_reachable_model(
    settings: Settings, seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    runtime = await Runtime.open(Settings(), seeded_url)
    try:
        assert runtime.session(brain="rules").brain.name == "rules"
    finally:
        await runtime.close()


async def test_the_inter_token_timeout_setting_reaches_the_brain(
    settings: Settings, seeded_url: str, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("RESVOICE_FIRST_TOKEN_TIMEOUT", "30")
    monkeypatch.setenv("RESVOICE_INTER_TOKEN_TIMEOUT", "0.5")
    runtime = await Runtime.open(Settings(), seeded_url)
    try:
        fake.script(Reply((Text("Sure. ", "We have ", "a table."),), fail_after=2, failure="stall"))
        session = runtime.session()
        done = (await say(session, "hi"))[-1]
        assert getattr(done, "reply", "").startswith("Sure. Sorry")
        assert session.state.metadata.brain_fallback_reasons == ["stalled 0.5 s mid-reply"]
    finally:
        await runtime.close()
