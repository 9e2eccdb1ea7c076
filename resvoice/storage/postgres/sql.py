"""The Postgres dialect (a `Dialect`, see `backend.py`): SQL text, values, rows, vector storage.

Sittings are stored like SQLite's (an ISO `date` and minutes after midnight) plus a generated
`during tsrange`, which the exclusion constraint and the availability query both use, so
sittings across midnight need no special case.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Sequence
from typing import Any

import asyncpg

from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.storage.backend import Tx
from resvoice.storage.escalations import CLAIMABLE_SQL, OPEN_SQL
from resvoice.storage.rows import RowMapper, dumps, utc

log = logging.getLogger("resvoice.storage.postgres")

ESCALATION_CHANNEL = "resvoice_escalations"
HNSW_MAX_DIM = 2000  # pgvector's limit for an HNSW index on `vector`
# Links per node of the HNSW graph: pgvector's default. With `HNSW_EF_SEARCH` 40 it keeps the
# 100k-row vector top-5 under 10 ms p95; 32 raised recall@5 on the bench's synthetic rows (0.71
# against 0.51) but also p95 past 10 ms, and builds 1.4-2.5 times slower
# (`python -m bench.hnsw_recall`; the README has the table).
HNSW_M = 16

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

RESERVATIONS_ON = f"""
    {RESERVATION_SELECT} WHERE r.date = $1 ORDER BY r.start_min, t.seats, t.id, r.id
"""
RESERVATION_BY_ID = f"{RESERVATION_SELECT} WHERE r.id = $1"
ALL_RESERVATIONS = f"{RESERVATION_SELECT} ORDER BY r.id"
FORGET_RESERVATION_CHANGES = "DELETE FROM reservation_changes WHERE reservation_id = $1"
FORGET_RESERVATION = "DELETE FROM reservations WHERE id = $1"
RESTORE_RESERVATION = f"""
    WITH r AS (
        INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, date,
                                  start_min, end_min, email, special_requests, status,
                                  created_at, code, late_minutes)
        SELECT t.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
        FROM dining_tables AS t WHERE t.name = $1
        RETURNING *
    )
    SELECT {RESERVATION_COLUMNS} FROM r JOIN dining_tables AS t ON t.id = r.table_id
"""

# Pick the smallest free table and take it in one statement. Two concurrent statements can pick
# the same table (neither sees the other's uncommitted row); the exclusion constraint then makes
# the second wait for the first and fail, and `book` retries with a fresh snapshot.
BOOK = f"""
    WITH taken AS (
        INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, date,
                                  start_min, end_min, email, special_requests, status,
                                  created_at, code)
        SELECT t.id, $4, $5, $6, $3, $7, $8, $9, $10, $11, 'booked', $12, $13
        FROM dining_tables AS t
        WHERE t.active AND t.seats >= $3 AND NOT EXISTS ({_OVERLAP})
        ORDER BY t.seats, t.id
        LIMIT 1
        RETURNING *
    )
    SELECT {RESERVATION_COLUMNS}
    FROM taken AS r JOIN dining_tables AS t ON t.id = r.table_id
"""

# -- reservations that live on (see `_reservation_changes.py`) --------------------------------
# (phone, code, name lower-cased, date, from date, status); each NULL matches everything
FIND_RESERVATIONS = f"""
    {RESERVATION_SELECT}
    WHERE ($1::text IS NULL OR r.phone = $1) AND ($2::text IS NULL OR r.code = $2)
      AND ($3::text IS NULL OR lower(r.name) = $3 OR lower(r.name) LIKE '% ' || $3)
      AND ($4::date IS NULL OR r.date = $4) AND ($5::date IS NULL OR r.date >= $5)
      AND ($6::text IS NULL OR r.status = $6)
    ORDER BY r.date, r.start_min, r.id
"""
LOCK_RESERVATION = f"{RESERVATION_SELECT} WHERE r.id = $1 FOR UPDATE OF r"
CANCEL_RESERVATION = (
    "UPDATE reservations SET status = 'cancelled' WHERE id = $1 AND status = 'booked' RETURNING id"
)
UPDATE_DETAILS = (
    "UPDATE reservations SET special_requests = coalesce($2, special_requests), "
    "late_minutes = coalesce($3, late_minutes) WHERE id = $1 AND status = 'booked' RETURNING id"
)
# (id, date, start, end, party, sitting begin, sitting end); see the SQLite twin
MOVE_RESERVATION = """
    WITH pick AS (
        SELECT t.id FROM dining_tables AS t
        WHERE t.active AND t.seats >= $5 AND NOT EXISTS (
            SELECT 1 FROM reservations AS r
            WHERE int4range(r.table_id, r.table_id, '[]') && int4range(t.id, t.id, '[]')
              AND r.during && tsrange($6, $7) AND r.status = 'booked' AND r.id != $1)
        ORDER BY t.seats, t.id != (SELECT table_id FROM reservations WHERE id = $1), t.id
        LIMIT 1
    )
    UPDATE reservations AS r SET table_id = pick.id, date = $2, start_min = $3, end_min = $4,
        party_size = $5
    FROM pick WHERE r.id = $1 AND r.status = 'booked'
    RETURNING r.id
