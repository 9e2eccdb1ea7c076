"""Benchmark: the core agent's own per-turn processing time and RAG retrieval latency.

Rules brain, seeded SQLite, no network. Prints p50/p95 in milliseconds.
Run: `python -m bench.core_agent [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import tempfile
import time
from pathlib import Path

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import TurnCompleted
from resvoice.config import Settings
from resvoice.percentile import percentile
from resvoice.replay.format import load_transcript
from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.restaurant.loader import load_profile, profile_documents
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.retrieval.hybrid import HybridRetriever
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from resvoice.storage.records import EmbedderInfo

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "can I bring my dog",
    "what vegan dishes do you have",
    "is there parking nearby",
    "do you have gluten free pasta",
    "what is your cancellation policy",
    "where are you located",
    "how much is the tiramisu",
    "can we bring our own wine",
]


async def turn_latency(db_url: str, rounds: int) -> list[float]:
    runtime = await Runtime.open(Settings(), db_url)
    samples: list[float] = []
    try:
        for _ in range(rounds):
            for path in sorted((ROOT / "fixtures/transcripts").glob("*.yaml")):
                transcript = load_transcript(path)
                clock = (
                    FixedClock.at(transcript.today, runtime.profile.restaurant.timezone)
                    if transcript.today
                    else None
                )
                session = runtime.session(clock=clock, caller_id=transcript.caller)
                for turn in transcript.turns:
                    stream = (
                        session.dtmf(turn.dtmf)
                        if turn.dtmf is not None
                        else session.turn(turn.user or "")
                    )
                    async for event in stream:
                        if isinstance(event, TurnCompleted):
                            samples.append(event.latency_ms)
    finally:
        await runtime.close()
    return samples


async def retrieval_latency(workdir: Path, documents: int, rounds: int) -> tuple[int, list[float]]:
    storage = await open_storage(f"sqlite:///{workdir / 'rag.db'}")
    embedder = HashingEmbedder()
    profile = load_profile(ROOT / "fixtures/restaurant.yaml")
    docs = profile_documents(profile)
    filler = [
        KnowledgeDoc(
            key=f"menu:filler-{i}",
            kind="menu",
            title=f"Chef's plate number {i}",
            body=f"A seasonal plate {i} with {['lamb', 'squash', 'trout', 'farro'][i % 4]} "
            f"and {['herbs', 'citrus', 'chili', 'garlic'][i % 3]}, {10 + i % 30} dollars.",
            tags=("vegan",) if i % 7 == 0 else (),
        )
        for i in range(max(0, documents - len(docs)))
    ]
    docs = docs + filler
    vectors = await embedder.embed([f"{d.title}. {d.body}" for d in docs])
    await storage.seed(profile, docs, vectors, EmbedderInfo(name=embedder.name, dim=embedder.dim))
    retriever = HybridRetriever(storage, embedder)
    samples: list[float] = []
    try:
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                await retriever.search(query, limit=5)
                samples.append((time.perf_counter() - started) * 1000)
        count = await storage.knowledge_count()
    finally:
        await storage.close()
    return count, samples


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db_url = f"sqlite:///{workdir / 'agent.db'}"
        storage = await open_storage(db_url)
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
        await storage.close()
        turns = await turn_latency(db_url, rounds)
        count, rag = await retrieval_latency(workdir, 1000, rounds * 10)
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    rows = [
        ("agent turn (rules brain, SQLite)", turns, "< 10"),
        (f"hybrid retrieval, {count} docs", rag, "< 5"),
    ]
    print("| measure | samples | p50 ms | p95 ms | target p95 |")
    print("|---|---|---|---|---|")
    for label, values, target in rows:
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"| {label} | {len(values)} | {p50:.2f} | {p95:.2f} | {target} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
