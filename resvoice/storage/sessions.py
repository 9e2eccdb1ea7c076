"""Voice sessions in storage (a call's notepad, figures and transcript), for both backends."""

from __future__ import annotations

import datetime as dt

from resvoice.storage.backend import Database
from resvoice.storage.base import SessionRecord
from resvoice.storage.rows import dumps, transcript_json


async def save_session(db: Database, record: SessionRecord) -> None:
    dialect = db.dialect
    now = dialect.stamp()
    await db.commit(
        dialect.SAVE_SESSION,
        record.conversation_id,
        dumps(record.notepad),
        dumps(record.metadata),
        transcript_json(record.transcript),
        dialect.stamp(record.created_at) if record.created_at else now,
        now,
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
