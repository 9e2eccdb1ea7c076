"""The knowledge searches of `PostgresStorage`: BM25 keyword search and HNSW KNN, with their SQL.

Both take the storage's pool (`PostgresDB`); the reads both backends make alike are
`storage/knowledge.py`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import asyncpg

from resvoice.errors import StorageError
from resvoice.restaurant.documents import KnowledgeKind
from resvoice.storage.knowledge import dimension_mismatch, embedder_info
from resvoice.storage.postgres import sql
from resvoice.storage.postgres.database import PostgresDB
from resvoice.storage.records import KeywordHit, VectorHit

# Cosine KNN; the inner ORDER BY ... LIMIT is the shape the HNSW index serves.
VECTOR_SEARCH = f"""
    WITH knn AS (
        SELECT doc_id, embedding <=> $1 AS distance FROM knowledge_vectors
        WHERE $2::text[] IS NULL OR kind = ANY ($2::text[])
        ORDER BY embedding <=> $1
        LIMIT $3
    )
    SELECT {sql.DOC_COLUMNS}, knn.distance FROM knn
    JOIN knowledge_docs AS d ON d.id = knn.doc_id
    ORDER BY knn.distance, d.id
"""

# BM25 (k1 = 1.2, b = 0.75) as SQLite's FTS5 computes it: per-column weights title 3, tags 2,
# body 1 (tsvector weights A, B, C), idf = ln((N - df + 0.5) / (df + 0.5)) floored at 1e-6, and
# the document length in tokens. $1: the query's words; $2: kinds or NULL; $3: limit.
KEYWORD_SEARCH = f"""
    WITH q AS (
        SELECT array_agg(lexeme) AS lexemes FROM unnest(to_tsvector('english', $1))
    ),
    tsq AS (
        SELECT array_to_string(ARRAY(SELECT quote_literal(l) FROM unnest(q.lexemes) AS l),
                               ' | ')::tsquery AS query
        FROM q WHERE q.lexemes IS NOT NULL
    ),
    stats AS (
        SELECT count(*)::float8 AS n, greatest(avg(tokens), 1)::float8 AS avgdl
        FROM knowledge_docs
    ),
    df AS (
        SELECT l AS lexeme,
               (SELECT count(*) FROM knowledge_docs AS d
                WHERE d.search @@ quote_literal(l)::tsquery)::float8 AS df
        FROM q, unnest(q.lexemes) AS l
    ),
    matched AS (
        SELECT d.id, d.search, d.tokens FROM knowledge_docs AS d, tsq
        WHERE d.search @@ tsq.query AND ($2::text[] IS NULL OR d.kind = ANY ($2::text[]))
    ),
    tf AS (
        SELECT m.id, m.tokens, t.lexeme,
               sum(CASE w WHEN 'A' THEN 3.0 WHEN 'B' THEN 2.0 ELSE 1.0 END)::float8 AS tf
        FROM matched AS m, q,
             unnest(m.search) AS t (lexeme, positions, weights), unnest(t.weights) AS w
        WHERE t.lexeme = ANY (q.lexemes)
        GROUP BY m.id, m.tokens, t.lexeme
    ),
    scored AS (
        SELECT tf.id,
               sum(greatest(ln((s.n - df.df + 0.5) / (df.df + 0.5)), 1e-6)
                   * tf.tf * 2.2 / (tf.tf + 1.2 * (0.25 + 0.75 * tf.tokens / s.avgdl))) AS score
        FROM tf JOIN df USING (lexeme), stats AS s
        GROUP BY tf.id
    )
    SELECT {sql.DOC_COLUMNS}, scored.score FROM scored JOIN knowledge_docs AS d ON d.id = scored.id
    ORDER BY scored.score DESC, d.id
    LIMIT $3
"""

# Candidates an HNSW scan keeps (pgvector's `hnsw.ef_search`), set per search. 40, pgvector's
# default, keeps vector top-5 under 10 ms p95 at 100k rows; on the bench's low-contrast synthetic
# documents its recall@5 there is 0.51, and 0.97 needs 1000 at ~110 ms p95
# (`python -m bench.hnsw_recall`; the README has the table). A restaurant's few hundred
# documents are searched near-exactly either way (recall 0.98 at 1,000 rows), and keyword
# search runs beside the vector search in every retrieval.
HNSW_EF_SEARCH = 40
HNSW_EF_SEARCH_MAX = 1000  # pgvector's upper bound
# A `kinds` filter is applied to the scan's candidates, and one kind of three keeps about a
# third of them, so a filtered search keeps this many times more.
FILTERED_WIDENING = 3


def ef_search(limit: int, filtered: bool) -> int:
    """`hnsw.ef_search` for a top-`limit` search: never fewer candidates than hits wanted."""
    wanted = max(HNSW_EF_SEARCH, limit) * (FILTERED_WIDENING if filtered else 1)
    return min(HNSW_EF_SEARCH_MAX, wanted)


async def keyword_hits(
    db: PostgresDB, terms: list[str], limit: int, kinds: Sequence[KnowledgeKind] | None
) -> list[KeywordHit]:
    """`KEYWORD_SEARCH`: BM25 computed in SQL as SQLite's FTS5 scores it."""
    rows = await db.fetch(KEYWORD_SEARCH, " ".join(terms), list(kinds) if kinds else None, limit)
    return [KeywordHit(doc=sql.ROWS.doc(row), score=row["score"]) for row in rows]


async def vector_search(
    db: PostgresDB, vector: Sequence[float], limit: int, kinds: Sequence[KnowledgeKind] | None
) -> list[VectorHit]:
    """Cosine KNN through the HNSW index; `kinds` filters the index's candidates."""
    if limit <= 0:
        return []
    try:
        async with db.pool.acquire() as conn, conn.transaction():
            # per transaction, so no pooled connection keeps a wider search than it asked for
            await conn.execute(f"SET LOCAL hnsw.ef_search = {ef_search(limit, bool(kinds))}")
            rows = await conn.fetch(VECTOR_SEARCH, vector, list(kinds) if kinds else None, limit)
    except asyncpg.UndefinedTableError:
        return []  # nothing seeded yet
    except asyncpg.DataError as exc:  # "different vector dimensions"
        info = await embedder_info(db)
        if info is None or len(vector) == info.dim:
            raise StorageError(f"vector search on {db.masked} failed: {exc}") from exc
        raise dimension_mismatch(vector, info) from None
    except sql.ERRORS as exc:
        raise StorageError(f"vector search on {db.masked} failed: {exc}") from exc
    # a zero vector has no cosine distance to anything (NaN); SQLite gives NULL and drops it
    return [
        VectorHit(doc=sql.ROWS.doc(row), distance=row["distance"])
        for row in rows
        if row["distance"] is not None and not math.isnan(row["distance"])
    ]
