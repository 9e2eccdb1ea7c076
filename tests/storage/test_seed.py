"""Seeding: one transaction, idempotent, stable ids, and vectors never mixed across embedders."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.errors import StorageError
from resvoice.restaurant.documents import doc_fingerprint
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.records import EmbedderInfo

from .conftest import DIM, DOCS, EMBEDDER, TUESDAY, VECTORS, make_profile, one_hot, request


async def _snapshot(store: Storage) -> dict[str, object]:
    return {
        "profile": await store.load_profile(),
        "tables": await store.tables(),
        "fingerprints": await store.knowledge_fingerprints(),
        "embedder": await store.embedder_info(),
        "count": await store.knowledge_count(),
        "keyword": await store.keyword_search("pizza dogs parking", 10),
        "vector": [await store.vector_search(one_hot(i), 3) for i in range(len(DOCS))],
    }


async def test_seed_reports_and_stores_everything(
    storage: Storage, profile: RestaurantProfile
) -> None:
    summary = await storage.seed(profile, DOCS, VECTORS, EMBEDDER)

    assert (summary.tables, summary.documents, summary.embedded, summary.removed) == (11, 5, 5, 0)
    assert await storage.load_profile() == profile
    assert await storage.embedder_info() == EMBEDDER
    assert await storage.knowledge_count() == len(DOCS)
    tables = await storage.tables()
    assert [t.name for t in tables] == [f"T{n}" for n in range(1, 12)]
    assert [t.seats for t in tables] == [2] * 4 + [4] * 4 + [6] * 2 + [8]
    assert await storage.knowledge_fingerprints() == {d.key: doc_fingerprint(d) for d in DOCS}


async def test_seeding_twice_leaves_identical_data_and_ids(
    storage: Storage, profile: RestaurantProfile
) -> None:
    await storage.seed(profile, DOCS, VECTORS, EMBEDDER)
    first = await _snapshot(storage)

    again = await storage.seed(profile, DOCS, VECTORS, EMBEDDER)
    assert again.removed == 0
    assert await _snapshot(storage) == first

    # The seeder's fast path: nothing changed, so no vector is re-sent.
    kept = await storage.seed(profile, DOCS, [None] * len(DOCS), EMBEDDER)
    assert kept.embedded == 0
    assert await _snapshot(storage) == first


async def test_unchanged_vectors_are_kept_and_changed_ones_must_be_sent(
    seeded: Storage, profile: RestaurantProfile
) -> None:
    edited = DOCS[0].model_copy(update={"body": "Now with buffalo mozzarella."})
    docs = (edited, *DOCS[1:])

    with pytest.raises(StorageError, match="menu:margherita"):
        await seeded.seed(profile, docs, [None] * len(docs), EMBEDDER)
    assert (await seeded.knowledge_fingerprints())[edited.key] == doc_fingerprint(DOCS[0])

    summary = await seeded.seed(profile, docs, [one_hot(7), *([None] * 4)], EMBEDDER)
    assert summary.embedded == 1
    hits = await seeded.vector_search(one_hot(7), 1)
    assert hits[0].doc == edited
    assert (await seeded.vector_search(one_hot(2), 1))[0].doc.key == "policy:dogs"


async def test_documents_gone_from_the_file_are_removed(
    seeded: Storage, profile: RestaurantProfile
) -> None:
    summary = await seeded.seed(profile, DOCS[:3], [None] * 3, EMBEDDER)

    assert summary.removed == 2
    assert await seeded.knowledge_count() == 3
    assert set(await seeded.knowledge_fingerprints()) == {d.key for d in DOCS[:3]}
    assert await seeded.keyword_search("parking", 5) == []
    assert {h.doc.key for h in await seeded.vector_search(one_hot(4), 10)} == {
        d.key for d in DOCS[:3]
    }


async def test_switching_embedder_recreates_the_vector_table(
    seeded: Storage, profile: RestaurantProfile
) -> None:
    small = EmbedderInfo(name="tiny", dim=4)

    with pytest.raises(StorageError, match="no vector"):
        await seeded.seed(profile, DOCS, [None] * len(DOCS), small)
    assert await seeded.embedder_info() == EMBEDDER  # the failed seed rolled back

    vectors = [one_hot(i % 4, 4) for i in range(len(DOCS))]
    summary = await seeded.seed(profile, DOCS, vectors, small)

    assert summary.embedded == len(DOCS)
    assert await seeded.embedder_info() == small
    hits = await seeded.vector_search(one_hot(1, 4), 10)
    assert len(hits) == len(DOCS)
    assert hits[0].doc.key == "menu:tiramisu"
    with pytest.raises(StorageError, match="4"):
        await seeded.vector_search(one_hot(1, DIM), 3)


async def test_same_dim_but_new_embedder_name_also_drops_old_vectors(
    seeded: Storage, profile: RestaurantProfile
) -> None:
    other = EmbedderInfo(name="another-model", dim=DIM)
    await seeded.seed(profile, DOCS[:1], [one_hot(5)], other)

    assert await seeded.embedder_info() == other
    assert [h.doc.key for h in await seeded.vector_search(one_hot(0), 10)] == ["menu:margherita"]


async def test_bad_seed_input_is_rejected(storage: Storage, profile: RestaurantProfile) -> None:
    with pytest.raises(ValueError, match="vectors"):
        await storage.seed(profile, DOCS, VECTORS[:2], EMBEDDER)
    with pytest.raises(ValueError, match="dimensions"):
        await storage.seed(profile, DOCS[:1], [[1.0, 0.0]], EMBEDDER)
    with pytest.raises(ValueError, match="duplicate"):
        await storage.seed(profile, (DOCS[0], DOCS[0]), VECTORS[:2], EMBEDDER)
    assert await storage.load_profile() is None


async def test_reseed_keeps_table_ids_and_retires_booked_tables(
    seeded: Storage, profile: RestaurantProfile
) -> None:
    before = {t.name: t.id for t in await seeded.tables()}
    result = await seeded.book(request(party=8))
    assert result.reservation is not None and result.reservation.table.name == "T11"

    smaller = make_profile([{"seats": 2, "count": 4}, {"seats": 4, "count": 4}], max_party=4)
    await seeded.seed(smaller, DOCS, [None] * len(DOCS), EMBEDDER)

    after = await seeded.tables()
    assert [t.name for t in after] == [f"T{n}" for n in range(1, 9)]
    assert all(before[t.name] == t.id for t in after)
    kept = await seeded.reservation(result.reservation.id)
    assert kept is not None and kept.table.name == "T11"  # retired, not deleted
    assert await seeded.free_tables(TUESDAY, dt.time(12, 0), 90, 5) == []

    await seeded.seed(profile, DOCS, [None] * len(DOCS), EMBEDDER)  # T9..T11 come back
    again = await seeded.tables()
    assert len(again) == 11
    assert next(t for t in again if t.name == "T11").id == before["T11"]


async def test_seed_survives_reopen(database_url: str, profile: RestaurantProfile) -> None:
    store = await open_storage(database_url)
    await store.seed(profile, DOCS, VECTORS, EMBEDDER)
    await store.close()

    store = await open_storage(database_url)
    try:
        assert await store.load_profile() == profile
        assert (await store.vector_search(one_hot(3), 1))[0].doc.key == "policy:cancellation"
    finally:
        await store.close()
