"""Test databases for both backends: a private SQLite file or a fresh Postgres database.

Postgres comes from `RESVOICE_TEST_DATABASE_URL` when set (any server with pgvector whose user
may create databases), otherwise from the `pgserver` package (PostgreSQL 16 + pgvector, started
once per test session; as root it runs the server as a `pgserver` system user it creates).
Each test gets its own database, created empty or copied from a seeded template, and dropped
afterwards.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

BACKENDS = ("sqlite", "postgres")
TEST_URL_VARIABLE = "RESVOICE_TEST_DATABASE_URL"


def start_postgres() -> Iterator[str]:
    """Yield the URL of a Postgres server for this test session; skip when none can run.

    The data folder is a private temporary folder rather than pytest's `tmp_path`: pytest prunes
    old base folders of concurrent runs by the same user, which would pull it from under the
    server; and as root, pgserver must open the folder's parents to its `pgserver` user.
    """
    external = os.environ.get(TEST_URL_VARIABLE)
    if external:
        yield external
        return
    if os.environ.get("CI") == "true":
        import pgserver  # CI must run the Postgres half: a missing package is a failure there
    else:
        pgserver = pytest.importorskip("pgserver", reason="pip install -e '.[dev]' for pgserver")
    pgdata = Path(tempfile.mkdtemp(prefix="resvoice-pg-"))
    server = pgserver.get_server(pgdata, cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` (host, user and options kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@asynccontextmanager
async def fresh_database(server_url: str, template: str | None = None) -> AsyncIterator[str]:
    """A new database on the server (a copy of `template` when given), dropped on exit."""
    name = f"resvoice_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url)
    try:
        copy = f" TEMPLATE {template}" if template else ""
        await admin.execute(f"CREATE DATABASE {name}{copy}")
    finally:
        await admin.close()
    try:
        yield with_database(server_url, name)
    finally:
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'data' / 'resvoice.db'}"  # the data folder does not exist yet
