"""The escalation board the console shows and claims from.

`StorageBoard` works with what every `Storage` offers today (`escalations`, `update_escalation`);
its claim is a read-then-write under a lock, safe within one server process but not across
several sharing a database. When Storage gains an atomic claim (SKIP LOCKED on Postgres), a
board that uses it drops in here: the console only sees the `EscalationBoard` protocol.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from resvoice.storage.base import EscalationRecord, Storage

CLAIMABLE = ("queued", "transferred", "callback", "failed")


class EscalationBoard(Protocol):
    async def recent(self, limit: int = 50) -> list[EscalationRecord]: ...

    async def claim(self, escalation_id: int, by: str) -> EscalationRecord | None:
        """Claim an open escalation for `by`; None when it is unknown or already claimed."""
        ...


class StorageBoard:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._lock = asyncio.Lock()

    async def recent(self, limit: int = 50) -> list[EscalationRecord]:
        rows = await self._storage.escalations()
        rows.sort(key=lambda row: row.id or 0, reverse=True)
        return rows[:limit]

    async def claim(self, escalation_id: int, by: str) -> EscalationRecord | None:
        async with self._lock:
            rows = await self._storage.escalations()
            row = next((r for r in rows if r.id == escalation_id), None)
            if row is None or row.status not in CLAIMABLE:
                return None
            detail = f"claimed by {by}" + (f"; {row.detail}" if row.detail else "")
            return await self._storage.update_escalation(escalation_id, "claimed", detail)


def escalation_view(row: EscalationRecord) -> dict[str, Any]:
    """What the console shows of an escalation (JSON-ready)."""
    return {
        "id": row.id,
        "call": row.conversation_id,
        "reason": row.reason,
        "detail": row.detail,
        "status": row.status,
        "notepad": row.notepad,
        "missing": list(row.missing_fields),
        "transcript": [{"role": line.role, "text": line.text} for line in row.transcript],
        "created_at": row.created_at.isoformat() if row.created_at else None,
    }
