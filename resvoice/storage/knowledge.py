"""Knowledge reads both backends make the same way: fingerprints, the embedder, count, dump.

The searches themselves are each backend's own (`sqlite/knowledge.py`: FTS5 and sqlite-vec;
`postgres/knowledge.py`: BM25 in SQL and pgvector); `SQLStorage.keyword_search` checks their
input once for both.
"""

from __future__ import annotations

from collections.abc import Sequence

from resvoice.errors import StorageError
from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.storage.backend import Database
from resvoice.storage.records import EmbedderInfo


async def knowledge_fingerprints(db: Database) -> dict[str, str]:
    rows = await db.fetch("SELECT key, content_hash FROM knowledge_docs")
    return {row["key"]: row["content_hash"] for row in rows}


async def embedder_info(db: Database) -> EmbedderInfo | None:
    rows = await db.fetch("SELECT key, value FROM meta WHERE key LIKE 'embedder_%'")
    meta = {row["key"]: row["value"] for row in rows}
    if "embedder_name" not in meta or "embedder_dim" not in meta:
        return None
    return EmbedderInfo(name=meta["embedder_name"], dim=int(meta["embedder_dim"]))


async def knowledge_count(db: Database) -> int:
    rows = await db.fetch("SELECT count(*) AS n FROM knowledge_docs")
    return int(rows[0]["n"])


async def knowledge_dump(db: Database) -> list[tuple[KnowledgeDoc, list[float] | None]]:
    """Every document with its stored vector (None when it has none), by key."""
    dialect = db.dialect
    if await embedder_info(db) is None:  # no vector table yet
        return [(dialect.ROWS.doc(row), None) for row in await db.fetch(dialect.DUMP_DOCS)]
    return [
        (
            dialect.ROWS.doc(row),
            None if row["embedding"] is None else dialect.vector_of(row["embedding"]),
        )
        for row in await db.fetch(dialect.DUMP_VECTORS)
    ]


def dimension_mismatch(vector: Sequence[float], info: EmbedderInfo) -> StorageError:
    """A query vector from another embedder than the one that seeded the store."""
    return StorageError(
        f"query vector has {len(vector)} dimensions but the stored vectors have "
        f"{info.dim} ({info.name}); embed the query with the seeding embedder"
    )
