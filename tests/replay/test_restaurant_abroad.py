"""A restaurant outside North America: numbers said the local way are heard as local numbers.

The country a caller's number belongs to comes from the restaurant's own phone unless
`RESVOICE_PHONE_REGION` says otherwise, so a Manchester trattoria books "07700 900123" as a UK
mobile, reads it back as the caller said it, and texts it in E.164.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from resvoice.config import Settings
from resvoice.replay.runner import replay_file
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from tests.conftest import ROOT

CALL = {
    "name": "A UK mobile said the local way",
    "today": "2026-03-03T14:00",
    "turns": [
        {"user": "Hello, a table for two on Thursday at 7pm please"},
        {"user": "Siobhan Kelly"},
        {
            "user": "It's oh seven seven double oh, nine double oh one two three",
            "expect": {"reply_contains": ["07700 900123"]},
        },
        {"user": "Yes, lovely"},
    ],
    "expect": {"notepad": {"phone": "+447700900123"}, "reservation": "booked"},
}


async def _runtime(settings: Settings, url: str, tmp_path: Path) -> Runtime:
    data = yaml.safe_load((ROOT / "resvoice" / "demo" / "restaurant.yaml").read_text())
    data["restaurant"].update(phone="+44 161 496 0000", timezone="Europe/London")
    path = tmp_path / "restaurant.yaml"
    path.write_text(yaml.safe_dump(data))
    storage = await open_storage(url)
    try:
        await seed_restaurant(storage, load_profile(path), HashingEmbedder())
    finally:
        await storage.close()
    return await Runtime.open(settings, url)


@pytest.fixture
def call_file(tmp_path: Path) -> Path:
    path = tmp_path / "call.yaml"
    path.write_text(yaml.safe_dump(CALL))
    return path


@pytest.fixture
async def manchester(
    settings: Settings, database_url: str, tmp_path: Path
) -> AsyncIterator[Runtime]:
    runtime = await _runtime(settings, database_url, tmp_path)
    try:
        yield runtime
    finally:
        await runtime.close()


async def test_the_restaurant_phone_sets_the_region(manchester: Runtime, call_file: Path) -> None:
    assert manchester.phone_region == "GB"
    result = await replay_file(manchester, call_file)
    assert result.failures == []
    [text] = result.messages
    assert text["to"] == "+447700900123"


async def test_the_setting_wins_over_the_restaurant(
    settings: Settings, tmp_path: Path, call_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESVOICE_PHONE_REGION", "US")
    runtime = await _runtime(Settings(), f"sqlite:///{tmp_path / 'us.db'}", tmp_path)
    try:
        assert runtime.phone_region == "US"
        result = await replay_file(runtime, call_file)
    finally:
        await runtime.close()
    assert result.reservation is None  # eleven digits make no US number: nothing is booked
    assert any("07700 900123" in f for f in result.failures)
