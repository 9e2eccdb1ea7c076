"""Backend-neutral helpers of the storage backends: JSON text, input checks, table names.

Private to `resvoice.storage`; SQLite and Postgres share these so they agree on every value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_json

from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.base import EmbedderInfo, KnowledgeDoc, Reservation, TranscriptLine

MAX_DIM = 8192

TRANSCRIPT = TypeAdapter(tuple[TranscriptLine, ...])


def dumps(value: Any) -> str:
    """JSON text of any pydantic-serialisable value (dates and models included)."""
    return to_json(value).decode()


def transcript_json(lines: Sequence[TranscriptLine]) -> str:
    return TRANSCRIPT.dump_json(tuple(lines)).decode()


def utc(value: dt.datetime | None = None) -> dt.datetime:
    """An aware UTC datetime (now by default; a naive value is taken as UTC)."""
    value = value or dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def slot_minutes(start: dt.time, sitting_minutes: int, party: int) -> tuple[int, int]:
    """(start, end) in minutes after midnight of a sitting; the end may pass 1440."""
    if sitting_minutes <= 0 or sitting_minutes > 1440:
        raise ValueError(f"sitting_minutes must be 1..1440, not {sitting_minutes}")
    if party <= 0:
        raise ValueError(f"party size must be positive, not {party}")
    start_min = start.hour * 60 + start.minute
    return start_min, start_min + sitting_minutes


def sitting_span(reservation: Reservation) -> tuple[int, int]:
    """(start, end) minutes of a stored reservation; the end passes 1440 across midnight."""
    start = reservation.time.hour * 60 + reservation.time.minute
    length = (reservation.end_time.hour * 60 + reservation.end_time.minute - start) % 1440
    return start, start + (length or 1440)


def clock(minutes: int) -> dt.time:
    minutes %= 1440
    return dt.time(minutes // 60, minutes % 60)


def check_seed_input(
    docs: Sequence[KnowledgeDoc],
    vectors: Sequence[Sequence[float] | None],
    embedder: EmbedderInfo,
) -> None:
    if not 0 < embedder.dim <= MAX_DIM:
        raise ValueError(f"embedder dim must be 1..{MAX_DIM}, not {embedder.dim}")
    if len(docs) != len(vectors):
        raise ValueError(f"{len(docs)} documents but {len(vectors)} vectors")
    keys = [item.key for item in docs]
    if len(set(keys)) != len(keys):
        dupes = sorted({key for key in keys if keys.count(key) > 1})
        raise ValueError(f"duplicate document keys: {', '.join(dupes)}")
    for item, vector in zip(docs, vectors, strict=True):
        if vector is not None and len(vector) != embedder.dim:
            raise ValueError(
                f"vector of {item.key} has {len(vector)} dimensions, embedder says {embedder.dim}"
            )


def table_plan(profile: RestaurantProfile) -> list[tuple[str, int, str | None]]:
    """(name, seats, area) of every table: T1..Tn in the order of the profile's groups."""
    seats = [(group.seats, group.area) for group in profile.tables for _ in range(group.count)]
    return [(f"T{number}", size, area) for number, (size, area) in enumerate(seats, start=1)]
