"""The seeding steps both backends run inside the seed transaction (see `Storage.seed`).

Private to `resvoice.storage`. The SQL and the steps that really differ (how vectors are
stored) come from the backend's `Dialect`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from resvoice.errors import StorageError
from resvoice.restaurant.profile import WEEKDAYS, RestaurantProfile, services_of
from resvoice.storage._dialect import Dialect, Tx
from resvoice.storage._records import table_plan
from resvoice.storage.base import EmbedderInfo, KnowledgeDoc, doc_fingerprint


async def seed_tables(db: Tx, q: Dialect, profile: RestaurantProfile) -> int:
    """Upsert T1..Tn; delete unbooked tables the profile dropped, retire booked ones."""
    plan = table_plan(profile)
    await db.executemany(q.UPSERT_TABLE, plan)
    names = q.names([name for name, _, _ in plan])
    await db.execute(q.DELETE_GONE_TABLES, names)
    retired = await db.fetch(q.RETIRE_GONE_TABLES, names)
    for row in retired:
        future = await db.fetch(q.UPCOMING_BOOKINGS, row["id"], q.day(dt.date.today()))
        count = future[0]["n"]
        if count:
            q.log.warning(
                "table %s is gone from the profile but keeps %d upcoming reservations; "
                "it is retired (no new bookings) and those reservations stand",
                row["name"],
                count,
            )
    return len(plan)


async def seed_hours(db: Tx, q: Dialect, profile: RestaurantProfile) -> None:
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
    await db.executemany(q.INSERT_HOURS, rows)


async def ensure_vector_table(db: Tx, q: Dialect, embedder: EmbedderInfo) -> bool:
    """Create the vector table for this embedder; True when it is new (no stored vectors)."""
    rows = await db.fetch(
        "SELECT key, value FROM meta WHERE key IN ('embedder_name', 'embedder_dim')"
    )
    stored = {row["key"]: row["value"] for row in rows}
    exists = bool(await db.fetch(q.VECTOR_TABLE_EXISTS))
    same = stored == {"embedder_name": embedder.name, "embedder_dim": str(embedder.dim)}
    if same and exists:
        return False
    await db.execute(q.DROP_VECTOR_TABLE)
    await db.execute(q.create_vector_table(int(embedder.dim)))
    await db.executemany(
        q.UPSERT_META, [("embedder_name", embedder.name), ("embedder_dim", str(embedder.dim))]
    )
    if stored:
        q.log.info(
            "embedder changed to %s (%d); stored vectors dropped", embedder.name, embedder.dim
        )
    return True


async def seed_docs(
    db: Tx,
    q: Dialect,
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
    with_vector = {row["doc_id"] for row in await db.fetch(q.VECTOR_IDS)}
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
    removed = await db.fetch(q.DELETE_MISSING_DOCS, q.names([item.key for item in docs]))
    await q.forget_vectors(db, [row["id"] for row in removed])
    await db.executemany(
        q.UPSERT_DOC,
        [
            q.doc_params(item, fingerprint)
            for item, fingerprint in zip(docs, fingerprints, strict=True)
        ],
    )
    ids = {row["key"]: row["id"] for row in await db.fetch("SELECT id, key FROM knowledge_docs")}
    changed = [
        (ids[item.key], item.kind, vector)
        for item, vector in zip(docs, vectors, strict=True)
        if vector is not None
    ]
    await q.write_vectors(db, changed, fresh_vectors, dim)
    return len(removed)
