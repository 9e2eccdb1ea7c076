"""Shared fixtures: the demo restaurant seeded once per test run, copied per test."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from resvoice.config import Settings
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from tests.databases import BACKENDS, fresh_database, sqlite_url, start_postgres, with_database

ROOT = Path(__file__).resolve().parents[1]
RESTAURANT = ROOT / "fixtures" / "restaurant.yaml"
TRANSCRIPTS = sorted((ROOT / "fixtures" / "transcripts").glob("*.yaml"))
# contract v2: calls about bookings that already exist (`given`, messages)
CALL_TRANSCRIPTS = sorted((ROOT / "fixtures" / "transcripts" / "calls").glob("*.yaml"))

# Tests never assert on wall-clock time, and hypothesis's per-example deadline is one: on a
# loaded 2-core machine it fails property tests that are correct. One profile for every test.
hypothesis_settings.register_profile("resvoice", deadline=None)
hypothesis_settings.load_profile("resvoice")


def run_blocking(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion from sync code, also when called inside a running loop
    (a session fixture first requested by an async fixture through `getfixturevalue`)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"

    async def build() -> None:
        storage = await open_storage(f"sqlite:///{path}")
        try:
            await seed_restaurant(storage, load_profile(RESTAURANT), HashingEmbedder())
        finally:
            await storage.close()

    run_blocking(build())
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of this session's Postgres server (skips the test when none can run)."""
    yield from start_postgres()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Runs the test once per storage backend."""
    return str(request.param)


@pytest.fixture
async def database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """An empty database of the test's backend, as a DATABASE_URL."""
    if backend == "sqlite":
        yield sqlite_url(tmp_path)
        return
    async with fresh_database(request.getfixturevalue("postgres_server")) as url:
        yield url


@pytest.fixture(scope="session")
def seeded_postgres_template(postgres_server: str) -> Iterator[str]:
    """A Postgres database holding the seeded demo restaurant, copied per test."""
    name = f"resvoice_seeded_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(postgres_server)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def build() -> None:
        await admin(f"CREATE DATABASE {name}")
        storage = await open_storage(with_database(postgres_server, name))
        try:
            await seed_restaurant(storage, load_profile(RESTAURANT), HashingEmbedder())
        finally:
            await storage.close()

    run_blocking(build())
    yield name
    run_blocking(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
async def seeded_database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """A private copy of the seeded demo restaurant on the test's backend."""
    if backend == "sqlite":
        yield request.getfixturevalue("seeded_url")
        return
    template = request.getfixturevalue("seeded_postgres_template")
    async with fresh_database(request.getfixturevalue("postgres_server"), template) as url:
        yield url


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


@pytest.fixture
async def any_runtime(settings: Settings, seeded_database_url: str) -> AsyncIterator[Runtime]:
    """A runtime over the seeded demo restaurant on the test's backend (SQLite or Postgres)."""
    rt = await Runtime.open(settings, seeded_database_url)
    try:
        yield rt
    finally:
        await rt.close()
