"""The knowledge searches of `SQLiteStorage`: FTS5 keyword search and sqlite-vec KNN.

Each is one read on a committed snapshot with named parameters; the reads both backends make
alike are `storage/knowledge.py`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlite_vec

from resvoice.restaurant.documents import KnowledgeKind
from resvoice.storage.knowledge import dimension_mismatch, embedder_info
from resvoice.storage.records import KeywordHit, VectorHit
from resvoice.storage.search_terms import fts5_query
from resvoice.storage.sqlite import sql
from resvoice.storage.sqlite.database import SQLiteDB

MAX_KNN = 4096  # sqlite-vec's upper bound on k


async def keyword_hits(
    db: SQLiteDB, terms: list[str], limit: int, kinds: Sequence[KnowledgeKind] | None
) -> list[KeywordHit]:
    """FTS5's BM25 with column weights title 3, body 1, tags 2."""
    kind_filter = "AND d.kind IN (SELECT value FROM json_each(:kinds))" if kinds else ""
    rows = await db.read(
        f"SELECT {sql.DOC_COLUMNS}, bm25(knowledge_fts, 3.0, 1.0, 2.0) AS rank "
        "FROM knowledge_fts JOIN knowledge_docs AS d ON d.id = knowledge_fts.rowid "
        f"WHERE knowledge_fts MATCH :match {kind_filter} ORDER BY rank LIMIT :limit",
        {"match": fts5_query(terms), "kinds": json.dumps(list(kinds or ())), "limit": limit},
    )
    return [KeywordHit(doc=sql.ROWS.doc(row), score=-row["rank"]) for row in rows]


async def vector_search(
    db: SQLiteDB, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None
) -> list[VectorHit]:
    """Cosine KNN in sqlite-vec; `kinds` filters inside the KNN (a vec0 metadata column)."""
    if limit <= 0:
        return []
    info = await embedder_info(db)
    if info is None:
        return []
    if len(vector) != info.dim:
        raise dimension_mismatch(vector, info)
    kind_filter = "AND kind IN (SELECT value FROM json_each(:kinds))" if kinds else ""
    rows = await db.read(
        "WITH knn AS (SELECT doc_id, distance FROM knowledge_vec "
        f"WHERE embedding MATCH :vector AND k = :k {kind_filter}) "
        f"SELECT {sql.DOC_COLUMNS}, knn.distance FROM knn "
        "JOIN knowledge_docs AS d ON d.id = knn.doc_id ORDER BY knn.distance, d.id",
        {
            "vector": sqlite_vec.serialize_float32(list(vector)),
            "k": min(limit, MAX_KNN),
            "kinds": json.dumps(list(kinds or ())),
        },
    )
    # a zero vector (a query with no known features) has no cosine distance to anything
    return [
        VectorHit(doc=sql.ROWS.doc(row), distance=row["distance"])
        for row in rows
        if row["distance"] is not None
    ]
