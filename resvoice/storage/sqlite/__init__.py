"""`Storage` on SQLite: the storage class, its connections, its SQL and its migrations."""

from resvoice.storage.sqlite.storage import SQLiteStorage

__all__ = ["SQLiteStorage"]
