"""SQL text, row mapping and seeding steps of the SQLite backend (private to `sqlite.py`).

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

import aiosqlite
import sqlite_vec

from resvoice.errors import StorageError
from resvoice.restaurant.profile import WEEKDAYS, RestaurantProfile
from resvoice.storage._records import (
    dumps,
    slot_minutes,
    table_plan,
)
from resvoice.storage._rows import RowMapper
from resvoice.storage.base import (
    EmbedderInfo,
    KnowledgeDoc,
    doc_fingerprint,
)

log = logging.getLogger("resvoice.storage.sqlite")

OVERLAP_MESSAGE = "resvoice: table already booked at an overlapping time"

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

BOOK_SQL = f"""
    INSERT INTO reservations (table_id, conversation_id, name, phone, party_size, date,
                              start_min, end_min, email, special_requests, status, created_at)
    SELECT t.id, :conversation_id, :name, :phone, :party, :date,
           :start, :end, :email, :special_requests, 'booked', :created_at
    FROM dining_tables AS t {FREE_TABLE_WHERE}
    ORDER BY t.seats, t.id
    LIMIT 1
    RETURNING id
"""

RESERVATION_SELECT = """
    SELECT r.*, t.name AS table_name, t.seats AS table_seats, t.area AS table_area
    FROM reservations AS r JOIN dining_tables AS t ON t.id = r.table_id
