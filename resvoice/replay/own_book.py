"""A replayed file as one phone call on the book as it stood before it (`replay --each-alone`,
and tests that run files in any order): what a file put on the book (its given reservations,
the bookings its call made) is taken off again when the file is done, so a later file never
finds a table taken by an earlier one. The calls themselves (sessions, transcripts, texts) are
kept for `resvoice stats` and `sessions`. By default `replay` runs files on one shared book,
as the transcript contract says: a booking one file makes takes that table for later files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from resvoice.storage.base import Storage

__all__ = ["own_book"]


@asynccontextmanager
async def own_book(storage: Storage) -> AsyncIterator[None]:
    """Run the body, then take off the book every reservation it added."""
    before = {r.id for r in await storage.all_reservations()}
    try:
        yield
    finally:
        added = [r.id for r in await storage.all_reservations() if r.id not in before]
        if added:
            await storage.forget_reservations(added)
