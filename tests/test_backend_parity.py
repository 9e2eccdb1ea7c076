"""SQLite and Postgres give identical results: every shipped call replayed on each backend
leaves the same replies, notepads, sessions, escalations and reservations, and retrieval ranks
the same documents for the same questions.

What may differ is left out on purpose: ids, timestamps, generated conversation ids and the
measured latencies.
"""

from __future__ import annotations

from typing import Any

from resvoice.config import Settings
from resvoice.replay.own_book import own_book
from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime
from tests.conftest import TRANSCRIPTS
from tests.databases import fresh_database

QUESTIONS = [
    "can I bring my dog",
    "what vegan dishes do you have",
    "is there parking nearby",
    "do you have gluten free pasta",
    "what is your cancellation policy",
    "how much is the tiramisu",
    "can we bring our own wine",
    "do you do birthday cakes",
]
_VOLATILE = {
    "id",
    "conversation_id",
    "created_at",
    "updated_at",
    "at",
    "ended_at",
    "code",
    "body",
}  # codes are random


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip(v)
            for k, v in value.items()
            if k not in _VOLATILE and not k.endswith("_ms") and k != "reservation_id"
        }
    if isinstance(value, list | tuple):
        return [_strip(v) for v in value]
    return value


async def _everything(runtime: Runtime) -> dict[str, Any]:
    replies = []
    storage = runtime.storage
    booked: list[Any] = []
    for path in TRANSCRIPTS:
        async with own_book(storage):  # each file on the book as it was, as `replay` runs it
            result = await replay_file(runtime, path)
            booked += [_strip(r.model_dump(mode="json")) for r in await storage.all_reservations()]
        replies.append(_strip(result.model_dump(exclude={"file", "reservation"})))
    retrieval = {
        question: [hit.doc.key for hit in await runtime.retriever.search(question, 5)]
        for question in QUESTIONS
    }
    return {
        "replays": replies,
        "sessions": [_strip(s.model_dump(mode="json")) for s in await storage.list_sessions()],
        "escalations": [_strip(e.model_dump(mode="json")) for e in await storage.escalations()],
        "reservations": booked,  # what each file left on the book before it was taken off
        "retrieval": retrieval,
    }


async def test_both_backends_give_identical_results(
    settings: Settings, seeded_url: str, postgres_server: str, seeded_postgres_template: str
) -> None:
    sqlite_runtime = await Runtime.open(settings, seeded_url)
    try:
        on_sqlite = await _everything(sqlite_runtime)
    finally:
        await sqlite_runtime.close()
    async with fresh_database(postgres_server, seeded_postgres_template) as url:
        pg_runtime = await Runtime.open(settings, url)
        try:
            on_postgres = await _everything(pg_runtime)
        finally:
            await pg_runtime.close()

    assert len(on_sqlite["sessions"]) == len(TRANSCRIPTS)
    assert on_sqlite["escalations"] and on_sqlite["reservations"]
    for part in on_sqlite:
        assert on_postgres[part] == on_sqlite[part], part
