"""The knowledge-base reads of `PostgresStorage`: full-text keyword search, HNSW KNN, the dump.

A mixin so that `postgres.py` keeps the pool, bookings and calls; it needs the storage's pool,
`_fetch`, `_fetchval` and masked URL.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import asyncpg

from resvoice.errors import StorageError
from resvoice.storage import _pg_sql as q
from resvoice.storage._knowledge_meta import KnowledgeMeta, dimension_mismatch
from resvoice.storage.base import KeywordHit, KnowledgeDoc, KnowledgeKind, VectorHit
from resvoice.storage.search_terms import search_terms

# Candidates an HNSW scan keeps. pgvector's default (40) serves an unfiltered top-k (k <= 40);
# a `kinds` filter is applied after the scan, so filtered searches widen it to keep k hits.
HNSW_EF_SEARCH_FILTERED = 120


class PostgresKnowledge(KnowledgeMeta):
    """Knowledge reads over `knowledge_docs` and `knowledge_vectors`."""

    if TYPE_CHECKING:
        masked: str
        _pool: asyncpg.Pool

        async def _fetch(
            self, sql: str, *args: Any, translate: bool = True
        ) -> list[asyncpg.Record]: ...

        async def _fetchval(self, sql: str, *args: Any) -> Any: ...

    async def keyword_search(
        self, query: str, limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[KeywordHit]:
        """BM25 over title (x3), tags (x2) and body, as SQLite's FTS5 scores it."""
        terms = search_terms(query)
        if not terms or limit <= 0:
            return []
        rows = await self._fetch(
            q.KEYWORD_SEARCH, " ".join(terms), list(kinds) if kinds else None, limit
        )
        return [KeywordHit(doc=q.doc(row), score=row["score"]) for row in rows]

    async def vector_search(
        self, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[VectorHit]:
        """Cosine KNN through the HNSW index; `kinds` filters the index's candidates."""
        if limit <= 0:
            return []
        try:
            async with self._pool.acquire() as db:
                if kinds or limit > 40:
                    async with db.transaction():
                        ef = min(1000, max(HNSW_EF_SEARCH_FILTERED, limit) if kinds else limit)
                        await db.execute(f"SET LOCAL hnsw.ef_search = {int(ef)}")
                        rows = await db.fetch(
                            q.VECTOR_SEARCH, vector, list(kinds) if kinds else None, limit
                        )
                else:  # one round trip: the common, unfiltered top-k
                    rows = await db.fetch(q.VECTOR_SEARCH, vector, None, limit)
        except asyncpg.UndefinedTableError:
            return []  # nothing seeded yet
        except asyncpg.DataError as exc:  # "different vector dimensions"
            info = await self.embedder_info()
            if info is None or len(vector) == info.dim:
                raise StorageError(f"vector search on {self.masked} failed: {exc}") from exc
            raise dimension_mismatch(vector, info) from None
        except q.ERRORS as exc:
            raise StorageError(f"vector search on {self.masked} failed: {exc}") from exc
        # a zero vector has no cosine distance to anything (NaN); SQLite gives NULL and drops it
        return [
            VectorHit(doc=q.doc(row), distance=row["distance"])
            for row in rows
            if row["distance"] is not None and not math.isnan(row["distance"])
        ]

    async def knowledge_count(self) -> int:
        return int(await self._fetchval("SELECT count(*) FROM knowledge_docs"))

    async def knowledge_dump(self) -> list[tuple[KnowledgeDoc, list[float] | None]]:
        if await self.embedder_info() is None:
            docs = await self._fetch(
                f'SELECT {q.DOC_COLUMNS} FROM knowledge_docs AS d ORDER BY d.key COLLATE "C"'
            )
            return [(q.doc(row), None) for row in docs]
        rows = await self._fetch(
            f"SELECT {q.DOC_COLUMNS}, v.embedding FROM knowledge_docs AS d "
            'LEFT JOIN knowledge_vectors AS v ON v.doc_id = d.id ORDER BY d.key COLLATE "C"'
        )
        return [
            (q.doc(row), None if row["embedding"] is None else row["embedding"].to_list())
            for row in rows
        ]
