"""Shared fixtures: the demo restaurant seeded once per test run, copied per test."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from resvoice.config import Settings
from resvoice.restaurant.loader import load_profile
from resvoice.restaurant.seeding import seed_restaurant
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.storage import open_storage

ROOT = Path(__file__).resolve().parents[1]
RESTAURANT = ROOT / "fixtures" / "restaurant.yaml"
TRANSCRIPTS = sorted((ROOT / "fixtures" / "transcripts").glob("*.yaml"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"

    async def build() -> None:
        storage = await open_storage(f"sqlite:///{path}")
        try:
            await seed_restaurant(storage, load_profile(RESTAURANT), HashingEmbedder())
        finally:
            await storage.close()

    asyncio.run(build())
    return path


@pytest.fixture
def seeded_url(seeded_template: Path, tmp_path: Path) -> str:
    """A private copy of the seeded demo database, as a DATABASE_URL."""
    target = tmp_path / "resvoice.db"
    shutil.copy(seeded_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    for name in ("OPENAI_API_KEY", "DEEPGRAM_API_KEY", "DATABASE_URL", "RESVOICE_BRAIN"):
        monkeypatch.delenv(name, raising=False)
    for name in ("OPENAI_BASE_URL", "RESVOICE_OPENAI_MODEL", "RESVOICE_OPENAI_API"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return Settings()


@pytest.fixture
async def runtime(settings: Settings, seeded_url: str) -> AsyncIterator[Runtime]:
    rt = await Runtime.open(settings, seeded_url)
    try:
        yield rt
    finally:
        await rt.close()
