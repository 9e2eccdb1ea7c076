"""Transfers to a human whose outcome is overdue: the deadline, the outcome, the sweep.

Mixins of `SQLiteStorage` and `PostgresStorage` (see `Storage.set_transfer_deadline` and the
two methods after it). The SQL is the same for both backends; only how a statement runs and
how a timestamp is passed differ, which each backend's mixin supplies.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from resvoice.storage import _pg_sql, _sqlite_sql
from resvoice.storage._records import utc
from resvoice.storage.base import EscalationRecord, TransferOutcome

if TYPE_CHECKING:
    import aiosqlite
    import asyncpg

# `?` placeholders; Postgres gets them numbered. Statuses are fixed words, never user input.
SET_DEADLINE = "UPDATE escalations SET transfer_due_at = ? WHERE id = ?"
RECORD_OUTCOME = (
    "UPDATE escalations SET status = CASE WHEN status IN ('claimed', 'resolved') THEN status "
    "ELSE ? END, detail = ?, transfer_due_at = NULL, updated_at = ? WHERE id = ? RETURNING *"
)
FAIL_OVERDUE = (
    "UPDATE escalations SET status = 'failed', detail = ?, transfer_due_at = NULL, "
    "updated_at = ? WHERE status = 'transferred' AND transfer_due_at < ? RETURNING *"
)


class TransferDeadlines:
    """The backend-neutral half: each backend says how to run one write and pass a time."""

    async def set_transfer_deadline(self, escalation_id: int, due_at: dt.datetime) -> None:
        await self._transfer_write(SET_DEADLINE, (self._transfer_time(due_at), escalation_id))

    async def record_transfer_outcome(
        self, escalation_id: int, status: TransferOutcome, detail: str
    ) -> EscalationRecord | None:
        now = self._transfer_time(utc())
        rows = await self._transfer_write(RECORD_OUTCOME, (status, detail, now, escalation_id))
        return rows[0] if rows else None

    async def fail_overdue_transfers(self, now: dt.datetime, detail: str) -> list[EscalationRecord]:
        # the row's updated_at is the real time of the change; `now` only decides what is due
        stamp = self._transfer_time(utc())
        rows = await self._transfer_write(FAIL_OVERDUE, (detail, stamp, self._transfer_time(now)))
        return sorted(rows, key=lambda row: row.id or 0)

    async def _transfer_write(self, sql: str, args: Sequence[Any]) -> list[EscalationRecord]:
        raise NotImplementedError

    def _transfer_time(self, value: dt.datetime) -> Any:
        raise NotImplementedError


class SQLiteTransfers(TransferDeadlines):
    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

    async def _transfer_write(self, sql: str, args: Sequence[Any]) -> list[EscalationRecord]:
        async with self._write() as db:  # BEGIN IMMEDIATE: one writer across processes
            rows = await db.execute_fetchall(sql, args)
        return [_sqlite_sql.escalation(row) for row in rows]

    def _transfer_time(self, value: dt.datetime) -> Any:
        return _sqlite_sql.timestamp(value)


class PostgresTransfers(TransferDeadlines):
    if TYPE_CHECKING:

        async def _fetch(
            self, sql: str, *args: Any, translate: bool = True
        ) -> list[asyncpg.Record]: ...

    async def _transfer_write(self, sql: str, args: Sequence[Any]) -> list[EscalationRecord]:
        return [_pg_sql.escalation(row) for row in await self._fetch(_numbered(sql), *args)]

    def _transfer_time(self, value: dt.datetime) -> Any:
        return utc(value)


def _numbered(sql: str) -> str:
    """`?` placeholders as Postgres' `$1`, `$2`, ..."""
    counter = itertools.count(1)
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)
