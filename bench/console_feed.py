"""Benchmark: how soon an escalation made by one `serve` process reaches another's console.

Two `Storage` objects on one database stand for two server processes: one creates escalations,
the other runs the console's relay (`resvoice.server.board.relay_escalations`) into a hub,
as `serve` does. Measured: create committed -> update in the other process's console feed, and
the same for a status change (the writer claims the escalation), on SQLite (polled every 0.2 s)
and Postgres (LISTEN/NOTIFY), escalations spaced at random so the poll's phase is uniform.
Also counts winners of 20 concurrent claims of one escalation from both processes (must be 1).

Run: `python -m bench.console_feed [--samples 50] [--backends sqlite,postgres]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from bench.storage import postgres_database, postgres_server
from resvoice.percentile import percentile
from resvoice.server.board import StorageBoard, relay_escalations
from resvoice.server.hub import Hub, Subscription
from resvoice.storage import open_storage
from resvoice.storage.records import EscalationRecord


async def measure(url: str, samples: int) -> tuple[list[float], list[float], int]:
    writer, reader = await open_storage(url), await open_storage(url)
    hub = Hub()
    subscription = hub.subscribe()
    relay = asyncio.create_task(relay_escalations(StorageBoard(reader), hub))
    delays: list[float] = []
    changes: list[float] = []
    try:
        await asyncio.sleep(0.5)  # the relay has pinned its starting id and is listening
        for n in range(samples):
            await asyncio.sleep(random.uniform(0.05, 0.3))
            made = await writer.create_escalation(
                EscalationRecord(conversation_id=f"bench-{n}", reason="frustrated")
            )
            committed = time.perf_counter()
            await _until(subscription, made.id, "queued")
            delays.append((time.perf_counter() - committed) * 1000)
            await asyncio.sleep(random.uniform(0.05, 0.3))
            assert made.id is not None and await writer.claim_escalation("bench", made.id)
            committed = time.perf_counter()
            await _until(subscription, made.id, "claimed")
            changes.append((time.perf_counter() - committed) * 1000)
        target = await writer.create_escalation(
            EscalationRecord(conversation_id="race", reason="frustrated")
        )
        claims = await asyncio.gather(
            *(
                store.claim_escalation(f"agent-{i}-{n}", target.id)
                for n in range(10)
                for i, store in enumerate((writer, reader))
            )
        )
        winners = sum(claim is not None for claim in claims)
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await writer.close()
        await reader.close()
    return delays, changes, winners


async def _until(subscription: Subscription, escalation_id: int | None, status: str) -> None:
    while True:
        update = await asyncio.wait_for(subscription.get(), 30)
        if update is not None and (update.data["id"], update.data["status"]) == (
            escalation_id,
            status,
        ):
            return


async def main(samples: int, backends: list[str]) -> None:
    print("| measure | samples | p50 | p95 | p99 | note |")
    print("|---|---|---|---|---|---|")
    for backend in backends:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'b.db'}"
                delays, changes, winners = await measure(url, samples)
        else:
            async with postgres_server() as server, postgres_database(server) as url:
                delays, changes, winners = await measure(url, samples)
        for what, figures, note in (
            (
                "console feed across processes",
                delays,
                f"20 concurrent claims of one escalation: {winners} winner",
            ),
            ("status change across processes", changes, "a claim by the writer"),
        ):
            ordered = sorted(figures)
            p50, p95, p99 = (percentile(ordered, q) for q in (50, 95, 99))
            print(
                f"| {what}, {backend} (ms) | {len(ordered)} | {p50:.1f} | {p95:.1f} | "
                f"{p99:.1f} | {note} |"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    asyncio.run(main(args.samples, args.backends.split(",")))
