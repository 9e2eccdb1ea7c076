"""The escalation board the console shows, claims from and hears new escalations on.

`StorageBoard` is a thin adapter over the `Storage` escalation queue, so several `resvoice
serve` processes on one database behave as one: a claim is `Storage.claim_escalation` (atomic
across processes: `FOR UPDATE SKIP LOCKED` on Postgres, a conditional UPDATE under SQLite's
write lock), and `relay_escalations` pushes every escalation any process creates or changes
(claimed, resolved, a transfer's outcome, a sweep's failure; `Storage.watch_escalations`:
LISTEN/NOTIFY on Postgres, a 0.2 s poll on SQLite) to this process's console feed.

Which escalations staff may claim is the storage's rule (`CLAIMABLE_STATUSES`): queued, callback
and failed ones; not a transferred call, which is ringing the agent phone or already answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from resvoice.errors import StorageError
from resvoice.server.hub import Hub
from resvoice.storage.base import Storage
from resvoice.storage.records import CLAIMABLE_STATUSES, EscalationRecord

log = logging.getLogger(__name__)

CLAIMABLE = CLAIMABLE_STATUSES
RELAY_RETRY_S = (0.5, 1.0, 2.0, 5.0)  # back-off after a lost feed, then every 5 s


@dataclass(frozen=True)
class ClaimResult:
    """`row` is the escalation as it now stands (None when unknown); `won` when it is ours."""

    row: EscalationRecord | None
    won: bool

    @property
    def refusal(self) -> str:
        """Why the claim was refused, in one line for staff."""
        if self.row is None:
            return "no such escalation"
        if self.row.status == "claimed":
            return f"already claimed by {self.row.claimed_by or 'someone else'}"
        if self.row.status in CLAIMABLE:  # a claim elsewhere has not committed yet
            return "someone else is claiming it right now"
        if self.row.status == "transferred":
            return "the call was transferred to the agent phone; a human has it"
        return f"not open for claiming ({self.row.status})"


class EscalationBoard(Protocol):
    async def recent(self, limit: int = 50) -> list[EscalationRecord]: ...

    async def claim(self, escalation_id: int, by: str) -> ClaimResult:
        """Claim an open escalation for `by`; exactly one of concurrent claimers wins."""
        ...

    def watch(self, after_id: int | None = None) -> AsyncIterator[EscalationRecord]:
        """Escalations created or changed by any process sharing the database, each as it then
        stands: first those with an id above `after_id` (none when None), then every creation
        and change from now on."""
        ...


class StorageBoard:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def recent(self, limit: int = 50) -> list[EscalationRecord]:
        rows = await self._storage.escalations()
        rows.sort(key=lambda row: row.id or 0, reverse=True)
        return rows[:limit]

    async def claim(self, escalation_id: int, by: str) -> ClaimResult:
        won = await self._storage.claim_escalation(by, escalation_id=escalation_id)
        if won is not None:
            return ClaimResult(won, True)
        rows = await self._storage.escalations()  # the loser's path only: say why
        return ClaimResult(next((r for r in rows if r.id == escalation_id), None), False)

    def watch(self, after_id: int | None = None) -> AsyncIterator[EscalationRecord]:
        return self._storage.watch_escalations(after_id)


async def relay_escalations(board: EscalationBoard, hub: Hub) -> None:
    """Publish every escalation created or changed, by any process, to this process's console
    feed.

    Runs until cancelled or the storage closes. A lost feed (a Postgres connection dropped) is
    logged and reopened after a back-off from the last escalation seen, so no new one is missed;
    the changes made while it was down are caught up by republishing the recent escalations (a
    console ignores a state it already shows).
    """
    failures = 0
    last_id: int | None = None
    while True:
        try:
            if last_id is None:  # pinned once, so a reopened feed resumes from here
                newest = await board.recent(1)
                last_id = (newest[0].id or 0) if newest else 0
            feed = board.watch(last_id)
            if failures:
                for row in reversed(await board.recent()):
                    hub.publish("escalation", escalation_view(row))
            try:
                async for row in feed:
                    failures = 0
                    last_id = max(last_id, row.id or 0)
                    hub.publish("escalation", escalation_view(row))
            finally:
                await _close(feed)  # ends a Postgres LISTEN connection at once
            return  # the storage was closed: the server is stopping
        except StorageError as exc:
            delay = RELAY_RETRY_S[min(failures, len(RELAY_RETRY_S) - 1)]
            failures += 1
            log.warning("escalation feed lost", extra={"error": str(exc), "retry_s": delay})
            await asyncio.sleep(delay)


async def _close(feed: AsyncIterator[EscalationRecord]) -> None:
    close = getattr(feed, "aclose", None)
    if close is not None:
        await close()


def escalation_view(row: EscalationRecord) -> dict[str, Any]:
    """What the console shows of an escalation (JSON-ready)."""
    return {
        "id": row.id,
        "call": row.conversation_id,
        "reason": row.reason,
        "detail": row.detail,
        "status": row.status,
        "claimable": row.status in CLAIMABLE,
        "claimed_by": row.claimed_by,
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
        "notepad": row.notepad,
        "missing": list(row.missing_fields),
        "transcript": [{"role": line.role, "text": line.text} for line in row.transcript],
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }
