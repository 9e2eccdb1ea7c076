"""`Storage` on PostgreSQL + pgvector: the storage class, its pool, its SQL and its migrations."""

from resvoice.storage.postgres.storage import PostgresStorage

__all__ = ["PostgresStorage"]
