"""A call's transcript is appended line by line, never rewritten whole (schema v4), on both
backends; a save replaces only the last line (a barge-in cuts or drops it); databases saved
before v4 keep their transcripts."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

import asyncpg

from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.records import SessionRecord, TranscriptLine

AT = dt.datetime(2031, 6, 3, 19, 0, tzinfo=dt.UTC)


def line(n: int, role: str = "caller") -> TranscriptLine:
    return TranscriptLine(role=role, text=f"line {n}", at=AT)  # type: ignore[arg-type]


async def _raw(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return list(conn.execute(sql).fetchall())
    conn = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await conn.fetch(sql)]
    finally:
        await conn.close()


async def test_saves_append_lines_and_replace_only_the_last(
    storage: Storage, database_url: str
) -> None:
    transcript: list[TranscriptLine] = []
    for n in range(40):
        transcript.append(line(n, "caller" if n % 2 == 0 else "agent"))
        await storage.save_session(
            SessionRecord(conversation_id="long", transcript=tuple(transcript))
        )
    # a barge-in cuts the reply that ends the transcript, then drops the next one
    transcript[-1] = transcript[-1].model_copy(update={"text": "li", "interrupted": True})
    await storage.save_session(SessionRecord(conversation_id="long", transcript=tuple(transcript)))
    loaded = await storage.load_session("long")
    assert loaded is not None and loaded.transcript == tuple(transcript)
    transcript.pop()
    await storage.save_session(SessionRecord(conversation_id="long", transcript=tuple(transcript)))
    loaded = await storage.load_session("long")
    assert loaded is not None and loaded.transcript == tuple(transcript)
    [listed] = await storage.list_sessions()
    assert listed.transcript == tuple(transcript)

    rows = await _raw(
        database_url,
        "SELECT s.transcript, count(t.seq) FROM voice_sessions AS s "
        "JOIN session_turns AS t ON t.session_id = s.id GROUP BY s.id, s.transcript",
    )
    [(whole, stored)] = rows
    assert json.loads(whole) == [] and stored == len(transcript)  # one row per line


async def test_a_database_saved_before_v4_keeps_its_transcripts(database_url: str) -> None:
    storage = await open_storage(database_url)
    await storage.save_session(SessionRecord(conversation_id="old"))
    await storage.close()
    old = json.dumps([line(0).model_dump(mode="json"), line(1, "agent").model_dump(mode="json")])
    undo_texts = ["DROP TABLE text_messages"]  # v6
    if database_url.startswith("postgres"):
        undo_texts.append("DROP FUNCTION resvoice_announce_reservation() CASCADE")
    for sql in (
        *undo_texts,
        # back to v3: undo v5 (reservations that live on), then v4
        "DROP TABLE reservation_changes",
        "DROP INDEX reservations_by_code",
        "DROP INDEX reservations_by_phone",
        "ALTER TABLE reservations DROP COLUMN code",
        "ALTER TABLE reservations DROP COLUMN late_minutes",
        "DROP TABLE session_turns",
        "DELETE FROM schema_migrations WHERE version >= 4",
        f"UPDATE voice_sessions SET transcript = '{old}'",
    ):
        await _raw(database_url, sql)
    storage = await open_storage(database_url)  # migrates to v4 (and v5, v6)
    try:
        loaded = await storage.load_session("old")
        assert loaded is not None and loaded.transcript == (line(0), line(1, "agent"))
        await storage.save_session(
            loaded.model_copy(update={"transcript": (*loaded.transcript, line(2))})
        )
        again = await storage.load_session("old")
        assert again is not None and [x.text for x in again.transcript] == [
            "line 0",
            "line 1",
            "line 2",
        ]
    finally:
        await storage.close()
