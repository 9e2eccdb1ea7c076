"""Voice sessions and escalations."""

from __future__ import annotations

import asyncio
import datetime as dt

from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord, SessionRecord, TranscriptLine

AT = dt.datetime(2031, 6, 3, 19, 0, tzinfo=dt.UTC)
LINES = (
    TranscriptLine(role="caller", text="A table for two?", at=AT),
    TranscriptLine(role="agent", text="For which day?", at=AT, interrupted=True),
)


async def test_save_session_upserts_and_keeps_created_at(storage: Storage) -> None:
    await storage.save_session(SessionRecord(conversation_id="c1", notepad={"party_size": 2}))
    first = await storage.load_session("c1")
    assert first is not None and first.created_at is not None

    await asyncio.sleep(0.002)
    await storage.save_session(
        SessionRecord(
            conversation_id="c1",
            notepad={"party_size": 4, "date": dt.date(2031, 6, 3)},
            metadata={"channel": "twilio"},
            transcript=LINES,
        )
    )
    second = await storage.load_session("c1")

    assert second is not None and second.updated_at is not None
    assert second.created_at == first.created_at
    assert first.updated_at is not None and second.updated_at > first.updated_at
    assert second.notepad == {"party_size": 4, "date": "2031-06-03"}
    assert second.metadata.channel == "twilio"
    assert second.transcript == LINES
    assert await storage.load_session("nope") is None


async def test_list_sessions_newest_first(storage: Storage) -> None:
    for n in range(4):
        created = AT + dt.timedelta(minutes=n)
        await storage.save_session(SessionRecord(conversation_id=f"c{n}", created_at=created))

    assert [s.conversation_id for s in await storage.list_sessions()] == ["c3", "c2", "c1", "c0"]
    assert [s.conversation_id for s in await storage.list_sessions(limit=2)] == ["c3", "c2"]
    since = AT + dt.timedelta(minutes=2)
    assert [s.conversation_id for s in await storage.list_sessions(since=since)] == ["c3", "c2"]
    naive = since.replace(tzinfo=None)  # naive means UTC
    assert len(await storage.list_sessions(since=naive)) == 2


async def test_escalations_create_update_list(storage: Storage) -> None:
    made = await storage.create_escalation(
        EscalationRecord(
            conversation_id="c1",
            reason="party_too_large",
            detail="party of 14",
            notepad={"party_size": 14},
            missing_fields=("phone",),
            transcript=LINES,
        )
    )
    assert made.id is not None and made.status == "queued"
    assert made.created_at is not None and made.created_at == made.updated_at
    assert made.missing_fields == ("phone",) and made.transcript == LINES
    other = await storage.create_escalation(EscalationRecord(conversation_id="c2", reason="x"))

    await asyncio.sleep(0.002)
    claimed = await storage.update_escalation(made.id, "claimed")
    assert claimed is not None and claimed.status == "claimed"
    assert claimed.detail == "party of 14"  # kept when no new detail is given
    assert claimed.updated_at is not None and made.updated_at is not None
    assert claimed.updated_at > made.updated_at and claimed.created_at == made.created_at
    done = await storage.update_escalation(made.id, "resolved", detail="called back")
    assert done is not None and done.detail == "called back"
    assert await storage.update_escalation(9999, "failed") is None

    assert [e.id for e in await storage.escalations()] == [made.id, other.id]
    assert await storage.escalations("c1") == [done]
    assert await storage.escalations("none") == []
