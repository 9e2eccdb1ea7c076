"""Transfers to a human whose outcome is overdue: the deadline, the outcome, the sweep.

A mixin of `SQLStorage` (see `Storage.set_transfer_deadline` and the two methods after it). The
SQL is the same for both backends, written with `?` placeholders; the backend's `Dialect` gives
them its own form and passes the timestamps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from resvoice.storage._rows import Row
from resvoice.storage.base import EscalationRecord, TransferOutcome

if TYPE_CHECKING:
    from resvoice.storage._dialect import Dialect

# Statuses are fixed words, never user input.
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
    """Each statement is one write transaction of its own (the backend's `_commit`)."""

    _q: ClassVar[Dialect]

    if TYPE_CHECKING:

        async def _commit(self, sql: str, *args: Any) -> Sequence[Row]: ...

    async def set_transfer_deadline(self, escalation_id: int, due_at: dt.datetime) -> None:
        await self._transfer_write(SET_DEADLINE, self._q.stamp(due_at), escalation_id)

    async def record_transfer_outcome(
        self, escalation_id: int, status: TransferOutcome, detail: str
    ) -> EscalationRecord | None:
        now = self._q.stamp()
        rows = await self._transfer_write(RECORD_OUTCOME, status, detail, now, escalation_id)
        return rows[0] if rows else None

    async def fail_overdue_transfers(self, now: dt.datetime, detail: str) -> list[EscalationRecord]:
        # the row's updated_at is the real time of the change; `now` only decides what is due
        rows = await self._transfer_write(FAIL_OVERDUE, detail, self._q.stamp(), self._q.stamp(now))
        return sorted(rows, key=lambda row: row.id or 0)

    async def _transfer_write(self, sql: str, *args: Any) -> list[EscalationRecord]:
        rows = await self._commit(self._q.placeholders(sql), *args)
        return [self._q.ROWS.escalation(row) for row in rows]
