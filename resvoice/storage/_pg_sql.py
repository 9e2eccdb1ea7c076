"""SQL text, row mapping and seeding steps of the Postgres backend (private to `postgres.py`).

Sittings are stored like SQLite's (an ISO `date` and minutes after midnight) plus a generated
`during tsrange`, which the exclusion constraint and the availability query both use, so
sittings across midnight need no special case.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import asyncpg

from resvoice.errors import StorageError
from resvoice.restaurant.profile import WEEKDAYS, RestaurantProfile
from resvoice.storage._records import dumps, table_plan
from resvoice.storage._rows import RowMapper
from resvoice.storage.base import (
    EmbedderInfo,
    KnowledgeDoc,
    doc_fingerprint,
)

log = logging.getLogger("resvoice.storage.postgres")

ESCALATION_CHANNEL = "resvoice_escalations"
HNSW_MAX_DIM = 2000  # pgvector's limit for an HNSW index on `vector`

# Another booked sitting of table t overlapping [$start, $end): the exclusion constraint's own
# expressions, so its GiST index answers the availability query too.
_OVERLAP = """
    SELECT 1 FROM reservations AS r
    WHERE int4range(r.table_id, r.table_id, '[]') && int4range(t.id, t.id, '[]')
      AND r.during && tsrange($1, $2)
      AND r.status = 'booked'
"""

FREE_TABLES = f"""
    SELECT t.id, t.name, t.seats, t.area FROM dining_tables AS t
    WHERE t.active AND t.seats >= $3 AND NOT EXISTS ({_OVERLAP})
    ORDER BY t.seats, t.id
"""

RESERVATION_COLUMNS = """
    r.*, t.name AS table_name, t.seats AS table_seats, t.area AS table_area
"""

RESERVATION_SELECT = f"""
    SELECT {RESERVATION_COLUMNS}
    FROM reservations AS r JOIN dining_tables AS t ON t.id = r.table_id
"""

# Pick the smallest free table and take it in one statement. Two concurrent statements can pick
# the same table (neither sees the other's uncommitted row); the exclusion constraint then makes
# the second wait for the first and fail, and `book` retries with a fresh snapshot.
BOOK = f"""
    WITH taken AS (
        INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, date,
                                  start_min, end_min, email, special_requests, status,
                                  created_at)
        SELECT t.id, $4, $5, $6, $3, $7, $8, $9, $10, $11, 'booked', $12
        FROM dining_tables AS t
        WHERE t.active AND t.seats >= $3 AND NOT EXISTS ({_OVERLAP})
        ORDER BY t.seats, t.id
        LIMIT 1
        RETURNING *
    )
    SELECT {RESERVATION_COLUMNS}
    FROM taken AS r JOIN dining_tables AS t ON t.id = r.table_id
"""

DOC_COLUMNS = "d.id, d.key, d.kind, d.title, d.body, d.tags, d.metadata"

# Cosine KNN; the inner ORDER BY ... LIMIT is the shape the HNSW index serves.
VECTOR_SEARCH = f"""
    WITH knn AS (
        SELECT doc_id, embedding <=> $1 AS distance FROM knowledge_vectors
        WHERE $2::text[] IS NULL OR kind = ANY ($2::text[])
        ORDER BY embedding <=> $1
        LIMIT $3
    )
    SELECT {DOC_COLUMNS}, knn.distance FROM knn
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
    SELECT {DOC_COLUMNS}, scored.score FROM scored JOIN knowledge_docs AS d ON d.id = scored.id
    ORDER BY scored.score DESC, d.id
    LIMIT $3
