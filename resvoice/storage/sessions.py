"""Voice sessions in storage (a call's notepad, figures and transcript), for both backends."""

from __future__ import annotations

import datetime as dt
import json

from resvoice.call_metadata import CallMetadata
from resvoice.storage.backend import Database
from resvoice.storage.records import SessionRecord
from resvoice.storage.rows import dumps, line_json

DELETE_SESSIONS_BEFORE = (
    "DELETE FROM voice_sessions WHERE created_at < ? RETURNING conversation_id, metadata"
)


async def save_session(db: Database, record: SessionRecord) -> None:
    """Upsert the session and append its transcript's new lines, in one transaction.

    A transcript only grows, except its last line, which a barge-in may cut or drop: the last
    stored line is written again with the new ones, so a save costs the same in a call's
    thousandth turn as in its first, and a crash loses nothing already committed.
    """
    dialect = db.dialect
    now = dialect.stamp()
    lines = record.transcript
    async with db.transaction() as tx:
        [row] = await tx.fetch(
            dialect.SAVE_SESSION,
            record.conversation_id,
            dumps(record.notepad),
            dumps(record.metadata),
            dialect.stamp(record.created_at) if record.created_at else now,
            now,
        )
        session_id = row["id"]
        last = await tx.fetch(dialect.LAST_TURN, session_id)
        stored = last[0]["seq"] + 1 if last else 0
        start = max(0, min(stored, len(lines)) - 1)
        if stored:
            await tx.execute(dialect.DELETE_TURNS_FROM, session_id, start)
        if start < len(lines):
            await tx.executemany(
                dialect.INSERT_TURN,
                [(session_id, seq, line_json(lines[seq])) for seq in range(start, len(lines))],
            )


async def load_session(db: Database, conversation_id: str) -> SessionRecord | None:
    rows = await db.fetch(db.dialect.LOAD_SESSION, conversation_id)
    return db.dialect.ROWS.session(rows[0]) if rows else None


async def list_sessions(
    db: Database, since: dt.datetime | None = None, limit: int | None = None
) -> list[SessionRecord]:
    """Sessions created at or after `since` (naive means UTC), newest first."""
    dialect = db.dialect
    rows = await db.fetch(dialect.LIST_SESSIONS, dialect.stamp(since) if since else None, limit)
    return [dialect.ROWS.session(row) for row in rows]


async def delete_sessions_before(db: Database, before: dt.datetime) -> list[SessionRecord]:
    """Delete the sessions created before `before` (naive means UTC); returns their ids and
    metadata (a recording's file is named there), in no particular order."""
    sql = db.dialect.placeholders(DELETE_SESSIONS_BEFORE)
    rows = await db.commit(sql, db.dialect.stamp(before))
    out: list[SessionRecord] = []
    for row in rows:
        metadata = row["metadata"]
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        out.append(
            SessionRecord(
                conversation_id=row["conversation_id"],
                metadata=CallMetadata.model_validate(metadata or {}),
            )
        )
    return out
