"""`resvoice db export` / `resvoice db import`: a whole restaurant as JSON lines, any backend.

One JSON object per line, each with a `type`: a `resvoice-export` header first, then the
`restaurant` profile, the `embedder`, every `knowledge` document with its vector, then
`reservation` (and its history's `change`), `session`, `escalation` and `text` records. A
restaurant can start on SQLite and move to Postgres (or back) without re-embedding. Ids are the
target's own; the reservation and escalation ids a session's metadata (or a text) mentions are
rewritten to match.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import AsyncIterator, Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from resvoice.call_metadata import CallMetadata
from resvoice.errors import FixtureError, StorageError
from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.base import Storage
from resvoice.storage.records import (
    EmbedderInfo,
    EscalationRecord,
    Reservation,
    ReservationChange,
    SessionRecord,
    TextMessage,
)

__all__ = ["FORMAT_VERSION", "ImportSummary", "export_lines", "import_lines", "parse_lines"]

FORMAT_VERSION = 1


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Header(_Line):
    type: Literal["resvoice-export"]
    format: int
    backend: str
    exported_at: dt.datetime


class RestaurantLine(_Line):
    type: Literal["restaurant"]
    profile: RestaurantProfile


class EmbedderLine(_Line):
    type: Literal["embedder"]
    name: str
    dim: int


class KnowledgeLine(_Line):
    type: Literal["knowledge"]
    doc: KnowledgeDoc
    vector: list[float] | None


class ReservationLine(_Line):
    type: Literal["reservation"]
    reservation: Reservation


class ChangeLine(_Line):
    type: Literal["change"]
    change: ReservationChange


class SessionLine(_Line):
    type: Literal["session"]
    session: SessionRecord


class EscalationLine(_Line):
    type: Literal["escalation"]
    escalation: EscalationRecord


class TextLine(_Line):
    type: Literal["text"]
    text: TextMessage


Line = Annotated[
    Header
    | RestaurantLine
    | EmbedderLine
    | KnowledgeLine
    | ReservationLine
    | ChangeLine
    | SessionLine
    | EscalationLine
    | TextLine,
    Field(discriminator="type"),
]
_LINE: TypeAdapter[Line] = TypeAdapter(Line)


class ImportSummary(BaseModel):
    documents: int = 0
    reservations: int = 0
    changes: int = 0
    sessions: int = 0
    escalations: int = 0
    texts: int = 0


async def export_lines(storage: Storage) -> AsyncIterator[str]:
    """The JSON lines of everything `storage` holds (no trailing newlines)."""
    yield _dump(
        Header(
            type="resvoice-export",
            format=FORMAT_VERSION,
            backend=storage.backend,
            exported_at=dt.datetime.now(dt.UTC),
        )
    )
    profile = await storage.load_profile()
    if profile is not None:
        yield _dump(RestaurantLine(type="restaurant", profile=profile))
    info = await storage.embedder_info()
    if info is not None:
        yield _dump(EmbedderLine(type="embedder", name=info.name, dim=info.dim))
    for doc, vector in await storage.knowledge_dump():
        yield _dump(KnowledgeLine(type="knowledge", doc=doc, vector=vector))
    for reservation in await storage.all_reservations():
        yield _dump(ReservationLine(type="reservation", reservation=reservation))
    for change in await storage.reservation_changes():
        yield _dump(ChangeLine(type="change", change=change))
    for session in reversed(await storage.list_sessions()):
        yield _dump(SessionLine(type="session", session=session))
    for escalation in await storage.escalations():
        yield _dump(EscalationLine(type="escalation", escalation=escalation))
    for text in await storage.texts():
        yield _dump(TextLine(type="text", text=text))


def parse_lines(lines: Iterable[str], source: str) -> list[Line]:
    """Validate every line first, so a bad file writes nothing.

    Raises:
        FixtureError: `source:line: message (field)` for the first bad line.
    """
    parsed: list[Line] = []
    numbers: list[int] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            parsed.append(_LINE.validate_json(text))
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or None
            raise FixtureError(source, error["msg"], number, field) from None
        numbers.append(number)
    _check_vectors(parsed, numbers, source)
    if not parsed or not isinstance(parsed[0], Header):
        raise FixtureError(source, "not a resvoice export: the first line must be its header", 1)
    if parsed[0].format != FORMAT_VERSION:
        raise FixtureError(
            source, f"export format {parsed[0].format} is not {FORMAT_VERSION}; upgrade resvoice", 1
        )
    return parsed


def _check_vectors(parsed: list[Line], numbers: list[int], source: str) -> None:
    """Every knowledge vector has the embedder's dimension and finite values."""
    dim = next((line.dim for line in parsed if isinstance(line, EmbedderLine)), None)
    for line, number in zip(parsed, numbers, strict=True):
        if not isinstance(line, KnowledgeLine) or line.vector is None:
            continue
        if dim is not None and len(line.vector) != dim:
            raise FixtureError(
                source, f"a vector of {len(line.vector)} values, the embedder's are {dim}", number
            )
        if not all(math.isfinite(value) for value in line.vector):
            raise FixtureError(source, "a vector holds a value that is not a finite number", number)


