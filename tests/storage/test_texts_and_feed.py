"""Texts to guests in storage, and the feed of reservation changes across connections.

Every test runs on SQLite and Postgres (the `seeded` fixture is parametrised over both).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.export import export_lines, import_lines, parse_lines
from resvoice.storage.records import ReservationEdit, TextMessage

from .conftest import DOCS, EMBEDDER, VECTORS, request


async def test_a_text_is_stored_then_its_outcome_recorded(seeded: Storage) -> None:
    queued = await seeded.add_text(
        TextMessage(conversation_id="call-1", to="+15550101", body="Booked: table for 2.")
    )
    assert queued.id is not None and queued.status == "queued" and queued.created_at
    staff = await seeded.add_text(
        TextMessage(reservation_id=7, to="+15550102", body="Cancelled.", status="skipped")
    )
    sent = await seeded.update_text(queued.id, "sent", provider_id="SM123", attempts=1)
    assert sent is not None and (sent.status, sent.provider_id, sent.attempts) == (
        "sent",
        "SM123",
        1,
    )
    assert await seeded.update_text(9999, "failed", error="x") is None
    assert [t.id for t in await seeded.texts()] == [queued.id, staff.id]
    assert [t.body for t in await seeded.texts(conversation_id="call-1")] == [
        "Booked: table for 2."
    ]
    assert [t.to for t in await seeded.texts(reservation_id=7)] == ["+15550102"]
    assert await seeded.texts(conversation_id="call-2") == []


async def test_bookings_and_changes_of_another_connection_reach_the_feed(
    two: tuple[Storage, Storage], profile: RestaurantProfile
) -> None:
    """A second storage on the same database (another process, as far as it knows) books,
    changes and cancels; the first one's feed names the reservation each time."""
    one, other = two
    await one.seed(profile, DOCS, VECTORS, EMBEDDER)
    seen: asyncio.Queue[int] = asyncio.Queue()

    async def follow() -> None:
        async for reservation_id in one.watch_reservations():
            seen.put_nowait(reservation_id)

    task = asyncio.create_task(follow())
    try:
        probe = await _until_listening(other, seen)
        booked = (await other.book(request(party=4))).reservation
        assert booked is not None
        assert await _next(seen, probe) == booked.id
        await other.change_reservation(
            booked.id, ReservationEdit(special_requests="window seat"), sitting_minutes=90
        )
        assert await _next(seen, probe) == booked.id
        await other.cancel_reservation(booked.id, by="staff")
        assert await _next(seen, probe) == booked.id
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _until_listening(store: Storage, seen: asyncio.Queue[int]) -> int:
    """Note a probe booking again and again until the feed names it: it is listening then."""
    probe = (await store.book(request(name="Probe", party=2))).reservation
    assert probe is not None
    for attempt in range(50):
        edit = ReservationEdit(special_requests=f"probe {attempt}")
        await store.change_reservation(probe.id, edit, sitting_minutes=90)
        try:
            assert await asyncio.wait_for(seen.get(), 0.5) == probe.id
            break
        except TimeoutError:
            continue
    return probe.id


async def _next(seen: asyncio.Queue[int], probe: int) -> int:
    """The next reservation the feed names, past late echoes of the probe."""
    while (reservation_id := await asyncio.wait_for(seen.get(), 10)) == probe:
        continue
    return reservation_id


async def test_texts_survive_an_export_and_import(seeded: Storage, tmp_path: Path) -> None:
    booked = (await seeded.book(request())).reservation
    assert booked is not None
    sent = await seeded.add_text(
        TextMessage(reservation_id=booked.id, to="+15550101", body="Cancelled.", status="sent")
    )
    await seeded.update_text(sent.id or 0, "sent", provider_id="SM9", attempts=2)
    await seeded.add_text(
        TextMessage(conversation_id="call-1", to="555", body="x", status="skipped")
    )
    lines = [line async for line in export_lines(seeded)]
    target = await open_storage(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        summary = await import_lines(target, parse_lines(lines, "export"))
        copied = await target.texts()
        [reservation] = await target.all_reservations()
    finally:
        await target.close()
    assert summary.texts == 2
    first, second = copied
    assert (first.reservation_id, first.status, first.provider_id, first.attempts) == (
        reservation.id, "sent", "SM9", 2,
    )  # fmt: skip
    assert (second.conversation_id, second.status, second.to) == ("call-1", "skipped", "555")
