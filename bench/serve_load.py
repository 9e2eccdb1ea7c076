"""Benchmark: N concurrent phone calls against one `resvoice serve` process.

Each simulated call is a Twilio peer (tests/fakes/twilio_peer.py): signed webhook, media
websocket, 20 ms mu-law frames sent in real time for the whole call (speech for each booking
line, silence between, as Twilio does), agent audio played back with mark echoes. The server is
the real one (real rules brain, SQLite, transport, VoiceSession) with voice providers faked at
realistic latencies: final transcript 300 ms after the caller stops, first TTS audio 150 ms
after a sentence is asked for.

Reported per N: inbound frame handling time (read off the socket -> resampled and handed to
STT) p50/p99, inbound frame lag (read later than its own timestamp says, p99: event-loop delay
plus the client's own lateness), the client's send lateness p99 (is the load generator keeping
up?), outbound late frames (ready in time but sent after the caller's buffer ran dry) and
dropped frames (sent by the caller, never handled).

The load generator sends every call's frames from one clock with the calls' 20 ms phases spread
evenly and each call's script started at its own point of one 5 s line period (independent
phone calls neither arrive nor speak in step; `--in-step` has every caller speak at once, the
worst burst of turns) and its messages built beforehand, so it
keeps up at 200 calls; it runs on uvloop where installed, as the server does, and its own CPU
per call-second is printed beside the server's (the two share the machine's cores). Each row
ends with the machine's load average when it was taken and the host's speed just before
(`bench._machine.host_speed_ms`: CPU figures scale with it).

Run: `python -m bench.serve_load [--calls 10 50 100 200] [--seconds 20]`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import heapq
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench._machine import host_speed_ms, load_average
from resvoice.audio.codec import pcm16_to_mulaw
from resvoice.percentile import percentile
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from tests.fakes.fake_serve import AUTH_TOKEN, SCRIPT
from tests.fakes.twilio_peer import FRAME_BYTES, SILENCE_FRAME, TwilioPeer
from tests.server.harness import speech

ROOT = Path(__file__).resolve().parents[1]
LINE_EVERY_S = 5.0  # a caller line every 5 s after a 3 s greeting
SERVER_ARGS: list[str] = []  # extra fake_serve options (--server-arg)
TARGETS = {
    100: "p99 < 20, 0 late",
    200: "lag p99 < 40, 0 late, <= 4 CPU ms per call-s",
}


def _or_nan(values: list[float], q: float) -> float:
    """The percentile, or NaN for a run that recorded nothing (the table still prints)."""
    return percentile(values, q) if values else float("nan")


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop where installed (the generator keeps up with less CPU), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def spoken_lines() -> list[list[bytes]]:
    """The script's lines as 20 ms mu-law frames."""
    lines = []
    for line in SCRIPT:
        ulaw = pcm16_to_mulaw(await speech(line))
        lines.append(
            [
                ulaw[i : i + FRAME_BYTES].ljust(FRAME_BYTES, b"\xff")
                for i in range(0, len(ulaw), FRAME_BYTES)
            ]
        )
    return lines


def call_frames(lines: list[list[bytes]], seconds: float, offset_s: float = 0.0) -> list[bytes]:
    """One call's inbound audio, 20 ms mu-law frames: silence with the booking lines spoken,
    the first `offset_s` after the 3 s greeting."""
    frames = [SILENCE_FRAME] * int(seconds * 50)
    for index, spoken in enumerate(lines):
        at = int((3.0 + offset_s + index * LINE_EVERY_S) * 50)
        if at < len(frames):
            frames[at : at + len(spoken)] = spoken[: len(frames) - at]
    return frames


def media_texts(peer: TwilioPeer, frames: list[bytes]) -> list[bytes]:
    """The call's media messages as websocket frames, built before the clock starts (the
    generator stays light: no JSON, base64, framing or masking while it sends)."""
    texts = []
    for number, frame in enumerate(frames, start=1):
        media = {
            "track": "inbound",
            "chunk": str(number),
            "timestamp": str(number * 20),
            "payload": base64.b64encode(frame).decode(),
        }
        text = json.dumps({"event": "media", "media": media, "streamSid": peer.stream_sid})
        texts.append(TwilioPeer.wire_text(text))
    return texts


async def send_calls(
    peers: list[TwilioPeer], frames: list[list[bytes]], lateness: list[float]
) -> int:
    """Every call's frames in real time from one clock, the calls' 20 ms phases spread evenly
    (as independent phone calls are), each frame sent when due; the frames sent."""
    texts = [media_texts(peer, f) for peer, f in zip(peers, frames, strict=True)]
    # the prebuilt frames live to the end: kept out of the collector's scans, so a full
    # collection in the generator does not pause its clock for tens of milliseconds
    gc.collect()
    gc.freeze()
    start = time.monotonic() + 0.1
    # (due time, call): the next frame of every call, earliest first; a wake-up sends all due
    queue = [(start + index * 0.02 / len(peers), index) for index in range(len(peers))]
    heapq.heapify(queue)
    sent = [0] * len(peers)
    while queue:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            due, index = heapq.heappop(queue)
            lateness.append(now - due)
            if not peers[index].write_wire(texts[index][sent[index]]):
                continue  # the call is closing: none of its frames are due any more
            sent[index] += 1
            if sent[index] < len(texts[index]):
                heapq.heappush(queue, (due + 0.02, index))
        if queue:
            # the loop's timers count whole milliseconds: a shorter sleep returns at once and
            # the generator would spin, taking a core from the server it measures
            delay = queue[0][0] - time.monotonic()
            await asyncio.sleep(max(delay, 0.001) if delay > 0 else 0)
    gc.unfreeze()
    return sum(sent)


