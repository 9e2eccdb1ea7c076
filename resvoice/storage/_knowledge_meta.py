"""Knowledge reads both backends make the same way: fingerprints, the embedder, count, dump,
and the input checks of the keyword search.

Private to `resvoice.storage`; a mixin needing only the storage's `_fetch` and its SQL dialect
`_q` (see `_dialect.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from resvoice.errors import StorageError
from resvoice.storage._rows import Row
from resvoice.storage.base import EmbedderInfo, KeywordHit, KnowledgeDoc, KnowledgeKind
from resvoice.storage.search_terms import search_terms

if TYPE_CHECKING:
    from resvoice.storage._dialect import Dialect


class KnowledgeMeta:
    """`keyword_search` (around the backend's `_keyword_hits`) and the metadata reads."""

    _q: ClassVar[Dialect]

    if TYPE_CHECKING:

        async def _fetch(self, sql: str, *args: Any) -> Sequence[Row]: ...

    async def _keyword_hits(
        self, terms: list[str], limit: int, kinds: Sequence[KnowledgeKind] | None
    ) -> list[KeywordHit]:
        """The backend's BM25 search for `terms` (never empty), best first."""
        raise NotImplementedError

    async def keyword_search(
        self, query: str, limit: int, kinds: Sequence[KnowledgeKind] | None = None
    ) -> list[KeywordHit]:
        """BM25 over title (x3), tags (x2) and body; any free text is safe (see search_terms).

        Both backends score alike: Postgres computes BM25 as SQLite's FTS5 does.
        """
        terms = search_terms(query)
        if not terms or limit <= 0:
            return []
        return await self._keyword_hits(terms, limit, kinds)

    async def knowledge_fingerprints(self) -> dict[str, str]:
        rows = await self._fetch("SELECT key, content_hash FROM knowledge_docs")
        return {row["key"]: row["content_hash"] for row in rows}

    async def embedder_info(self) -> EmbedderInfo | None:
        rows = await self._fetch("SELECT key, value FROM meta WHERE key LIKE 'embedder_%'")
        meta = {row["key"]: row["value"] for row in rows}
        if "embedder_name" not in meta or "embedder_dim" not in meta:
            return None
        return EmbedderInfo(name=meta["embedder_name"], dim=int(meta["embedder_dim"]))

    async def knowledge_count(self) -> int:
        rows = await self._fetch("SELECT count(*) AS n FROM knowledge_docs")
        return int(rows[0]["n"])

    async def knowledge_dump(self) -> list[tuple[KnowledgeDoc, list[float] | None]]:
        """Every document with its stored vector (None when it has none), by key."""
        q = self._q
        if await self.embedder_info() is None:  # no vector table yet
            return [(q.ROWS.doc(row), None) for row in await self._fetch(q.DUMP_DOCS)]
        return [
            (q.ROWS.doc(row), None if row["embedding"] is None else q.vector_of(row["embedding"]))
            for row in await self._fetch(q.DUMP_VECTORS)
        ]


def dimension_mismatch(vector: Sequence[float], info: EmbedderInfo) -> StorageError:
    """A query vector from another embedder than the one that seeded the store."""
    return StorageError(
        f"query vector has {len(vector)} dimensions but the stored vectors have "
        f"{info.dim} ({info.name}); embed the query with the seeding embedder"
    )
