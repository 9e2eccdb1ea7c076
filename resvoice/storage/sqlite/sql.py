"""The SQLite dialect (a `Dialect`, see `backend.py`): SQL text, values, rows, vector storage.

Times are stored as minutes after midnight (`start_min`, `end_min`, the end may pass 1440 when
a sitting crosses midnight) on an ISO `date`; timestamps as fixed-width UTC ISO strings, so
text order is time order.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import sqlite_vec

from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.storage.backend import Tx
from resvoice.storage.bookings import slot_minutes
from resvoice.storage.escalations import CLAIMABLE_SQL, OPEN_SQL
from resvoice.storage.rows import RowMapper, dumps, utc

log = logging.getLogger("resvoice.storage.sqlite")

OVERLAP_MESSAGE = "resvoice: table already booked at an overlapping time"
CODE_CLASH_MESSAGE = "reservations.code"  # in SQLite's "UNIQUE constraint failed: ..." message

# Another booked reservation of table `t` overlapping [:start, :end) on :date. Reservations of
# the neighbouring dates are shifted by +-1440 minutes, so sittings across midnight count too.
_OVERLAP = """
    SELECT 1 FROM reservations AS r
    WHERE r.table_id = t.id
      AND r.status = 'booked'
      AND r.date IN (date(:date, '-1 day'), :date, date(:date, '+1 day'))
      AND r.start_min + 1440 * CAST(julianday(r.date) - julianday(:date) AS INTEGER) < :end
      AND :start < r.end_min + 1440 * CAST(julianday(r.date) - julianday(:date) AS INTEGER)
"""

FREE_TABLE_WHERE = f"WHERE t.active = 1 AND t.seats >= :party AND NOT EXISTS ({_OVERLAP})"

BOOK = f"""
    INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, date,
                              start_min, end_min, email, special_requests, status, created_at,
                              code)
    SELECT t.id, :conversation_id, :name, :phone, :party, :date,
           :start, :end, :email, :special_requests, 'booked', :created_at, :code
    FROM dining_tables AS t {FREE_TABLE_WHERE}
    ORDER BY t.seats, t.id
    LIMIT 1
    RETURNING id
"""

RESERVATION_SELECT = """
    SELECT r.*, t.name AS table_name, t.seats AS table_seats, t.area AS table_area
    FROM reservations AS r JOIN dining_tables AS t ON t.id = r.table_id
"""
RESERVATIONS_ON = f"{RESERVATION_SELECT} WHERE r.date = ? ORDER BY r.start_min, t.seats, t.id, r.id"
RESERVATION_BY_ID = f"{RESERVATION_SELECT} WHERE r.id = ?"
ALL_RESERVATIONS = f"{RESERVATION_SELECT} ORDER BY r.id"
FORGET_RESERVATION_CHANGES = "DELETE FROM reservation_changes WHERE reservation_id = ?"
FORGET_RESERVATION = "DELETE FROM reservations WHERE id = ?"
# Returns the new id only (SQLite has no INSERT inside WITH); `_insert_reservation` reads the row.
RESTORE_RESERVATION = """
    INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, date,
                              start_min, end_min, email, special_requests, status, created_at,
                              code, late_minutes)
    SELECT t.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14
    FROM dining_tables AS t WHERE t.name = ?1
    RETURNING id
"""

# -- reservations that live on (see `_reservation_changes.py`) --------------------------------
# (phone, code, name lower-cased, date, from date, status); each None matches everything
FIND_RESERVATIONS = f"""
    {RESERVATION_SELECT}
    WHERE (?1 IS NULL OR r.phone = ?1) AND (?2 IS NULL OR r.code = ?2)
      AND (?3 IS NULL OR lower(r.name) = ?3 OR lower(r.name) LIKE '% ' || ?3)
      AND (?4 IS NULL OR r.date = ?4) AND (?5 IS NULL OR r.date >= ?5)
      AND (?6 IS NULL OR r.status = ?6)
    ORDER BY r.date, r.start_min, r.id
