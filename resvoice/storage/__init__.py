"""Persistence: the `Storage` protocol, its backends and `open_storage(url)` to pick one."""

from __future__ import annotations

from resvoice.storage.base import Storage
from resvoice.storage.url import DatabaseURL, parse_database_url

__all__ = ["DatabaseURL", "Storage", "open_storage", "parse_database_url"]


async def open_storage(url: str) -> Storage:
    """Open (and migrate) the database a `DATABASE_URL` names.

    Raises:
        ConfigError: the URL is malformed or names a backend that is not available.
        StorageError: the database cannot be opened or is from a newer resvoice.
    """
    parsed = parse_database_url(url)
    if parsed.backend == "sqlite":
        from resvoice.storage.sqlite import SQLiteStorage

        assert parsed.path is not None
        return await SQLiteStorage.open(parsed.path)
    from resvoice.storage.postgres import PostgresStorage

    return await PostgresStorage.open(parsed.url.get_secret_value())
