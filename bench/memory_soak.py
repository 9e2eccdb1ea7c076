"""Benchmark: memory across calls. Hundreds of whole calls through one `resvoice serve` app.

The server is the real one (rules brain, SQLite, transport, VoiceSession, transfers through the
real Twilio client to a local fake of its REST API), run in this process on uvicorn next to the
simulated callers, with voice providers that keep nothing (tests/server/call_mix.py). Calls come
in batches, one of each way a call ends in turn: the caller hanging up, a barge-in, a transfer
to a human, a broken websocket, a voice failing on every sentence.

Reported: the process's resident memory (RSS) and the Python heap that tracemalloc traces after
0, 100, ... calls (garbage collected first), the growth per call after the first 100 (the
warm-up: imports, SQLite's page cache, metric label sets), and the source lines whose heap grew
most over that stretch. A server that keeps nothing of its calls grows by ~0 KB per call.

Run: `python -m bench.memory_soak [--calls 500] [--batch 50] [--every 100]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import logging
import tempfile
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from resvoice.config import Settings
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.server.app import create_app
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.server.signature import SignatureCheck
from resvoice.server.transfer import TransferSettings, twilio_client
from resvoice.storage import open_storage
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest
from tests.server.call_mix import KINDS, CallMix, call_sid
from tests.server.conftest import ACCOUNT_SID, AGENT_NUMBER, AUTH_TOKEN, TWILIO_NUMBER
from tests.server.harness import Console

ROOT = Path(__file__).resolve().parents[1]
TOP_LINES = 8


def trim() -> None:
    """Hand the C heap's free pages back to the system (glibc), so RSS shows what is in use."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Checkpoint:
    calls: int
    rss_kb: int
    trimmed_kb: int  # RSS once free C-heap pages were given back
    heap_kb: int


def checkpoint(calls: int) -> Checkpoint:
    gc.collect()
    heap, _ = tracemalloc.get_traced_memory()
    rss = rss_kb()
    trim()
    return Checkpoint(calls, rss, rss_kb(), heap // 1024)


async def soak(db_url: str, calls: int, batch: int, every: int) -> list[Checkpoint]:
    runtime = await Runtime.open(Settings(), db_url)
    fake = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN)
    mix = CallMix()
    points: list[Checkpoint] = []
    # a snapshot is megabytes outside the traced heap: one is held from the first reading on
    warm: tracemalloc.Snapshot | None = None
    async with serving(fake.app()) as api:
        client = twilio_client(ACCOUNT_SID, AUTH_TOKEN, api)
        ctx = ServerContext(
            runtime=runtime,
            voice_factory=mix.voice,
            signatures=SignatureCheck(AUTH_TOKEN, None),
            console_auth=ConsoleAuth(token="soak"),
            transfer_settings=TransferSettings(
                agent_number=AGENT_NUMBER, caller_id=TWILIO_NUMBER, timeout_s=20
            ),
            twilio=client,
        )
        console = Console(ctx.hub)
        async with serving(create_app(ctx)) as base:
            points.append(checkpoint(0))
            done = 0
            while done < calls:
                sids = [
                    (KINDS[i % len(KINDS)], call_sid(KINDS[i % len(KINDS)], i))
                    for i in range(done, min(done + batch, calls))
                ]
                await asyncio.gather(*(mix.call(base, k, sid, console) for k, sid in sids))
                for _, sid in sids:  # the bench's own record of each call, not the server's
                    console.calls.pop(sid, None)
                    console.ended.pop(sid, None)
                console.escalations.clear()
                fake.updates.clear()  # the fake Twilio's record of each transfer
                done += len(sids)
                if done % every == 0 or done == calls:
                    if warm is None:  # before the reading, which then counts it like the rest
                        warm = tracemalloc.take_snapshot()
                    points.append(checkpoint(done))
            end = tracemalloc.take_snapshot()
        await client.http_client.close()
    await console.close()
    await runtime.close()
    if warm is not None and len(points) > 2:
        print_top_growth(warm, end, points[1].calls, points[-1].calls)
    return points


def print_top_growth(
    before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, start: int, end: int
) -> None:
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(ignore).compare_to(before.filter_traces(ignore), "lineno")
    grown = [stat for stat in stats if stat.size_diff > 0][:TOP_LINES]
    print(f"Python heap growth from call {start} to call {end}, largest first:")
    for stat in grown:
        frame = stat.traceback[0]
        where = f"{'/'.join(Path(frame.filename).parts[-2:])}:{frame.lineno}"
        print(
            f"  {stat.size_diff / 1024:+.1f} KB ({stat.size_diff / (end - start):+.0f} B/call) "
            f"in {stat.count_diff:+d} blocks at {where}"
        )
    print()


async def main(calls: int, batch: int, every: int) -> None:
    # the failing-voice calls log an error with a traceback per sentence: expected here
    logging.getLogger("resvoice").setLevel(logging.CRITICAL)
    logging.getLogger("asyncio").setLevel(logging.ERROR)  # writes to the broken sockets
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "soak.db"
        storage = await open_storage(f"sqlite:///{db}")
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
        await storage.close()
        tracemalloc.start()
        points = await soak(f"sqlite:///{db}", calls, batch, every)
    print(
        f"{calls} calls through one in-process server, {batch} at a time, one of each of "
        f"{len(KINDS)} endings ({', '.join(KINDS)}) in turn; garbage collected before each "
        "reading; tracemalloc on throughout"
    )
    print()
    print(
        "| measure | samples | RSS MiB | RSS after malloc_trim MiB | Python heap MiB "
        "| KB per call: RSS / trimmed / heap | target |"
    )
    print("|---|---|---|---|---|---|---|")
    for point in points:
        print(
            f"| memory after {point.calls} calls | {point.calls} | {point.rss_kb / 1024:.1f} "
            f"| {point.trimmed_kb / 1024:.1f} | {point.heap_kb / 1024:.1f} | - | - |"
        )
    warm, last = (points[1], points[-1]) if len(points) > 2 else (points[0], points[-1])
    span = max(1, last.calls - warm.calls)
    growth = [
        last.rss_kb - warm.rss_kb,
        last.trimmed_kb - warm.trimmed_kb,
        last.heap_kb - warm.heap_kb,
    ]
    mib = " | ".join(f"{kb / 1024:+.1f}" for kb in growth)
    per_call = " / ".join(f"{kb / span:+.1f}" for kb in growth)
    print(
        f"| growth, calls {warm.calls} to {last.calls} | {span} | {mib} | {per_call} "
        "| ~0 KB per call |",
        flush=True,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--batch", type=int, default=50, help="calls at once")
    parser.add_argument("--every", type=int, default=100, help="calls between readings")
    options = parser.parse_args()
    asyncio.run(main(options.calls, options.batch, options.every))