"""
LOCK_RESERVATION = RESERVATION_BY_ID  # the write transaction already holds SQLite's lock
CANCEL_RESERVATION = (
    "UPDATE reservations SET status = 'cancelled' WHERE id = ? AND status = 'booked' RETURNING id"
)
# (id, special requests or None, late minutes or None)
UPDATE_DETAILS = (
    "UPDATE reservations SET special_requests = coalesce(?2, special_requests), "
    "late_minutes = coalesce(?3, late_minutes) WHERE id = ?1 AND status = 'booked' RETURNING id"
)
# (id, date, start, end, party): the smallest free table for the new sitting, ignoring the
# reservation's own, preferring the table it has among equals; nothing when none is free
MOVE_RESERVATION = """
    WITH pick AS (
        SELECT t.id FROM dining_tables AS t
        WHERE t.active = 1 AND t.seats >= ?5 AND NOT EXISTS (
            SELECT 1 FROM reservations AS r
            WHERE r.table_id = t.id AND r.id != ?1 AND r.status = 'booked'
              AND r.date IN (date(?2, '-1 day'), ?2, date(?2, '+1 day'))
              AND r.start_min + 1440 * CAST(julianday(r.date) - julianday(?2) AS INTEGER) < ?4
              AND ?3 < r.end_min + 1440 * CAST(julianday(r.date) - julianday(?2) AS INTEGER))
        ORDER BY t.seats, t.id != (SELECT table_id FROM reservations WHERE id = ?1), t.id
        LIMIT 1
    )
    UPDATE reservations SET table_id = (SELECT id FROM pick), date = ?2, start_min = ?3,
        end_min = ?4, party_size = ?5
    WHERE id = ?1 AND status = 'booked' AND EXISTS (SELECT 1 FROM pick)
    RETURNING id