"""
INSERT_CHANGE = (
    "INSERT INTO reservation_changes (reservation_id, kind, old, new, changed_by, "
    "conversation_id, at) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7) RETURNING *"
)
CHANGES = (
    "SELECT * FROM reservation_changes WHERE $1::bigint IS NULL OR reservation_id = $1 "
    "ORDER BY at, id"
)

DOC_COLUMNS = "d.id, d.key, d.kind, d.title, d.body, d.tags, d.metadata"
DUMP_DOCS = f'SELECT {DOC_COLUMNS} FROM knowledge_docs AS d ORDER BY d.key COLLATE "C"'
DUMP_VECTORS = (
    f"SELECT {DOC_COLUMNS}, v.embedding FROM knowledge_docs AS d "
    'LEFT JOIN knowledge_vectors AS v ON v.doc_id = d.id ORDER BY d.key COLLATE "C"'
)

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

UPSERT_PROFILE = (
    "INSERT INTO restaurant (id, profile, updated_at) VALUES (1, $1::jsonb, $2) "
    "ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, "
    "updated_at = excluded.updated_at WHERE restaurant.profile != excluded.profile"
)
# profile::text keeps the stored JSON as written; jsonb would reorder keys, harmlessly
LOAD_PROFILE = "SELECT profile::text AS profile FROM restaurant WHERE id = 1"
ACTIVE_TABLES = "SELECT id, name, seats, area FROM dining_tables WHERE active ORDER BY id"

UPSERT_TABLE = (
    "INSERT INTO dining_tables (name, seats, area, active) VALUES ($1, $2, $3, true) "
    "ON CONFLICT (name) DO UPDATE SET seats = excluded.seats, area = excluded.area, "
    "active = true WHERE (dining_tables.seats, dining_tables.area, dining_tables.active) "
    "IS DISTINCT FROM (excluded.seats, excluded.area, true)"
)
DELETE_GONE_TABLES = (
    "DELETE FROM dining_tables WHERE NOT (name = ANY ($1::text[])) "
    "AND NOT EXISTS (SELECT 1 FROM reservations WHERE table_id = dining_tables.id)"
)
RETIRE_GONE_TABLES = (
    "UPDATE dining_tables SET active = false WHERE NOT (name = ANY ($1::text[])) AND active "
    "RETURNING id, name"
)
UPCOMING_BOOKINGS = (
    "SELECT count(*) AS n FROM reservations "
    "WHERE table_id = $1 AND status = 'booked' AND date >= $2"
)
INSERT_HOURS = "INSERT INTO opening_hours VALUES ($1, $2, $3, $4, $5)"

VECTOR_TABLE_EXISTS = "SELECT 1 WHERE to_regclass('knowledge_vectors') IS NOT NULL"
DROP_VECTOR_TABLE = "DROP TABLE IF EXISTS knowledge_vectors"
UPSERT_META = (
    "INSERT INTO meta (key, value) VALUES ($1, $2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
VECTOR_IDS = "SELECT doc_id FROM knowledge_vectors"
# the vectors of deleted documents go with them (ON DELETE CASCADE)
DELETE_MISSING_DOCS = "DELETE FROM knowledge_docs WHERE NOT (key = ANY ($1::text[])) RETURNING id"

SAVE_SESSION = (
    "INSERT INTO voice_sessions "
    "(conversation_id, notepad, metadata, transcript, created_at, updated_at) "
    "VALUES ($1, $2::jsonb, $3::jsonb, '[]'::jsonb, $4, $5) "
    "ON CONFLICT (conversation_id) DO UPDATE SET "
    "notepad = excluded.notepad, metadata = excluded.metadata, "
    "updated_at = excluded.updated_at RETURNING id"
)
LAST_TURN = "SELECT seq FROM session_turns WHERE session_id = $1 ORDER BY seq DESC LIMIT 1"
DELETE_TURNS_FROM = "DELETE FROM session_turns WHERE session_id = $1 AND seq >= $2"
INSERT_TURN = "INSERT INTO session_turns (session_id, seq, line) VALUES ($1, $2, $3::jsonb)"
# the transcript as one JSON array, as `voice_sessions.transcript` held it before v4
_SESSION = (
    "SELECT s.id, s.conversation_id, s.notepad, s.metadata, s.created_at, s.updated_at, "
    "(SELECT coalesce(jsonb_agg(t.line ORDER BY t.seq), '[]'::jsonb) FROM session_turns AS t "
    "WHERE t.session_id = s.id) AS transcript "
    "FROM voice_sessions AS s"
)
LOAD_SESSION = f"{_SESSION} WHERE s.conversation_id = $1"
LIST_SESSIONS = (
    f"{_SESSION} WHERE $1::timestamptz IS NULL OR s.created_at >= $1 "
    "ORDER BY s.created_at DESC, s.id DESC LIMIT $2"
)

CREATE_ESCALATION = (
    "INSERT INTO escalations (conversation_id, reason, detail, status, notepad, "
    "missing_fields, transcript, claimed_by, claimed_at, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11) "
    "RETURNING *"
)
UPDATE_ESCALATION = (
    "UPDATE escalations SET status = CASE WHEN status = 'claimed' AND $1 IN "
    f"({OPEN_SQL}) THEN status ELSE $1 END, detail = coalesce($2, detail), "
    "updated_at = $3 WHERE id = $4 RETURNING *"
)
ESCALATIONS = (
    "SELECT * FROM escalations WHERE $1::text IS NULL OR conversation_id = $1 "
    "ORDER BY created_at, id"
)
# The oldest: `FOR UPDATE SKIP LOCKED`, so an escalation another agent is claiming right now is
# skipped, not waited for. A named one: `FOR UPDATE`, which waits for a concurrent claim to
# commit and then re-checks the status, so the loser's None is definitive (with SKIP LOCKED it
# would return before the winner committed, while the row still read as open).
_CLAIM = (
    "UPDATE escalations SET status = 'claimed', claimed_by = $1, claimed_at = $2, "
    "updated_at = $2 WHERE id = (SELECT id FROM escalations WHERE status IN "
    f"({CLAIMABLE_SQL}) AND ($3::bigint IS NULL OR id = $3) ORDER BY created_at, id "
    "LIMIT 1 {lock}) RETURNING *"
)
CLAIM_OLDEST = _CLAIM.format(lock="FOR UPDATE SKIP LOCKED")
CLAIM_NAMED = _CLAIM.format(lock="FOR UPDATE")
ESCALATIONS_AFTER = "SELECT * FROM escalations WHERE id > $1 ORDER BY id"
ESCALATION_BY_ID = "SELECT * FROM escalations WHERE id = $1"

ERRORS: tuple[type[BaseException], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


# -- values ---------------------------------------------------------------------------------


stamp = utc


def day(value: dt.date) -> dt.date:
    return value  # asyncpg binds dates as they are


def placeholders(sql: str) -> str:
    """`?` placeholders as Postgres' `$1`, `$2`, ..."""
    counter = itertools.count(1)
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


