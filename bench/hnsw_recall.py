"""Benchmark: Postgres HNSW recall@5 and latency against `hnsw.ef_search` and the graph's `m`.

Seeds `bench/storage.py`'s synthetic documents (20,000 by default, so `bench/run` stays short;
the README's figures are from `--size 100000`, whose seed takes minutes) into a fresh database,
then for each `m` rebuilds the index and, for each `ef_search`, measures recall@5 of the first
100 questions against an exact scan and top-5 p50/p95 over 400. It also prints how close
together the exact neighbours lie, which is what makes this data hard.
Postgres as in `bench/storage.py` (`RESVOICE_BENCH_DATABASE_URL` or pgserver).
Run: `python -m bench.hnsw_recall [--size 20000] [--m 16,32] [--ef 40,100,200,400,1000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import asyncpg
import numpy as np
from pgvector.asyncpg import register_vector

from bench.storage import (
    RECALL_QUERIES,
    postgres_database,
    postgres_server,
    seed_synthetic,
)
from resvoice.percentile import percentile
from resvoice.storage import open_storage
from resvoice.storage.postgres.knowledge import VECTOR_SEARCH

_NEIGHBOURS = "SELECT embedding <=> $1 AS d FROM knowledge_vectors ORDER BY d LIMIT 50"


async def seed(url: str, size: int) -> np.ndarray:
    """Seed `size` documents as `bench/storage.py` does; returns the questions' vectors."""
    storage = await open_storage(url)
    try:
        _, queries = await seed_synthetic(storage, size)
    finally:
        await storage.close()
    return queries


async def timed_top5(
    conn: asyncpg.Connection, queries: np.ndarray
) -> tuple[list[Any], list[float]]:
    found, millis = [], []
    for query in queries:
        started = time.perf_counter()
        rows = await conn.fetch(VECTOR_SEARCH, query, None, 5)
        millis.append((time.perf_counter() - started) * 1000)
        found.append({row["key"] for row in rows})
    return found, millis


async def sweep(url: str, queries: np.ndarray, size: int, ms: list[int], efs: list[int]) -> None:
    exact_conn = await asyncpg.connect(url)  # its own connection: no plan shared with HNSW's
    conn = await asyncpg.connect(url)
    try:
        for c in (exact_conn, conn):
            await register_vector(c)
        await exact_conn.execute("SET enable_indexscan = off")
        exact, exact_ms = await timed_top5(exact_conn, queries)
        near = [[r["d"] for r in await exact_conn.fetch(_NEIGHBOURS, q)] for q in queries[:100]]
        print(
            f"<!-- exact scan p50 {percentile(exact_ms, 50):.2f} / p95 "
            f"{percentile(exact_ms, 95):.2f} ms; cosine distance of the exact 5th neighbour "
            f"{percentile([d[4] for d in near], 50):.3f} (median), 50th "
            f"+{percentile([d[49] - d[4] for d in near], 50):.3f} further -->"
        )
        print("| measure | samples | p50 ms | p95 ms | recall@5 | index build s |")
        print("|---|---|---|---|---|---|")
        for m in ms:
            await conn.execute("DROP INDEX IF EXISTS knowledge_vectors_hnsw")
            await conn.execute("SET maintenance_work_mem = '512MB'")
            started = time.perf_counter()
            await conn.execute(
                "CREATE INDEX knowledge_vectors_hnsw ON knowledge_vectors "
                f"USING hnsw (embedding vector_cosine_ops) WITH (m = {int(m)})"
            )
            built = time.perf_counter() - started
            for ef in efs:
                await conn.execute(f"SET hnsw.ef_search = {int(ef)}")
                await timed_top5(conn, queries[:20])  # warm the graph's pages
                found, millis = await timed_top5(conn, queries)
                pairs = zip(found[:RECALL_QUERIES], exact[:RECALL_QUERIES], strict=True)
                recall = sum(len(a & b) for a, b in pairs) / (5 * RECALL_QUERIES)
                print(
                    f"| postgres vector top-5, HNSW m {m}, ef_search {ef}, {size:,} knowledge rows "
                    f"| {len(millis)} | {percentile(millis, 50):.2f} "
                    f"| {percentile(millis, 95):.2f} "
                    f"| {recall:.2f} | {built:.0f} |"
                )
    finally:
        await conn.close()
        await exact_conn.close()


async def main(size: int, ms: list[int], efs: list[int]) -> None:
    async with postgres_server() as server, postgres_database(server) as url:
        queries = await seed(url, size)
        await sweep(url, queries, size, ms, efs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--m", default="16,32")
    parser.add_argument("--ef", default="40,100,200,400,1000")
    args = parser.parse_args()
    asyncio.run(
        main(args.size, [int(m) for m in args.m.split(",")], [int(e) for e in args.ef.split(",")])
    )
