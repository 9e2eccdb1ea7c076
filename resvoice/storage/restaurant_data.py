"""The restaurant's data in storage: seeding it (profile, tables, hours, documents and
vectors in one transaction, see `Storage.seed`), and reading the profile and tables back.

Written once for both backends; the SQL and the steps that really differ (how vectors are
stored) come from the backend's `Dialect`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from resvoice.errors import StorageError
from resvoice.restaurant.documents import KnowledgeDoc, doc_fingerprint
from resvoice.restaurant.profile import WEEKDAYS, RestaurantProfile, services_of
from resvoice.storage.backend import Database, Dialect, Tx
from resvoice.storage.records import EmbedderInfo, SeedSummary, TableRecord

MAX_DIM = 8192


async def seed(
    db: Database,
    profile: RestaurantProfile,
    docs: Sequence[KnowledgeDoc],
    vectors: Sequence[Sequence[float] | None],
    embedder: EmbedderInfo,
) -> SeedSummary:
    """Replace the restaurant's data in one transaction (see `Storage.seed` for the contract).

    Tables are named T1..Tn in profile order and upserted by name, so ids stay stable. A
    table the profile no longer lists is deleted if no reservation points at it, otherwise
    retired (never offered again; its reservations stand, and a warning is logged when some
    are still to come).
    """
    check_seed_input(docs, vectors, embedder)
    dialect = db.dialect
    async with db.seed_transaction() as tx:
        await tx.execute(dialect.UPSERT_PROFILE, profile.model_dump_json(), dialect.stamp())
        tables = await seed_tables(tx, dialect, profile)
        await seed_hours(tx, dialect, profile)
        fresh_vectors = await ensure_vector_table(tx, dialect, embedder)
        removed = await seed_docs(tx, dialect, docs, vectors, fresh_vectors, embedder.dim)
    return SeedSummary(
        tables=tables,
        documents=len(docs),
        embedded=sum(vector is not None for vector in vectors),
        removed=removed,
    )


async def load_profile(db: Database) -> RestaurantProfile | None:
    rows = await db.fetch(db.dialect.LOAD_PROFILE)
    return RestaurantProfile.model_validate_json(rows[0]["profile"]) if rows else None


async def tables(db: Database) -> list[TableRecord]:
    return [db.dialect.ROWS.table(row) for row in await db.fetch(db.dialect.ACTIVE_TABLES)]


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


async def seed_tables(db: Tx, dialect: Dialect, profile: RestaurantProfile) -> int:
    """Upsert T1..Tn; delete unbooked tables the profile dropped, retire booked ones."""
    plan = table_plan(profile)
    await db.executemany(dialect.UPSERT_TABLE, plan)
    names = dialect.names([name for name, _, _ in plan])
    await db.execute(dialect.DELETE_GONE_TABLES, names)
    retired = await db.fetch(dialect.RETIRE_GONE_TABLES, names)
    for row in retired:
        future = await db.fetch(dialect.UPCOMING_BOOKINGS, row["id"], dialect.day(dt.date.today()))
        count = future[0]["n"]
        if count:
            dialect.log.warning(
                "table %s is gone from the profile but keeps %d upcoming reservations; "
                "it is retired (no new bookings) and those reservations stand",
                row["name"],
                count,
            )
    return len(plan)


async def seed_hours(db: Tx, dialect: Dialect, profile: RestaurantProfile) -> None:
    """One row per weekday: from the first service's opening to the last one's closing (the
    profile, stored beside it, keeps every service, closure and special date)."""
    rows: list[tuple[int, str | None, str | None, str | None, bool]] = []
    for weekday, name in enumerate(WEEKDAYS):
        services = services_of(profile.hours[name])  # type: ignore[index]
        if not services:
            rows.append((weekday, None, None, None, True))
        else:
            first, final = services[0], services[-1]
            last = final.last_seating.strftime("%H:%M") if final.last_seating else None
            rows.append(
                (weekday, first.open.strftime("%H:%M"), final.close.strftime("%H:%M"), last, False)
            )
    await db.execute("DELETE FROM opening_hours")
    await db.executemany(dialect.INSERT_HOURS, rows)


async def ensure_vector_table(db: Tx, dialect: Dialect, embedder: EmbedderInfo) -> bool:
    """Create the vector table for this embedder; True when it is new (no stored vectors)."""
    rows = await db.fetch(
        "SELECT key, value FROM meta WHERE key IN ('embedder_name', 'embedder_dim')"
    )
    stored = {row["key"]: row["value"] for row in rows}
    exists = bool(await db.fetch(dialect.VECTOR_TABLE_EXISTS))
    same = stored == {"embedder_name": embedder.name, "embedder_dim": str(embedder.dim)}
    if same and exists:
        return False
    await db.execute(dialect.DROP_VECTOR_TABLE)
    await db.execute(dialect.create_vector_table(int(embedder.dim)))
    await db.executemany(
        dialect.UPSERT_META, [("embedder_name", embedder.name), ("embedder_dim", str(embedder.dim))]
    )
    if stored:
        dialect.log.info(
            "embedder changed to %s (%d); stored vectors dropped", embedder.name, embedder.dim
        )
    return True


async def seed_docs(
    db: Tx,
    dialect: Dialect,
    docs: Sequence[KnowledgeDoc],
    vectors: Sequence[Sequence[float] | None],
    fresh_vectors: bool,
    dim: int,
) -> int:
    """Upsert documents by key, delete missing ones, write vectors; returns how many went."""
    stored = {
        row["key"]: (row["id"], row["content_hash"])
        for row in await db.fetch("SELECT id, key, content_hash FROM knowledge_docs")
    }
    with_vector = {row["doc_id"] for row in await db.fetch(dialect.VECTOR_IDS)}
    fingerprints = [doc_fingerprint(item) for item in docs]
    for item, vector, fingerprint in zip(docs, vectors, fingerprints, strict=True):
        if vector is not None:
            continue
        kept = stored.get(item.key)
        if fresh_vectors or kept is None or kept[1] != fingerprint or kept[0] not in with_vector:
            raise StorageError(
                f"no vector given for {item.key} and no stored vector can be kept "
                "(new or changed document, or a new embedder): embed it"
            )
    removed = await db.fetch(
        dialect.DELETE_MISSING_DOCS, dialect.names([item.key for item in docs])
    )
    await dialect.forget_vectors(db, [row["id"] for row in removed])
    await db.executemany(
        dialect.UPSERT_DOC,
        [
            dialect.doc_params(item, fingerprint)
            for item, fingerprint in zip(docs, fingerprints, strict=True)
        ],
    )
    ids = {row["key"]: row["id"] for row in await db.fetch("SELECT id, key FROM knowledge_docs")}
    changed = [
        (ids[item.key], item.kind, vector)
        for item, vector in zip(docs, vectors, strict=True)
        if vector is not None
    ]
    await dialect.write_vectors(db, changed, fresh_vectors, dim)
    return len(removed)
