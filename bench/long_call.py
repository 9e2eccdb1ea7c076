"""Benchmark: one very long call, to show a turn costs the same at its end as at its start.

Rules brain, seeded SQLite (or `--db` any database), no network: one session takes `--turns`
caller turns (questions that never end the call); each turn's whole cost (brain, RAG, the save
of the session) is timed. Prints per-turn p50/p95/p99 in ms for the first and last 1,000 turns
and the ratio of their means; a save that rewrote the whole transcript made it grow with the
call (quadratic total).
Run: `python -m bench.long_call [--turns 5000] [--db URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import platform
import statistics
import tempfile
import time
from pathlib import Path

from resvoice.agent.clock import FixedClock
from resvoice.config import Settings
from resvoice.percentile import percentile
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "is there parking nearby",
    "can I bring my dog",
    "what vegan dishes do you have",
    "where are you located",
    "how much is the tiramisu",
    "do you have gluten free pasta",
]


async def long_call(db_url: str, turns: int) -> tuple[list[float], int]:
    """Per-turn milliseconds of one call of `turns` turns, and the lines it saved."""
    runtime = await Runtime.open(Settings(), db_url)
    clock = FixedClock.at(dt.datetime(2026, 2, 2, 15, 30), runtime.profile.restaurant.timezone)
    session = runtime.session(conversation_id="bench-long-call", clock=clock)
    samples: list[float] = []
    try:
        async for _ in session.start():
            pass
        for n in range(turns):
            started = time.perf_counter()
            async for _ in session.turn(QUESTIONS[n % len(QUESTIONS)]):
                pass
            samples.append((time.perf_counter() - started) * 1000)
        await session.end("bench finished")
        saved = await runtime.storage.load_session("bench-long-call")
        lines = len(saved.transcript) if saved else 0
    finally:
        await runtime.close()
    return samples, lines


async def main(turns: int, db_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'long.db'}"
        storage = await open_storage(url)
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
        await storage.close()
        samples, lines = await long_call(url, turns)
    window = min(1000, len(samples) // 2)
    first, last = samples[:window], samples[-window:]
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    total = sum(samples) / 1000
    print(f"one call of {turns} turns ({lines} transcript lines saved), total {total:.1f} s")
    print("| turns | p50 ms | p95 ms | p99 ms | mean ms |")
    print("|---|---|---|---|---|")
    for label, values in ((f"first {window}", first), (f"last {window}", last), ("all", samples)):
        print(
            f"| {label} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
            f"{percentile(values, 99):.2f} | {statistics.fmean(values):.2f} |"
        )
    print(
        f"ratio mean(last {window}) / mean(first {window}): "
        f"{statistics.fmean(last) / statistics.fmean(first):.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--db", default=None, help="A database URL (default: a temporary SQLite).")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.turns, arguments.db))
