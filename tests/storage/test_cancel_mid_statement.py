"""A task cancelled in the middle of a SQLite statement never leaves the connection behind.

aiosqlite runs each statement on its connection's thread and posts the result back to the loop
that asked. If that task was cancelled and its loop closed before the statement ended, the post
would fail, the thread would die, and the next call on the connection (`close` included) would
wait forever: a server stopping with a poll in flight hung its runtime's teardown this way.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path

from resvoice.storage.sqlite.database import SQLiteDB

SLOW_QUERY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
    "SELECT count(*) FROM n"
)


async def test_a_statement_cancelled_on_a_closing_loop_leaves_the_connection_usable(
    tmp_path: Path,
) -> None:
    db = await SQLiteDB.open(tmp_path / "cancel.db")
    started = threading.Event()

    def other_loop() -> None:
        async def cancelled_mid_statement() -> None:
            query = asyncio.ensure_future(db.read(SLOW_QUERY))
            await asyncio.sleep(0.05)  # the statement is on the connection's thread now
            started.set()
            query.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await query

        asyncio.run(cancelled_mid_statement())  # the loop closes right after

    thread = threading.Thread(target=other_loop)
    thread.start()
    await asyncio.to_thread(thread.join)
    assert started.is_set()
    rows = await asyncio.wait_for(db.read("SELECT 41 + 1 AS n"), timeout=60)
    assert rows[0]["n"] == 42
    await asyncio.wait_for(db.close(), timeout=60)