def move_params(
    reservation_id: int, day: dt.date, start_min: int, end_min: int, party: int
) -> tuple[Any, ...]:
    return (reservation_id, day, start_min, end_min, party, *slot_range(day, start_min, end_min))


def names(values: list[str]) -> list[str]:
    return values


def vector_of(value: Any) -> list[float]:
    return value.to_list()  # type: ignore[no-any-return]  # pgvector's Vector


def slot_range(day: dt.date, start_min: int, end_min: int) -> tuple[dt.datetime, dt.datetime]:
    midnight = dt.datetime.combine(day, dt.time())
    return midnight + dt.timedelta(minutes=start_min), midnight + dt.timedelta(minutes=end_min)


# -- rows to records ------------------------------------------------------------------------


def _native(value: Any) -> Any:
    return value  # asyncpg returns dates and timestamps as Python values already


ROWS = RowMapper(day=_native, stamp=_native)


# -- the seeding steps that differ (see `restaurant_data.py`) -----------------------------------


def doc_params(doc: KnowledgeDoc, fingerprint: str) -> tuple[Any, ...]:
    """`UPSERT_DOC`'s parameters; the tags come twice: JSON, and text for the search vector."""
    tags = dumps(list(doc.tags))
    metadata = dumps(doc.metadata)
    return (doc.key, doc.kind, doc.title, doc.body, tags, metadata, fingerprint, " ".join(doc.tags))


def create_vector_table(dim: int) -> str:
    return (
        "CREATE TABLE knowledge_vectors (doc_id bigint PRIMARY KEY "
        "REFERENCES knowledge_docs (id) ON DELETE CASCADE, kind text NOT NULL, "
        f"embedding vector({dim}) NOT NULL)"
    )


async def forget_vectors(db: Tx, doc_ids: list[int]) -> None:
    """Nothing to do: deleting a document deleted its vector (ON DELETE CASCADE)."""


async def write_vectors(
    db: Tx, changed: Sequence[tuple[int, str, Sequence[float]]], fresh: bool, dim: int
) -> None:
    """Upsert the changed vectors; build the HNSW index once a fresh table is filled."""
    await db.executemany(
        "INSERT INTO knowledge_vectors (doc_id, kind, embedding) VALUES ($1, $2, $3) "
        "ON CONFLICT (doc_id) DO UPDATE SET kind = excluded.kind, embedding = excluded.embedding",
        changed,  # pgvector encodes any float sequence or array
    )
    if fresh and dim <= HNSW_MAX_DIM:
        # built after the bulk insert: much faster than growing the graph row by row; enough
        # memory for the graph of ~100k 384-d vectors, else the build spills and crawls
        await db.execute("SET LOCAL maintenance_work_mem = '512MB'")
        await db.execute(
            "CREATE INDEX knowledge_vectors_hnsw ON knowledge_vectors "
            f"USING hnsw (embedding vector_cosine_ops) WITH (m = {HNSW_M})"
        )