"""

UPSERT_DOC = """
    INSERT INTO knowledge_docs (key, kind, title, body, tags, metadata, content_hash, search,
                                tokens)
    SELECT $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, s.v,
           (SELECT count(*) FROM regexp_matches($3 || ' ' || $8 || ' ' || $4, '[[:alnum:]]+', 'g'))
    FROM (SELECT setweight(to_tsvector('english', $3), 'A')
                 || setweight(to_tsvector('english', $8), 'B')
                 || setweight(to_tsvector('english', $4), 'C') AS v) AS s
    ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, title = excluded.title,
        body = excluded.body, tags = excluded.tags, metadata = excluded.metadata,
        content_hash = excluded.content_hash, search = excluded.search, tokens = excluded.tokens
    WHERE (knowledge_docs.kind, knowledge_docs.title, knowledge_docs.body, knowledge_docs.tags,
           knowledge_docs.metadata, knowledge_docs.content_hash)
          IS DISTINCT FROM (excluded.kind, excluded.title, excluded.body, excluded.tags,
                            excluded.metadata, excluded.content_hash)
"""

ERRORS: tuple[type[BaseException], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


# -- values ---------------------------------------------------------------------------------


def slot_range(day: dt.date, start_min: int, end_min: int) -> tuple[dt.datetime, dt.datetime]:
    midnight = dt.datetime.combine(day, dt.time())
    return midnight + dt.timedelta(minutes=start_min), midnight + dt.timedelta(minutes=end_min)


# -- rows to records ------------------------------------------------------------------------


def _native(value: Any) -> Any:
    return value  # asyncpg returns dates and timestamps as Python values already


ROWS = RowMapper(day=_native, stamp=_native)
table = ROWS.table
reservation = ROWS.reservation
doc = ROWS.doc
session = ROWS.session
escalation = ROWS.escalation


# -- seeding steps (each runs inside the seed transaction) ----------------------------------


async def seed_tables(db: asyncpg.Connection, profile: RestaurantProfile) -> int:
    plan = table_plan(profile)
    await db.executemany(
        "INSERT INTO dining_tables (name, seats, area, active) VALUES ($1, $2, $3, true) "
        "ON CONFLICT (name) DO UPDATE SET seats = excluded.seats, area = excluded.area, "
        "active = true WHERE (dining_tables.seats, dining_tables.area, dining_tables.active) "
        "IS DISTINCT FROM (excluded.seats, excluded.area, true)",
        plan,
    )
    names = [name for name, _, _ in plan]
    await db.execute(
        "DELETE FROM dining_tables WHERE NOT (name = ANY ($1::text[])) "
        "AND NOT EXISTS (SELECT 1 FROM reservations WHERE table_id = dining_tables.id)",
        names,
    )
    retired = await db.fetch(
        "UPDATE dining_tables SET active = false WHERE NOT (name = ANY ($1::text[])) AND active "
        "RETURNING id, name",
        names,
    )
    for row in retired:
        count = await db.fetchval(
            "SELECT count(*) FROM reservations "
            "WHERE table_id = $1 AND status = 'booked' AND date >= $2",
            row["id"],
            dt.date.today(),
        )
        if count:
            log.warning(
                "table %s is gone from the profile but keeps %d upcoming reservations; "
                "it is retired (no new bookings) and those reservations stand",
                row["name"],
                count,
            )
    return len(plan)


async def seed_hours(db: asyncpg.Connection, profile: RestaurantProfile) -> None:
    rows: list[tuple[int, str | None, str | None, str | None, bool]] = []
    for weekday, name in enumerate(WEEKDAYS):
        hours = profile.hours[name]  # type: ignore[index]
        if hours == "closed":
            rows.append((weekday, None, None, None, True))
        else:
            last = hours.last_seating.strftime("%H:%M") if hours.last_seating else None
            rows.append(
                (weekday, hours.open.strftime("%H:%M"), hours.close.strftime("%H:%M"), last, False)
            )
    await db.execute("DELETE FROM opening_hours")
    await db.executemany("INSERT INTO opening_hours VALUES ($1, $2, $3, $4, $5)", rows)


async def ensure_vector_table(db: asyncpg.Connection, embedder: EmbedderInfo) -> bool:
    """Create the vector table for this embedder; True when it is new (no stored vectors)."""
    rows = await db.fetch(
        "SELECT key, value FROM meta WHERE key IN ('embedder_name', 'embedder_dim')"
    )
    stored = {row["key"]: row["value"] for row in rows}
    exists = await db.fetchval("SELECT to_regclass('knowledge_vectors') IS NOT NULL")
    same = stored == {"embedder_name": embedder.name, "embedder_dim": str(embedder.dim)}
    if same and exists:
        return False
    await db.execute("DROP TABLE IF EXISTS knowledge_vectors")
    await db.execute(
        "CREATE TABLE knowledge_vectors (doc_id bigint PRIMARY KEY "
        "REFERENCES knowledge_docs (id) ON DELETE CASCADE, kind text NOT NULL, "
        f"embedding vector({int(embedder.dim)}) NOT NULL)"
    )
    await db.executemany(
        "INSERT INTO meta (key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [("embedder_name", embedder.name), ("embedder_dim", str(embedder.dim))],
    )
    if stored:
        log.info("embedder changed to %s (%d); stored vectors dropped", embedder.name, embedder.dim)
    return True


async def seed_docs(
    db: asyncpg.Connection,
    docs: Sequence[KnowledgeDoc],
    vectors: Sequence[Sequence[float] | None],
    fresh_vectors: bool,
    dim: int,
) -> int:
    """Upsert documents by key, delete missing ones, write vectors; returns how many went."""
    stored = {
        row["key"]: (row["id"], row["content_hash"])
        for row in await db.fetch("SELECT id, key, content_hash FROM knowledge_docs")
    }
    with_vector = {row["doc_id"] for row in await db.fetch("SELECT doc_id FROM knowledge_vectors")}
    fingerprints = [doc_fingerprint(item) for item in docs]
    for item, vector, fingerprint in zip(docs, vectors, fingerprints, strict=True):
        if vector is not None:
            continue
        kept = stored.get(item.key)
        if fresh_vectors or kept is None or kept[1] != fingerprint or kept[0] not in with_vector:
            raise StorageError(
                f"no vector given for {item.key} and no stored vector can be kept "
                "(new or changed document, or a new embedder): embed it"
            )
    removed = await db.fetch(
        "DELETE FROM knowledge_docs WHERE NOT (key = ANY ($1::text[])) RETURNING id",
        [item.key for item in docs],
    )
    await db.executemany(
        UPSERT_DOC,
        [
            (
                item.key,
                item.kind,
                item.title,
                item.body,
                dumps(list(item.tags)),
                dumps(item.metadata),
                fingerprint,
                " ".join(item.tags),
            )
            for item, fingerprint in zip(docs, fingerprints, strict=True)
        ],
    )
    ids = {row["key"]: row["id"] for row in await db.fetch("SELECT id, key FROM knowledge_docs")}
    changed = [
        (ids[item.key], item.kind, vector)  # pgvector encodes any float sequence or array
        for item, vector in zip(docs, vectors, strict=True)
        if vector is not None
    ]
    await db.executemany(
        "INSERT INTO knowledge_vectors (doc_id, kind, embedding) VALUES ($1, $2, $3) "
        "ON CONFLICT (doc_id) DO UPDATE SET kind = excluded.kind, embedding = excluded.embedding",
        changed,
    )
    if fresh_vectors and dim <= HNSW_MAX_DIM:
        # built after the bulk insert: much faster than growing the graph row by row; enough
        # memory for the graph of ~100k 384-d vectors, else the build spills and crawls
        await db.execute("SET LOCAL maintenance_work_mem = '256MB'")
        await db.execute(
            "CREATE INDEX knowledge_vectors_hnsw ON knowledge_vectors "
            "USING hnsw (embedding vector_cosine_ops)"
        )
    return len(removed)