async def run_load(
    db_url: str,
    calls: int,
    seconds: float,
    workdir: Path,
    profile: Path | None = None,
    *,
    in_step: bool = False,
) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    samples_path = workdir / f"samples-{calls}.json"
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    process = await asyncio.create_subprocess_exec(
        sys.executable, *profiler, "-m", "tests.fakes.fake_serve",
        "--db", db_url, "--port", str(port),
        "--stt-latency", "0.3", "--tts-latency", "0.15", "--tts-ms", "1500",
        "--samples", str(samples_path), *SERVER_ARGS,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=base) as client, asyncio.timeout(60):
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        lines = await spoken_lines()
        lateness: list[float] = []
        results = await asyncio.gather(
            *(
                TwilioPeer.call(base, call_sid=f"CA{i:032d}", auth_token=AUTH_TOKEN)
                for i in range(calls)
            ),
            return_exceptions=True,
        )
        peers = [r for r in results if isinstance(r, TwilioPeer)]
        failed = [r for r in results if isinstance(r, BaseException)]
        cpu_before = time.process_time()
        # independent calls speak when they speak: each call's script starts at its own point
        # of one line period; --in-step has every caller speak at once (the worst burst)
        offsets = [0.0 if in_step else LINE_EVERY_S * i / len(peers) for i in range(len(peers))]
        frames = [call_frames(lines, seconds, offset) for offset in offsets]
        sent = await send_calls(peers, frames, lateness)
        generator_cpu = time.process_time() - cpu_before
        await asyncio.gather(*(peer.hang_up() for peer in peers), return_exceptions=True)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    data = json.loads(samples_path.read_text())
    handling = [s * 1000 for s in data["frame_seconds"]]
    lag = [s * 1000 for s in data["frame_lag_seconds"]]
    return {
        "calls": calls,
        "failed": len(failed),
        "frames": len(handling),
        "handle_p50": _or_nan(handling, 50),
        "handle_p99": _or_nan(handling, 99),
        "lag_p99": _or_nan(lag, 99),
        "client_p99": _or_nan([x * 1000 for x in lateness], 99),
        "late": data["late_frames"],
        "gc_max_ms": max((p * 1000 for _, p in data.get("gc_pauses", [])), default=0.0),
        "gc_total_ms": data.get("gc_total", 0) * 1000,
        "gc_full": sum(1 for g, _ in data.get("gc_pauses", []) if g == 2),
        "out_frames": data["frames_sent"],
        "dropped": max(0, sent - len(handling)),
        # server CPU per second of one call: load-independent, so capacity = 1 / this per core
        "cpu_ms_per_call_s": data["cpu_seconds"] * 1000 / (calls * seconds),
        "generator_cpu_ms_per_call_s": generator_cpu * 1000 / (calls * seconds),
    }


async def main(
    counts: list[int], seconds: float, profile: Path | None = None, *, in_step: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        template = workdir / "seeded.db"
        storage = await open_storage(f"sqlite:///{template}")
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
        await storage.close()
        print(
            f"{seconds:.0f} s calls, caller frames in real time; STT final +300 ms, "
            "first TTS audio +150 ms; one server process; "
            + ("every caller speaks at once (--in-step)" if in_step else "callers' lines staggered")
        )
        print()
        print(
            "| measure | samples | p50 ms | p99 ms | target | inbound lag p99 ms "
            "| caller send lateness p99 ms | agent frames | late frames | dropped | failed calls "
            "| server CPU ms per call-second | generator CPU ms per call-second "
            "| server GC: longest pause ms, full collections, total ms | load average, host speed |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for calls in counts:
            db = workdir / f"load-{calls}.db"
            shutil.copy(template, db)
            speed = host_speed_ms()  # the host's pace at this moment (a shared host varies)
            row = await run_load(
                f"sqlite:///{db}", calls, seconds, workdir, profile, in_step=in_step
            )
            target = TARGETS.get(calls, "-")
            print(
                f"| inbound frame handling, {calls} calls | {row['frames']} "
                f"| {row['handle_p50']:.2f} | {row['handle_p99']:.2f} | {target} "
                f"| {row['lag_p99']:.1f} | {row['client_p99']:.1f} | {row['out_frames']:.0f} "
                f"| {row['late']:.0f} | {row['dropped']:.0f} | {row['failed']} "
                f"| {row['cpu_ms_per_call_s']:.2f} | {row['generator_cpu_ms_per_call_s']:.2f} "
                f"| {row['gc_max_ms']:.1f}, {row['gc_full']:.0f}, total {row['gc_total_ms']:.0f} "
                f"| {load_average()}, host {speed:.0f} ms |",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, nargs="+", default=[10, 50, 100, 200])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--profile", type=Path, help="run the server under cProfile, to FILE")
    parser.add_argument("--server-arg", action="append", default=[], help="passed to the server")
    parser.add_argument(
        "--in-step", action="store_true", help="every caller speaks its lines at the same moment"
    )
    options = parser.parse_args()
    SERVER_ARGS.extend(options.server_arg)
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(main(options.calls, options.seconds, options.profile, in_step=options.in_step))
