"""Texts to guests in storage, for both backends: store one, record its outcome, list them.

The SQL is the same for both, written with `?` placeholders; the backend's `Dialect` gives them
its own form and passes the timestamps.
"""

from __future__ import annotations

from resvoice.storage.backend import Database
from resvoice.storage.records import TextMessage, TextStatus

ADD = (
    "INSERT INTO text_messages (conversation_id, reservation_id, to_number, body, status, "
    "provider_id, error, attempts, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *"
)
UPDATE = (
    "UPDATE text_messages SET status = ?, provider_id = ?, error = ?, attempts = ?, "
    "updated_at = ? WHERE id = ? RETURNING *"
)
SELECT = (
    "SELECT * FROM text_messages WHERE (CAST(? AS TEXT) IS NULL OR conversation_id = ?) "
    "AND (CAST(? AS BIGINT) IS NULL OR reservation_id = ?) ORDER BY id"
)


async def add_text(db: Database, message: TextMessage) -> TextMessage:
    dialect = db.dialect
    now = dialect.stamp()
    rows = await db.commit(
        dialect.placeholders(ADD),
        message.conversation_id,
        message.reservation_id,
        message.to,
        message.body,
        message.status,
        message.provider_id,
        message.error,
        message.attempts,
        dialect.stamp(message.created_at) if message.created_at else now,
        now,
    )
    return dialect.ROWS.text(rows[0])


async def update_text(
    db: Database,
    text_id: int,
    status: TextStatus,
    provider_id: str | None,
    error: str | None,
    attempts: int,
) -> TextMessage | None:
    dialect = db.dialect
    rows = await db.commit(
        dialect.placeholders(UPDATE),
        status,
        provider_id,
        error,
        attempts,
        dialect.stamp(),
        text_id,
    )
    return dialect.ROWS.text(rows[0]) if rows else None


async def texts(
    db: Database, conversation_id: str | None, reservation_id: int | None
) -> list[TextMessage]:
    dialect = db.dialect
    rows = await db.fetch(
        dialect.placeholders(SELECT), conversation_id, conversation_id, reservation_id,
        reservation_id,
    )  # fmt: skip
    return [dialect.ROWS.text(row) for row in rows]