def _distinct(lines: list[Line]) -> list[Line]:
    """The lines with a record repeated (same session, reservation or escalation) kept once:
    the last copy, as saving it twice would leave."""
    last: dict[tuple[str, object], int] = {}
    for index, line in enumerate(lines):
        key = _identity(line)
        if key is not None:
            last[key] = index
    return [
        line
        for index, line in enumerate(lines)
        if (key := _identity(line)) is None or last[key] == index
    ]


def _identity(line: Line) -> tuple[str, object] | None:
    if isinstance(line, SessionLine):
        return ("session", line.session.conversation_id)
    if isinstance(line, ReservationLine):
        return ("reservation", line.reservation.id)
    if isinstance(line, EscalationLine) and line.escalation.id is not None:
        return ("escalation", line.escalation.id)
    return None


async def import_lines(storage: Storage, lines: list[Line]) -> ImportSummary:
    """Load parsed lines into an empty database (no reservations, sessions or escalations).

    Raises:
        StorageError: the target already holds calls or bookings, or a record cannot be stored.
    """
    await _require_empty(storage)
    lines = _distinct(lines)
    profile = next((line.profile for line in lines if isinstance(line, RestaurantLine)), None)
    embedder = next((line for line in lines if isinstance(line, EmbedderLine)), None)
    knowledge = [line for line in lines if isinstance(line, KnowledgeLine)]
    summary = ImportSummary()
    if profile is not None and embedder is not None:
        missing = [line.doc.key for line in knowledge if line.vector is None]
        if missing:
            raise StorageError(f"the export has no vectors for {', '.join(missing[:5])}")
        await storage.seed(
            profile,
            [line.doc for line in knowledge],
            [line.vector for line in knowledge],
            EmbedderInfo(name=embedder.name, dim=embedder.dim),
        )
        summary.documents = len(knowledge)
    reservation_ids: dict[int, int] = {}
    for line in lines:
        if isinstance(line, ReservationLine):
            restored = await storage.restore_reservation(line.reservation)
            reservation_ids[line.reservation.id] = restored.id
            summary.reservations += 1
    for line in lines:
        if isinstance(line, ChangeLine) and line.change.reservation_id in reservation_ids:
            await storage.restore_change(
                line.change.model_copy(
                    update={"reservation_id": reservation_ids[line.change.reservation_id]}
                )
            )
            summary.changes += 1
    escalation_ids: dict[int, int] = {}
    for line in lines:
        if isinstance(line, EscalationLine):
            made = await storage.create_escalation(line.escalation.model_copy(update={"id": None}))
            if line.escalation.id is not None and made.id is not None:
                escalation_ids[line.escalation.id] = made.id
            summary.escalations += 1
    for line in lines:
        if isinstance(line, SessionLine):
            metadata = _renumber(line.session.metadata, reservation_ids, escalation_ids)
            await storage.save_session(line.session.model_copy(update={"metadata": metadata}))
            summary.sessions += 1
    for line in lines:
        if isinstance(line, TextLine):
            old = line.text.reservation_id
            new = reservation_ids.get(old, old) if old is not None else None
            await storage.add_text(line.text.model_copy(update={"id": None, "reservation_id": new}))
            summary.texts += 1
    return summary


async def _require_empty(storage: Storage) -> None:
    held = {
        "reservations": len(await storage.all_reservations()),
        "sessions": len(await storage.list_sessions(limit=1)),
        "escalations": len(await storage.escalations()),
    }
    if any(held.values()):
        what = ", ".join(name for name, count in held.items() if count)
        raise StorageError(
            f"the target database already holds {what}; import into an empty database"
        )


def _renumber(
    metadata: CallMetadata, reservations: dict[int, int], escalations: dict[int, int]
) -> CallMetadata:
    update: dict[str, object] = {}
    if metadata.reservation_id is not None:
        old = metadata.reservation_id
        update["reservation_id"] = reservations.get(old, old)
    if metadata.earlier_reservation_ids:
        update["earlier_reservation_ids"] = [
            reservations.get(old, old) for old in metadata.earlier_reservation_ids
        ]
    escalation = metadata.escalation
    if escalation is not None and escalation.id is not None:
        new_id = escalations.get(escalation.id, escalation.id)
        update["escalation"] = escalation.model_copy(update={"id": new_id})
    return metadata.model_copy(update=update)


def _dump(line: _Line) -> str:
    # sorted keys: Postgres' jsonb reorders object keys, and exports of one restaurant from
    # either backend should compare equal line by line
    return json.dumps(line.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
