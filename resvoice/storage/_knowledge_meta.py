"""Knowledge metadata both backends read the same way: content fingerprints and the embedder.

Private to `resvoice.storage`; a mixin needing only the storage's `_fetch(sql)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from resvoice.errors import StorageError
from resvoice.storage._rows import Row
from resvoice.storage.base import EmbedderInfo


class KnowledgeMeta:
    """`knowledge_fingerprints` and `embedder_info` over the `knowledge_docs` and `meta` tables."""

    if TYPE_CHECKING:

        async def _fetch(self, sql: str) -> Sequence[Row]: ...

    async def knowledge_fingerprints(self) -> dict[str, str]:
        rows = await self._fetch("SELECT key, content_hash FROM knowledge_docs")
        return {row["key"]: row["content_hash"] for row in rows}

    async def embedder_info(self) -> EmbedderInfo | None:
        rows = await self._fetch("SELECT key, value FROM meta WHERE key LIKE 'embedder_%'")
        meta = {row["key"]: row["value"] for row in rows}
        if "embedder_name" not in meta or "embedder_dim" not in meta:
            return None
        return EmbedderInfo(name=meta["embedder_name"], dim=int(meta["embedder_dim"]))


def dimension_mismatch(vector: Sequence[float], info: EmbedderInfo) -> StorageError:
    """A query vector from another embedder than the one that seeded the store."""
    return StorageError(
        f"query vector has {len(vector)} dimensions but the stored vectors have "
        f"{info.dim} ({info.name}); embed the query with the seeding embedder"
    )
