"""Connecting to Postgres, migrating it and opening the pool (for `database.py` and the `db`
commands)."""

from __future__ import annotations

import logging
import re

import asyncpg
from pgvector.asyncpg import register_vector

from resvoice.errors import StorageError
from resvoice.storage.migrations import AppliedMigration, Migration, migrate
from resvoice.storage.postgres.sql import ERRORS
from resvoice.storage.rows import utc
from resvoice.storage.url import mask_password

log = logging.getLogger("resvoice.storage.postgres")

CONNECT_TIMEOUT_S = 10.0
_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
    TimeoutError,
)
_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('resvoice.migrations'))"


def dsn_of(url: str) -> str:
    """The URL asyncpg understands: `postgresql+asyncpg://` and the like lose their `+driver`."""
    return re.sub(r"^(postgres(?:ql)?)\+[a-z0-9_]+://", r"\1://", url.strip(), flags=re.I)


async def connect(url: str) -> asyncpg.Connection:
    """One connection; any failure is a `StorageError` naming the URL with its password masked."""
    try:
        return await asyncpg.connect(dsn_of(url), timeout=CONNECT_TIMEOUT_S)
    except _ERRORS as exc:
        raise StorageError(
            f"cannot connect to database {mask_password(url)}: {_reason(exc)}"
        ) from None
    except ValueError as exc:  # asyncpg's DSN parser
        raise StorageError(f"bad database URL {mask_password(url)}: {exc}") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if not isinstance(exc, TimeoutError) else "timed out"


class Migrator:
    """`MigrationTarget` for one Postgres connection."""

    def __init__(self, db: asyncpg.Connection):
        self._db = db

    async def current_version(self) -> int:
        if not await self._exists():
            return 0
        return int(
            await self._db.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations")
        )

    async def applied(self) -> list[AppliedMigration]:
        if not await self._exists():
            return []
        rows = await self._db.fetch(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        )
        return [AppliedMigration(row["version"], row["name"], row["applied_at"]) for row in rows]

    async def apply(self, migration: Migration) -> bool:
        db = self._db
        async with db.transaction():
            await db.execute(_MIGRATION_LOCK)  # one migrating process at a time
            await db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at timestamptz NOT NULL)"
            )
            done = await db.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations")
            if done >= migration.version:  # another process was first
                return False
            await db.execute(migration.sql)
            await db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                migration.version,
                migration.name,
                utc(),
            )
        log.info("applied postgres migration %04d_%s", migration.version, migration.name)
        return True

    async def _exists(self) -> bool:
        return bool(await self._db.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL"))


async def open_pool(url: str, *, pool_size: int) -> tuple[asyncpg.Pool, str]:
    """Connect, migrate, then create the process's pool of up to `pool_size` connections, each
    with pgvector's codec registered; returns the pool and the schema pgvector lives in.

    Raises:
        StorageError: the server cannot be reached or the schema is from a newer resvoice.
    """
    masked = mask_password(url)
    conn = await connect(url)
    try:
        await migrate(Migrator(conn), "postgres")
        schema = await conn.fetchval(
            "SELECT n.nspname FROM pg_extension AS e "
            "JOIN pg_namespace AS n ON n.oid = e.extnamespace WHERE e.extname = 'vector'"
        )
    except ERRORS as exc:
        raise StorageError(f"cannot prepare database {masked}: {exc}") from exc
    finally:
        await conn.close()

    async def init(connection: asyncpg.Connection) -> None:
        await register_vector(connection, schema=schema)

    try:
        pool = await asyncpg.create_pool(
            dsn_of(url),
            min_size=1,
            max_size=pool_size,
            init=init,
            timeout=10,
        )
    except ERRORS as exc:
        raise StorageError(f"cannot connect to database {masked}: {exc}") from exc
    return pool, schema
