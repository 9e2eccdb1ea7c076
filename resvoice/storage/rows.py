"""Values to and from columns, for both backends: the same columns make the same records.

The backends differ only in how a row holds dates and timestamps (SQLite: ISO text; Postgres:
native values), so each builds one `RowMapper` with its two converters; JSON columns are
written with `dumps` / `transcript_json` by both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pydantic import TypeAdapter
from pydantic_core import to_json

from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.storage.records import (
    EscalationRecord,
    Reservation,
    ReservationChange,
    SessionRecord,
    TableRecord,
    TextMessage,
    TranscriptLine,
)

TRANSCRIPT = TypeAdapter(tuple[TranscriptLine, ...])


class Row(Protocol):
    """A result row by column name: `sqlite3.Row` and `asyncpg.Record` both are."""

    def __getitem__(self, key: str, /) -> Any: ...


class RowMapper:
    """Maps one backend's rows; `day` and `stamp` read its date and timestamp columns."""

    def __init__(
        self, *, day: Callable[[Any], dt.date], stamp: Callable[[Any], dt.datetime]
    ) -> None:
        self._day = day
        self._stamp = stamp

    def table(self, row: Row) -> TableRecord:
        return TableRecord(id=row["id"], name=row["name"], seats=row["seats"], area=row["area"])

    def reservation(self, row: Row) -> Reservation:
        return Reservation(
            id=row["id"],
            table=TableRecord(
                id=row["table_id"],
                name=row["table_name"],
                seats=row["table_seats"],
                area=row["table_area"],
            ),
            conversation_id=row["conversation_id"],
            name=row["name"],
            phone=row["phone"],
            party_size=row["party_size"],
            date=self._day(row["date"]),
            time=clock(row["start_min"]),
            end_time=clock(row["end_min"]),
            email=row["email"],
            special_requests=row["special_requests"],
            status=row["status"],
            created_at=self._stamp(row["created_at"]),
            code=row["code"] or "",
            late_minutes=row["late_minutes"],
        )

    def change(self, row: Row) -> ReservationChange:
        return ReservationChange(
            id=row["id"],
            reservation_id=row["reservation_id"],
            kind=row["kind"],
            old=json.loads(row["old"]),
            new=json.loads(row["new"]),
            by=row["changed_by"],
            conversation_id=row["conversation_id"],
            at=self._stamp(row["at"]),
        )

    def doc(self, row: Row) -> KnowledgeDoc:
        return KnowledgeDoc(
            key=row["key"],
            kind=row["kind"],
            title=row["title"],
            body=row["body"],
            tags=tuple(json.loads(row["tags"])),
            metadata=json.loads(row["metadata"]),
        )

    def session(self, row: Row) -> SessionRecord:
        return SessionRecord(
            conversation_id=row["conversation_id"],
            notepad=json.loads(row["notepad"]),
            metadata=json.loads(row["metadata"]),
            transcript=TRANSCRIPT.validate_json(row["transcript"]),
            created_at=self._stamp(row["created_at"]),
            updated_at=self._stamp(row["updated_at"]),
        )

    def escalation(self, row: Row) -> EscalationRecord:
        return EscalationRecord(
            id=row["id"],
            conversation_id=row["conversation_id"],
            reason=row["reason"],
            detail=row["detail"],
            status=row["status"],
            notepad=json.loads(row["notepad"]),
            missing_fields=tuple(json.loads(row["missing_fields"])),
            transcript=TRANSCRIPT.validate_json(row["transcript"]),
            claimed_by=row["claimed_by"],
            claimed_at=self._stamp(row["claimed_at"]) if row["claimed_at"] is not None else None,
            created_at=self._stamp(row["created_at"]),
            updated_at=self._stamp(row["updated_at"]),
        )

    def text(self, row: Row) -> TextMessage:
        return TextMessage(
            id=row["id"],
            conversation_id=row["conversation_id"],
            reservation_id=row["reservation_id"],
            to=row["to_number"],
            body=row["body"],
            status=row["status"],
            provider_id=row["provider_id"],
            error=row["error"],
            attempts=row["attempts"],
            created_at=self._stamp(row["created_at"]),
            updated_at=self._stamp(row["updated_at"]),
        )


def dumps(value: Any) -> str:
    """JSON text of any pydantic-serialisable value (dates and models included)."""
    return to_json(value).decode()


def transcript_json(lines: Sequence[TranscriptLine]) -> str:
    return TRANSCRIPT.dump_json(tuple(lines)).decode()


def line_json(line: TranscriptLine) -> str:
    """One transcript line as JSON text, as it sits in `transcript_json`'s array."""
    return line.model_dump_json()


def utc(value: dt.datetime | None = None) -> dt.datetime:
    """An aware UTC datetime (now by default; a naive value is taken as UTC)."""
    value = value or dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def clock(minutes: int) -> dt.time:
    """The time of day `minutes` after a midnight (a sitting's end may pass 1440)."""
    minutes %= 1440
    return dt.time(minutes // 60, minutes % 60)
