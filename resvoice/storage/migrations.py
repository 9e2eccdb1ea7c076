"""Versioned schema migrations, shared by every storage backend.

Each backend keeps its SQL in `<backend>/migrations/NNNN_name.sql`, numbered from 0001 without
gaps. A backend supplies a `MigrationTarget` (how to read its version and how to apply one
script atomically); `migrate` decides what to run and refuses a database newer than the code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from resvoice.errors import StorageError

__all__ = ["AppliedMigration", "Migration", "MigrationTarget", "load_migrations", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class AppliedMigration:
    version: int
    name: str
    applied_at: dt.datetime


class MigrationTarget(Protocol):
    """The backend side of migrating: one database connection."""

    async def current_version(self) -> int:
        """Highest applied version (0 for an empty database); must not change a newer schema."""
        ...

    async def applied(self) -> list[AppliedMigration]:
        """The migrations recorded in `schema_migrations`, oldest first (none when absent)."""
        ...

    async def apply(self, migration: Migration) -> bool:
        """Run the script and record it in `schema_migrations` in one transaction.

        Returns False when another process applied it first (checked under the write lock).
        """
        ...


async def migrate(target: MigrationTarget, backend: str) -> list[Migration]:
    """Bring the database up to the newest known version; returns the migrations this run applied.

    Raises:
        StorageError: the database was written by a newer resvoice.
    """
    migrations = load_migrations(backend)
    latest = migrations[-1].version if migrations else 0
    current = await target.current_version()
    if current > latest:
        raise StorageError(
            f"database schema v{current} is newer than this resvoice (v{latest}); upgrade resvoice"
        )
    applied = []
    for migration in migrations:
        if migration.version > current and await target.apply(migration):
            applied.append(migration)
    return applied


_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def load_migrations(backend: str) -> list[Migration]:
    """The migrations of one backend in version order, read from package data."""
    folder = resources.files(f"resvoice.storage.{backend}").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is None:
            continue
        found.append(
            Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8"))
        )
    found.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StorageError(
                f"{backend} migrations are not numbered 0001.. without gaps: "
                f"expected {expected:04d}, found {migration.version:04d}_{migration.name}.sql"
            )
    return found
