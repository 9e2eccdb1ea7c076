"""Every shipped transcript passes, run in order against one database as `resvoice replay` does
(each file on the book as it stood before it).

Runs once per storage backend (SQLite and Postgres) with identical expectations.
"""

from __future__ import annotations

from resvoice.replay.own_book import own_book
from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime
from tests.conftest import TRANSCRIPTS


def test_at_least_25_transcripts_ship() -> None:
    assert len(TRANSCRIPTS) >= 25


async def test_shipped_transcripts_all_pass(any_runtime: Runtime, backend: str) -> None:
    runtime = any_runtime
    assert runtime.storage.backend == backend
    failures: list[str] = []
    for path in TRANSCRIPTS:
        async with own_book(runtime.storage):  # each file on the book as it was, as the CLI runs
            result = await replay_file(runtime, path)
        assert not result.unreadable, result.failures
        failures += [f"{path.name}: {f}" for f in result.failures]
    assert failures == []
