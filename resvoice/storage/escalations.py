"""Escalations (hand-offs to a human) in storage, for both backends: create, update, list,
claim, and the deadlines of transfers whose outcome is overdue.

The live feed (`Storage.watch_escalations`) is each backend's own (SQLite polls, Postgres
LISTENs). The transfer SQL is the same for both, written with `?` placeholders; the backend's
`Dialect` gives them its own form and passes the timestamps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from resvoice.storage.backend import Database
from resvoice.storage.records import (
    CLAIMABLE_STATUSES,
    OPEN_STATUSES,
    EscalationRecord,
    EscalationStatus,
    TransferOutcome,
)
from resvoice.storage.rows import dumps, transcript_json

# SQL lists of escalation statuses (fixed words from base.py, never user input)
CLAIMABLE_SQL = ", ".join(f"'{status}'" for status in CLAIMABLE_STATUSES)
OPEN_SQL = ", ".join(f"'{status}'" for status in OPEN_STATUSES)

SET_DEADLINE = "UPDATE escalations SET transfer_due_at = ? WHERE id = ?"
RECORD_OUTCOME = (
    "UPDATE escalations SET status = CASE WHEN status IN ('claimed', 'resolved') THEN status "
    "ELSE ? END, detail = ?, transfer_due_at = NULL, updated_at = ? WHERE id = ? RETURNING *"
)
FAIL_OVERDUE = (
    "UPDATE escalations SET status = 'failed', detail = ?, transfer_due_at = NULL, "
    "updated_at = ? WHERE status = 'transferred' AND transfer_due_at < ? RETURNING *"
)


async def create_escalation(db: Database, record: EscalationRecord) -> EscalationRecord:
    dialect = db.dialect
    now = dialect.stamp()
    rows = await db.commit(
        dialect.CREATE_ESCALATION,
        record.conversation_id,
        record.reason,
        record.detail,
        record.status,
        dumps(record.notepad),
        dumps(list(record.missing_fields)),
        transcript_json(record.transcript),
        record.claimed_by,
        dialect.stamp(record.claimed_at) if record.claimed_at else None,
        dialect.stamp(record.created_at) if record.created_at else now,
        now,
    )
    return dialect.ROWS.escalation(rows[0])


async def update_escalation(
    db: Database, escalation_id: int, status: EscalationStatus, detail: str | None = None
) -> EscalationRecord | None:
    """Set the status (and the detail when given); None when no such escalation.

    A claimed escalation is never reopened by an open status (see `Storage`).
    """
    dialect = db.dialect
    rows = await db.commit(
        dialect.UPDATE_ESCALATION, status, detail, dialect.stamp(), escalation_id
    )
    return dialect.ROWS.escalation(rows[0]) if rows else None


async def escalations(db: Database, conversation_id: str | None = None) -> list[EscalationRecord]:
    """Escalations, oldest first; of one conversation when `conversation_id` is given."""
    rows = await db.fetch(db.dialect.ESCALATIONS, conversation_id)
    return [db.dialect.ROWS.escalation(row) for row in rows]


async def claim_escalation(
    db: Database, agent: str, escalation_id: int | None = None
) -> EscalationRecord | None:
    """Give the oldest claimable escalation (or the one named) to `agent`; None if none is.

    One conditional UPDATE; how it stays atomic across processes is the dialect's
    `CLAIM_OLDEST` / `CLAIM_NAMED`.
    """
    dialect = db.dialect
    sql = dialect.CLAIM_OLDEST if escalation_id is None else dialect.CLAIM_NAMED
    rows = await db.commit(sql, agent, dialect.stamp(), escalation_id)
    return dialect.ROWS.escalation(rows[0]) if rows else None


async def set_transfer_deadline(db: Database, escalation_id: int, due_at: dt.datetime) -> None:
    await _transfer_write(db, SET_DEADLINE, db.dialect.stamp(due_at), escalation_id)


async def record_transfer_outcome(
    db: Database, escalation_id: int, status: TransferOutcome, detail: str
) -> EscalationRecord | None:
    now = db.dialect.stamp()
    rows = await _transfer_write(db, RECORD_OUTCOME, status, detail, now, escalation_id)
    return rows[0] if rows else None


async def fail_overdue_transfers(
    db: Database, now: dt.datetime, detail: str
) -> list[EscalationRecord]:
    # the row's updated_at is the real time of the change; `now` only decides what is due
    dialect = db.dialect
    rows = await _transfer_write(db, FAIL_OVERDUE, detail, dialect.stamp(), dialect.stamp(now))
    return sorted(rows, key=lambda row: row.id or 0)


async def _transfer_write(db: Database, sql: str, *args: Any) -> list[EscalationRecord]:
    """Each transfer statement is one write transaction of its own."""
    rows = await db.commit(db.dialect.placeholders(sql), *args)
    return [db.dialect.ROWS.escalation(row) for row in rows]