"""
# (reservation id, kind, old JSON, new JSON, by, conversation id, at)
INSERT_CHANGE = (
    "INSERT INTO reservation_changes (reservation_id, kind, old, new, changed_by, "
    "conversation_id, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *"
)
CHANGES = (
    "SELECT * FROM reservation_changes WHERE ?1 IS NULL OR reservation_id = ?1 ORDER BY at, id"
)

UPSERT_PROFILE = (
    "INSERT INTO restaurant (id, profile, updated_at) VALUES (1, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, "
    "updated_at = excluded.updated_at WHERE profile != excluded.profile"
)
LOAD_PROFILE = "SELECT profile FROM restaurant WHERE id = 1"
ACTIVE_TABLES = "SELECT id, name, seats, area FROM dining_tables WHERE active = 1 ORDER BY id"

UPSERT_TABLE = (
    "INSERT INTO dining_tables (name, seats, area, active) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (name) DO UPDATE SET seats = excluded.seats, area = excluded.area, "
    "active = 1 WHERE (seats, area, active) IS NOT (excluded.seats, excluded.area, 1)"
)
_GONE = "name NOT IN (SELECT value FROM json_each(?))"
DELETE_GONE_TABLES = (
    f"DELETE FROM dining_tables WHERE {_GONE} "
    "AND NOT EXISTS (SELECT 1 FROM reservations WHERE table_id = dining_tables.id)"
)
RETIRE_GONE_TABLES = (
    f"UPDATE dining_tables SET active = 0 WHERE {_GONE} AND active = 1 RETURNING id, name"
)
UPCOMING_BOOKINGS = (
    "SELECT count(*) AS n FROM reservations WHERE table_id = ? AND status = 'booked' AND date >= ?"
)
INSERT_HOURS = "INSERT INTO opening_hours VALUES (?, ?, ?, ?, ?)"

VECTOR_TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'knowledge_vec'"
DROP_VECTOR_TABLE = "DROP TABLE IF EXISTS knowledge_vec"
UPSERT_META = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
VECTOR_IDS = "SELECT doc_id FROM knowledge_vec"
DELETE_MISSING_DOCS = (
    "DELETE FROM knowledge_docs WHERE key NOT IN (SELECT value FROM json_each(?)) RETURNING id"
)
UPSERT_DOC = (
    "INSERT INTO knowledge_docs (key, kind, title, body, tags, metadata, content_hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, "
    "title = excluded.title, body = excluded.body, tags = excluded.tags, "
    "metadata = excluded.metadata, content_hash = excluded.content_hash "
    "WHERE (kind, title, body, tags, metadata, content_hash) IS NOT (excluded.kind, "
    "excluded.title, excluded.body, excluded.tags, excluded.metadata, excluded.content_hash)"
)

DOC_COLUMNS = "d.id, d.key, d.kind, d.title, d.body, d.tags, d.metadata"
DUMP_DOCS = f"SELECT {DOC_COLUMNS} FROM knowledge_docs AS d ORDER BY d.key"
DUMP_VECTORS = (
    f"SELECT {DOC_COLUMNS}, v.embedding FROM knowledge_docs AS d "
    "LEFT JOIN knowledge_vec AS v ON v.doc_id = d.id ORDER BY d.key"
)

SAVE_SESSION = (
    "INSERT INTO voice_sessions "
    "(conversation_id, notepad, metadata, transcript, created_at, updated_at) "
    "VALUES (?, ?, ?, '[]', ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET "
    "notepad = excluded.notepad, metadata = excluded.metadata, "
    "updated_at = excluded.updated_at RETURNING id"
)
LAST_TURN = "SELECT seq FROM session_turns WHERE session_id = ? ORDER BY seq DESC LIMIT 1"
DELETE_TURNS_FROM = "DELETE FROM session_turns WHERE session_id = ? AND seq >= ?"
INSERT_TURN = "INSERT INTO session_turns (session_id, seq, line) VALUES (?, ?, ?)"
# the transcript as one JSON array, as `voice_sessions.transcript` held it before v4 (rows of a
# WITHOUT ROWID table come in key order, so the lines are in `seq` order)
_SESSION = (
    "SELECT s.id, s.conversation_id, s.notepad, s.metadata, s.created_at, s.updated_at, "
    "(SELECT json_group_array(json(t.line)) FROM "
    "(SELECT line FROM session_turns WHERE session_id = s.id ORDER BY seq) AS t) AS transcript "
    "FROM voice_sessions AS s"
)
LOAD_SESSION = f"{_SESSION} WHERE s.conversation_id = ?"
# '' sorts before every timestamp and LIMIT -1 is no limit, so the index still serves it
LIST_SESSIONS = (
    f"{_SESSION} WHERE s.created_at >= coalesce(?1, '') "
    "ORDER BY s.created_at DESC, s.id DESC LIMIT coalesce(?2, -1)"
)

CREATE_ESCALATION = (
    "INSERT INTO escalations (conversation_id, reason, detail, status, notepad, "
    "missing_fields, transcript, claimed_by, claimed_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *"
)
UPDATE_ESCALATION = (
    "UPDATE escalations SET status = CASE WHEN status = 'claimed' AND ?1 IN "
    f"({OPEN_SQL}) THEN status ELSE ?1 END, detail = coalesce(?2, detail), "
    "updated_at = ?3 WHERE id = ?4 RETURNING *"
)
ESCALATIONS = (
    "SELECT * FROM escalations WHERE ?1 IS NULL OR conversation_id = ?1 ORDER BY created_at, id"
)
# Runs inside `BEGIN IMMEDIATE`: the write lock makes the pick and the claim atomic across
# connections and processes, and the status is re-checked.
CLAIM_OLDEST = CLAIM_NAMED = (
    "UPDATE escalations SET status = 'claimed', claimed_by = ?1, claimed_at = ?2, "
    f"updated_at = ?2 WHERE status IN ({CLAIMABLE_SQL}) AND id = (SELECT id "
    f"FROM escalations WHERE status IN ({CLAIMABLE_SQL}) AND (?3 IS NULL OR id = ?3) "
    "ORDER BY created_at, id LIMIT 1) RETURNING *"
)

# -- values ---------------------------------------------------------------------------------


def stamp(value: dt.datetime | None = None) -> str:
    """A fixed-width UTC ISO timestamp (now by default; a naive value is taken as UTC)."""
    return utc(value).isoformat(timespec="microseconds")


def day(value: dt.date) -> str:
    return value.isoformat()


def placeholders(sql: str) -> str:
    return sql  # SQLite's own `?`


def move_params(
    reservation_id: int, day: dt.date, start_min: int, end_min: int, party: int
) -> tuple[Any, ...]:
    return (reservation_id, day.isoformat(), start_min, end_min, party)


def names(values: list[str]) -> str:
    return json.dumps(values)


def vector_of(value: bytes) -> list[float]:
    return np.frombuffer(value, dtype=np.float32).tolist()  # type: ignore[no-any-return]


def slot_params(day: dt.date, start: dt.time, sitting_minutes: int, party: int) -> dict[str, Any]:
    start_min, end_min = slot_minutes(start, sitting_minutes, party)
    return {"date": day.isoformat(), "start": start_min, "end": end_min, "party": party}


# -- rows to records ------------------------------------------------------------------------


ROWS = RowMapper(day=dt.date.fromisoformat, stamp=dt.datetime.fromisoformat)


# -- the seeding steps that differ (see `restaurant_data.py`) -----------------------------------


def doc_params(doc: KnowledgeDoc, fingerprint: str) -> tuple[Any, ...]:
    metadata = dumps(doc.metadata)
    return (doc.key, doc.kind, doc.title, doc.body, dumps(list(doc.tags)), metadata, fingerprint)


def create_vector_table(dim: int) -> str:
    return (
        "CREATE VIRTUAL TABLE knowledge_vec USING vec0 (doc_id INTEGER PRIMARY KEY, "
        f"embedding float[{dim}] distance_metric=cosine, kind TEXT)"
    )


async def forget_vectors(db: Tx, doc_ids: list[int]) -> None:
    await db.executemany("DELETE FROM knowledge_vec WHERE doc_id = ?", [(n,) for n in doc_ids])


async def write_vectors(
    db: Tx, changed: Sequence[tuple[int, str, Sequence[float]]], fresh: bool, dim: int
) -> None:
    """Replace the changed vectors (vec0 tables have no upsert); no index to build."""
    await forget_vectors(db, [doc_id for doc_id, _, _ in changed])
    await db.executemany(
        "INSERT INTO knowledge_vec (doc_id, embedding, kind) VALUES (?, ?, ?)",
        [
            (doc_id, sqlite_vec.serialize_float32(list(vector)), kind)
            for doc_id, kind, vector in changed
        ],
    )
