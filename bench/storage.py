"""Benchmark: storage backends side by side (SQLite + sqlite-vec, Postgres + pgvector HNSW).

For each backend and knowledge size (1,000 and 100,000 documents) it seeds the demo
restaurant's tables and that many synthetic documents (words drawn from the demo restaurant's
own menu and policies) embedded by the default hashing embedder (384-d), books 90 days of
reservations, then measures
`free_tables` (the availability query) and `vector_search` top-5 p50/p95, and booking
throughput with 50 concurrent writers (a pool of 50 connections on Postgres).

Postgres comes from `RESVOICE_BENCH_DATABASE_URL` (a server whose user may create databases)
or from `pgserver` (dev extra). The 100,000-row run takes minutes: it is a benchmark, not a test.
Run: `python -m bench.storage [--sizes 1000,100000] [--backends sqlite,postgres]`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from resvoice.percentile import percentile
from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.restaurant.loader import load_profile, profile_documents
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.records import EmbedderInfo, ReservationRequest

ROOT = Path(__file__).resolve().parents[1]
DIM = 384
DAYS = 90
BOOKINGS_PER_DAY = 30
WRITERS = 50
BOOKINGS_PER_WRITER = 20
SAMPLES = 400
RECALL_QUERIES = 100
START = dt.date(2031, 1, 6)  # a Monday, years ahead
TIMES = [dt.time(h, m) for h in range(17, 22) for m in (0, 15, 30, 45)]


def vocabulary(profile: RestaurantProfile) -> list[str]:
    text = " ".join(f"{d.title} {d.body}" for d in profile_documents(profile)).lower()
    return sorted({word for word in re.findall(r"[a-z]{3,}", text)})


def documents(count: int, words: list[str], rng: random.Random) -> list[KnowledgeDoc]:
    kinds = ("menu", "policy", "faq")
    return [
        KnowledgeDoc(
            key=f"bench:{n}",
            kind=kinds[n % 3],  # type: ignore[arg-type]
            title=" ".join(rng.sample(words, 3)),
            body=" ".join(rng.choices(words, k=25)),
            tags=tuple(rng.sample(words, 2)),
        )
        for n in range(count)
    ]


async def embed(embedder: HashingEmbedder, texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), 512):
        batch = await embedder.embed(texts[start : start + 512])
        out[start : start + len(batch)] = np.asarray(batch, dtype=np.float32)
    return out


def booking(rng: random.Random, day: dt.date, name: str) -> ReservationRequest:
    return ReservationRequest(
        conversation_id=None,
        name=name,
        phone="+15550100000",
        party_size=rng.randint(1, 8),
        date=day,
        time=rng.choice(TIMES),
        sitting_minutes=90,
    )


async def timed(samples: int, call: Callable[[int], Coroutine[Any, Any, object]]) -> list[float]:
    out = []
    for n in range(samples):
        started = time.perf_counter()
        await call(n)
        out.append((time.perf_counter() - started) * 1000)
    return out


Row = tuple[str, int, list[float], str]  # measure, knowledge rows, samples (ms), note


async def seed_synthetic(storage: Storage, size: int) -> tuple[random.Random, np.ndarray]:
    """Seed the demo restaurant with `size` synthetic documents; returns the random source (to
    go on with) and the embedded questions, the same for every run of one size."""
    rng = random.Random(size)
    profile = load_profile(ROOT / "fixtures/restaurant.yaml")
    words = vocabulary(profile)
    embedder = HashingEmbedder()
    docs = documents(size, words, rng)
    vectors = await embed(embedder, [f"{d.title}. {d.body} {' '.join(d.tags)}" for d in docs])
    questions = [" ".join(rng.sample(words, rng.randint(2, 6))) for _ in range(SAMPLES)]
    queries = await embed(embedder, questions)
    started = time.perf_counter()
    await storage.seed(
        profile, docs, list(vectors), EmbedderInfo(name=embedder.name, dim=embedder.dim)
    )
    print(f"<!-- {storage.backend} {size}: seeded in {time.perf_counter() - started:.0f} s -->")
    return rng, queries


async def measure(url: str, size: int) -> list[Row]:
    storage = await open_storage(url)
    try:
        rng, queries = await seed_synthetic(storage, size)
        for offset in range(DAYS):
            day = START + dt.timedelta(days=offset)
            for n in range(BOOKINGS_PER_DAY):
                await storage.book(booking(rng, day, f"Guest {n}"))

        async def availability(_: int) -> object:
            day = START + dt.timedelta(days=rng.randrange(DAYS))
            return await storage.free_tables(day, rng.choice(TIMES), 90, rng.randint(1, 8))

        async def vector(n: int) -> object:
            return await storage.vector_search(queries[n], 5)

        for _ in range(20):  # warm caches and the query plans
            await availability(0)
            await vector(0)
        rows: list[Row] = [
            ("availability (free_tables)", size, await timed(SAMPLES, availability), "-"),
            ("vector top-5", size, await timed(SAMPLES, vector), "-"),
        ]
        if storage.backend == "postgres":
            found = [
                {hit.doc.key for hit in await storage.vector_search(queries[n], 5)}
                for n in range(RECALL_QUERIES)
            ]
            exact = await exact_top5(url, queries[:RECALL_QUERIES])
            recall = sum(len(a & b) for a, b in zip(found, exact, strict=True)) / (
                5 * RECALL_QUERIES
            )
            rows[1] = (*rows[1][:3], f"{recall:.2f}")
        return rows
    finally:
        await storage.close()


async def exact_top5(url: str, queries: np.ndarray) -> list[set[str]]:
    """Top-5 keys by an exact scan (the HNSW index switched off), for the recall figure."""
    import asyncpg
    from pgvector.asyncpg import register_vector

    from resvoice.storage.postgres.knowledge import VECTOR_SEARCH

    conn = await asyncpg.connect(url)
    try:
        await register_vector(conn)
        await conn.execute("SET enable_indexscan = off")
        return [
            {row["key"] for row in await conn.fetch(VECTOR_SEARCH, query, None, 5)}
            for query in queries
        ]
    finally:
        await conn.close()


async def throughput(
    open_writer: Callable[[], Coroutine[Any, Any, Storage]],
) -> tuple[list[float], float]:
    """50 concurrent writers booking on fresh dates; returns (per-booking ms, bookings/s)."""
    storage = await open_writer()
    rng = random.Random(50)
    latencies: list[float] = []
    try:
        gate = asyncio.Event()

        async def writer(w: int) -> None:
            await gate.wait()
            for n in range(BOOKINGS_PER_WRITER):
                day = START + dt.timedelta(days=DAYS + rng.randrange(30))
                started = time.perf_counter()
                await storage.book(booking(rng, day, f"Writer {w}.{n}"))
                latencies.append((time.perf_counter() - started) * 1000)

        tasks = [asyncio.create_task(writer(w)) for w in range(WRITERS)]
        started = time.perf_counter()
        gate.set()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    finally:
        await storage.close()
    return latencies, len(latencies) / elapsed


@asynccontextmanager
async def postgres_server() -> AsyncIterator[str]:
    external = os.environ.get("RESVOICE_BENCH_DATABASE_URL")
    if external:
        yield external
        return
    import pgserver  # dev extra

    with tempfile.TemporaryDirectory(prefix="resvoice-bench-pg-") as pgdata:
        server = await asyncio.to_thread(pgserver.get_server, pgdata, cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            await asyncio.to_thread(server.cleanup)


@asynccontextmanager
async def postgres_database(server: str) -> AsyncIterator[str]:
    import asyncpg

    name = f"resvoice_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f"CREATE DATABASE {name}")
    await admin.close()
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        admin = await asyncpg.connect(server)
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()


async def main(sizes: list[int], backends: list[str]) -> None:
    rows: list[tuple[str, str, int, list[float], str]] = []
    rates: list[tuple[str, list[float], float]] = []
    with tempfile.TemporaryDirectory(prefix="resvoice-bench-") as tmp:
        if "sqlite" in backends:
            for size in sizes:
                url = f"sqlite:///{Path(tmp) / f'bench-{size}.db'}"
                rows += [("sqlite", *row) for row in await measure(url, size)]
                if size == sizes[0]:
                    rates.append(("sqlite", *await throughput(lambda u=url: open_storage(u))))
        if "postgres" in backends:
            from resvoice.storage.postgres import PostgresStorage

            async with postgres_server() as server:
                for size in sizes:
                    async with postgres_database(server) as url:
                        rows += [("postgres", *row) for row in await measure(url, size)]
                        if size == sizes[0]:
                            rates.append(
                                (
                                    "postgres",
                                    *await throughput(
                                        lambda u=url: PostgresStorage.open(u, pool_size=WRITERS)
                                    ),
                                )
                            )
    targets = {
        ("postgres", "availability (free_tables)", sizes[-1]): "< 5",
        ("postgres", "vector top-5", sizes[-1]): "< 10",
    }
    print(f"<!-- {DAYS} days x {BOOKINGS_PER_DAY} booking attempts; hashing embedder ({DIM}-d) -->")
    print("| measure | samples | p50 ms | p95 ms | target p95 | recall@5 | bookings/s |")
    print("|---|---|---|---|---|---|---|")
    for backend, label, size, values, note in rows:
        print(
            f"| {backend} {label}, {size:,} knowledge rows, {DAYS} days booked | {len(values)} | "
            f"{percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
            f"{targets.get((backend, label, size), '-')} | {note} | - |"
        )
    for backend, values, rate in rates:
        print(
            f"| {backend} booking under {WRITERS} concurrent writers | {len(values)} | "
            f"{percentile(values, 50):.2f} | {percentile(values, 95):.2f} | - | - | {rate:.0f} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    asyncio.run(
        main([int(s) for s in args.sizes.split(",")], [b.strip() for b in args.backends.split(",")])
    )
