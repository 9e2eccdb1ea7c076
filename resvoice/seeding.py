"""Seed a restaurant into storage: documents from the data file, embedded, written atomically.

Embedding happens first (it is the slow part, with progress reported), then one storage
transaction writes everything, so a failure leaves the previous data untouched. Documents whose
text and embedder are unchanged keep their stored vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from resvoice.restaurant.documents import KnowledgeDoc, doc_fingerprint
from resvoice.restaurant.loader import profile_documents
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.retrieval.base import Embedder
from resvoice.storage.base import Storage
from resvoice.storage.records import EmbedderInfo, SeedSummary

Progress = Callable[[int, int], None]  # (done, total) documents embedded
BATCH = 32


async def seed_restaurant(
    storage: Storage,
    profile: RestaurantProfile,
    embedder: Embedder,
    progress: Progress | None = None,
) -> SeedSummary:
    docs = profile_documents(profile)
    info = EmbedderInfo(name=embedder.name, dim=embedder.dim)
    same_embedder = await storage.embedder_info() == info
    known = await storage.knowledge_fingerprints() if same_embedder else {}
    stale = [i for i, doc in enumerate(docs) if known.get(doc.key) != doc_fingerprint(doc)]
    vectors: list[Sequence[float] | None] = [None] * len(docs)
    total = len(stale)
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        batch = stale[start : start + BATCH]
        embedded = await embedder.embed([_embedding_text(docs[i]) for i in batch])
        for index, vector in zip(batch, embedded, strict=True):
            vectors[index] = vector
        if progress:
            progress(min(start + BATCH, total), total)
    return await storage.seed(profile, docs, vectors, info)


def _embedding_text(doc: KnowledgeDoc) -> str:
    tags = f" ({', '.join(doc.tags)})" if doc.tags else ""
    return f"{doc.title}{tags}. {doc.body}"
