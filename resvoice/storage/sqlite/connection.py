"""Opening and migrating SQLite connections (for `database.py` and `db migrate`).

The stdlib `sqlite3` of many Pythons (pyenv, python.org macOS builds) cannot load extensions;
`sqlean` is a drop-in module that can, so it is used whenever the stdlib cannot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from types import ModuleType

import aiosqlite
import sqlite_vec

from resvoice.errors import StorageError
from resvoice.storage.migrations import AppliedMigration, Migration
from resvoice.storage.sqlite.sql import stamp

log = logging.getLogger("resvoice.storage.sqlite")

BUSY_TIMEOUT_MS = 10_000


def pick_driver() -> ModuleType:
    """The stdlib sqlite3 when it can load extensions, else sqlean (a drop-in that can)."""
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return sqlite3
    try:
        import sqlean
    except ImportError as exc:  # pragma: no cover - only on a Python without extension support
        raise StorageError(
            "this Python's sqlite3 cannot load extensions: `pip install sqlean.py`"
        ) from exc
    return sqlean  # type: ignore[no-any-return]


DRIVER = pick_driver()
DB_ERRORS: tuple[type[Exception], ...] = tuple({sqlite3.Error, DRIVER.Error})


def prepare_file(path: Path) -> str:
    """The absolute path of a database file, its folder created."""
    path = path.expanduser().absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


async def connect(path: str, *, query_only: bool = False) -> aiosqlite.Connection:
    def connector() -> sqlite3.Connection:
        conn: sqlite3.Connection = DRIVER.connect(
            path, isolation_level=None, check_same_thread=False
        )
        try:
            conn.enable_load_extension(True)
            conn.load_extension(sqlite_vec.loadable_path())
            conn.enable_load_extension(False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").fetchall()
            conn.execute("PRAGMA foreign_keys = ON")
            if query_only:
                conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
        conn.row_factory = DRIVER.Row
        return conn

    return await aiosqlite.Connection(connector, iter_chunk_size=64)


class Migrator:
    """`MigrationTarget` for one SQLite connection."""

    def __init__(self, db: aiosqlite.Connection):
        self._db = db

    async def current_version(self) -> int:
        exists = await self._db.execute_fetchall(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        if not list(exists):
            return 0
        return await self._version()

    async def applied(self) -> list[AppliedMigration]:
        if await self.current_version() == 0:
            return []
        rows = await self._db.execute_fetchall(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        )
        return [
            AppliedMigration(
                row["version"], row["name"], dt.datetime.fromisoformat(row["applied_at"])
            )
            for row in rows
        ]

    async def apply(self, migration: Migration) -> bool:
        db = self._db
        await db.execute("BEGIN IMMEDIATE")
        try:
            await db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            if await self._version() >= migration.version:  # another process was first
                await db.execute("ROLLBACK")
                return False
            for statement in statements(migration.sql):
                await db.execute(statement)
            await db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, stamp()),
            )
            await db.execute("COMMIT")
        except BaseException:
            with suppress(*DB_ERRORS):
                await asyncio.shield(db.execute("ROLLBACK"))
            raise
        log.info("applied sqlite migration %04d_%s", migration.version, migration.name)
        return True

    async def _version(self) -> int:
        rows = list(
            await self._db.execute_fetchall(
                "SELECT coalesce(max(version), 0) AS v FROM schema_migrations"
            )
        )
        return int(rows[0]["v"])


def statements(script: str) -> Iterable[str]:
    """Split a script into statements (trigger bodies included) so they share a transaction.

    `executescript` would commit first, which is why the runner executes statement by statement.
    """
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if _strip_comments(statement) != ";":
                yield statement
    if _strip_comments(buffer[:-1]).strip():
        raise StorageError(f"unterminated statement in migration: {buffer[:80]!r}")


def _strip_comments(sql: str) -> str:
    lines = (line.split("--", 1)[0] for line in sql.splitlines())
    return "".join(line.strip() for line in lines)