"""

DOC_COLUMNS = "d.id, d.key, d.kind, d.title, d.body, d.tags, d.metadata"

# -- values ---------------------------------------------------------------------------------


def timestamp(value: dt.datetime | None = None) -> str:
    """A fixed-width UTC ISO timestamp (now by default; a naive value is taken as UTC)."""
    value = value or dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def slot_params(day: dt.date, start: dt.time, sitting_minutes: int, party: int) -> dict[str, Any]:
    start_min, end_min = slot_minutes(start, sitting_minutes, party)
    return {"date": day.isoformat(), "start": start_min, "end": end_min, "party": party}


# -- rows to records ------------------------------------------------------------------------


ROWS = RowMapper(day=dt.date.fromisoformat, stamp=dt.datetime.fromisoformat)
table = ROWS.table
reservation = ROWS.reservation
doc = ROWS.doc
session = ROWS.session
escalation = ROWS.escalation


# -- seeding steps (each runs inside the seed transaction) ----------------------------------


async def seed_tables(db: aiosqlite.Connection, profile: RestaurantProfile) -> int:
    plan = table_plan(profile)
    await db.executemany(
        "INSERT INTO dining_tables (name, seats, area, active) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (name) DO UPDATE SET seats = excluded.seats, area = excluded.area, "
        "active = 1 WHERE (seats, area, active) IS NOT (excluded.seats, excluded.area, 1)",
        plan,
    )
    names = json.dumps([name for name, _, _ in plan])
    gone = "name NOT IN (SELECT value FROM json_each(?))"
    await db.execute(
        f"DELETE FROM dining_tables WHERE {gone} "
        "AND NOT EXISTS (SELECT 1 FROM reservations WHERE table_id = dining_tables.id)",
        (names,),
    )
    retired = await db.execute_fetchall(
        f"UPDATE dining_tables SET active = 0 WHERE {gone} AND active = 1 RETURNING id, name",
        (names,),
    )
    for row in retired:
        future = await db.execute_fetchall(
            "SELECT count(*) AS n FROM reservations "
            "WHERE table_id = ? AND status = 'booked' AND date >= ?",
            (row["id"], dt.date.today().isoformat()),
        )
        count = next(iter(future))["n"]
        if count:
            log.warning(
                "table %s is gone from the profile but keeps %d upcoming reservations; "
                "it is retired (no new bookings) and those reservations stand",
                row["name"],
                count,
            )
    return len(plan)


async def seed_hours(db: aiosqlite.Connection, profile: RestaurantProfile) -> None:
    rows: list[tuple[int, str | None, str | None, str | None, int]] = []
    for weekday, name in enumerate(WEEKDAYS):
        hours = profile.hours[name]  # type: ignore[index]
        if hours == "closed":
            rows.append((weekday, None, None, None, 1))
        else:
            last = hours.last_seating.strftime("%H:%M") if hours.last_seating else None
            rows.append(
                (weekday, hours.open.strftime("%H:%M"), hours.close.strftime("%H:%M"), last, 0)
            )
    await db.execute("DELETE FROM opening_hours")
    await db.executemany("INSERT INTO opening_hours VALUES (?, ?, ?, ?, ?)", rows)


async def ensure_vector_table(db: aiosqlite.Connection, embedder: EmbedderInfo) -> bool:
    """Create the vec0 table for this embedder; True when it is new (no stored vectors)."""
    stored = {
        row["key"]: row["value"]
        for row in await db.execute_fetchall(
            "SELECT key, value FROM meta WHERE key IN ('embedder_name', 'embedder_dim')"
        )
    }
    exists = list(
        await db.execute_fetchall(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'knowledge_vec'"
        )
    )
    same = stored == {"embedder_name": embedder.name, "embedder_dim": str(embedder.dim)}
    if same and exists:
        return False
    await db.execute("DROP TABLE IF EXISTS knowledge_vec")
    await db.execute(
        "CREATE VIRTUAL TABLE knowledge_vec USING vec0 (doc_id INTEGER PRIMARY KEY, "
        f"embedding float[{int(embedder.dim)}] distance_metric=cosine, kind TEXT)"
    )
    await db.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [("embedder_name", embedder.name), ("embedder_dim", str(embedder.dim))],
    )
    if stored:
        log.info("embedder changed to %s (%d); stored vectors dropped", embedder.name, embedder.dim)
    return True


async def seed_docs(
    db: aiosqlite.Connection,
    docs: Sequence[KnowledgeDoc],
    vectors: Sequence[Sequence[float] | None],
    fresh_vectors: bool,
) -> int:
    """Upsert documents by key, delete missing ones, write vectors; returns how many went."""
    stored = {
        row["key"]: (row["id"], row["content_hash"])
        for row in await db.execute_fetchall("SELECT id, key, content_hash FROM knowledge_docs")
    }
    with_vector = {
        row["doc_id"] for row in await db.execute_fetchall("SELECT doc_id FROM knowledge_vec")
    }
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
    removed = list(
        await db.execute_fetchall(
            "DELETE FROM knowledge_docs WHERE key NOT IN (SELECT value FROM json_each(?)) "
            "RETURNING id",
            (json.dumps([item.key for item in docs]),),
        )
    )
    await db.executemany(
        "DELETE FROM knowledge_vec WHERE doc_id = ?", [(row["id"],) for row in removed]
    )
    await db.executemany(
        "INSERT INTO knowledge_docs (key, kind, title, body, tags, metadata, content_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, "
        "title = excluded.title, body = excluded.body, tags = excluded.tags, "
        "metadata = excluded.metadata, content_hash = excluded.content_hash "
        "WHERE (kind, title, body, tags, metadata, content_hash) IS NOT (excluded.kind, "
        "excluded.title, excluded.body, excluded.tags, excluded.metadata, excluded.content_hash)",
        [
            (
                item.key,
                item.kind,
                item.title,
                item.body,
                dumps(list(item.tags)),
                dumps(item.metadata),
                fingerprint,
            )
            for item, fingerprint in zip(docs, fingerprints, strict=True)
        ],
    )
    ids = {
        row["key"]: row["id"]
        for row in await db.execute_fetchall("SELECT id, key FROM knowledge_docs")
    }
    changed = [
        (ids[item.key], item.kind, vector)
        for item, vector in zip(docs, vectors, strict=True)
        if vector is not None
    ]
    await db.executemany(
        "DELETE FROM knowledge_vec WHERE doc_id = ?", [(doc_id,) for doc_id, _, _ in changed]
    )
    await db.executemany(
        "INSERT INTO knowledge_vec (doc_id, embedding, kind) VALUES (?, ?, ?)",
        [
            (doc_id, sqlite_vec.serialize_float32(list(vector)), kind)
            for doc_id, kind, vector in changed
        ],
    )
    return len(removed)
