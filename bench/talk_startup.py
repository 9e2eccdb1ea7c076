"""Benchmark: how long `resvoice talk --text` takes to become interactive, as a user sees it.

Starts the real command in a pseudo-terminal on a seeded SQLite file, times from launch until
the greeting is on screen (the app is taking keys by then), then quits with ctrl+q and checks
the call was saved. Prints p50/p95 in milliseconds.
Run: `python -m bench.talk_startup [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from resvoice.percentile import percentile
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage

ROOT = Path(__file__).resolve().parents[1]
READY = b"Ember"  # the greeting names the restaurant, Olive & Ember


async def seed(path: Path) -> None:
    storage = await open_storage(f"sqlite:///{path}")
    try:
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
    finally:
        await storage.close()


def one_start(db: Path, resvoice: str) -> tuple[float, float, float]:
    """Milliseconds from exec to the greeting on screen; the CPU milliseconds the process had
    used by then; and those of the whole run (start, greeting, quit). CPU time does not grow
    when other work keeps the machine busy, so it is the figure to compare across runs."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DEEPGRAM"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [resvoice, "talk", "--text", "--db", f"sqlite:///{db}"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    elapsed = at_greeting = float("nan")
    try:
        while proc.poll() is None and time.perf_counter() - started < 30:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                seen += os.read(leader, 65536)
                if READY in seen:
                    elapsed = (time.perf_counter() - started) * 1000
                    at_greeting = cpu_ms(proc.pid)
                    break
        os.write(leader, b"\x11")  # ctrl+q
        while True:
            if select.select([leader], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):
                    os.read(leader, 65536)
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > 40:
                proc.kill()
    finally:
        os.close(leader)
    if elapsed != elapsed:
        raise SystemExit(f"the app never showed its greeting; output: {seen[-400:]!r}")
    return elapsed, at_greeting, (usage.ru_utime + usage.ru_stime) * 1000


def cpu_ms(pid: int) -> float:
    """CPU time (user + sys) a running process has used so far, from /proc (Linux only)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    resvoice = shutil.which("resvoice", path=str(Path(sys.executable).parent)) or "resvoice"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "talk.db"
        asyncio.run(seed(db))
        one_start(db, resvoice)  # warm the OS file cache, as a second launch would be
        runs = [one_start(db, resvoice) for _ in range(args.rounds)]
    wall, ready, cpu = ([r[i] for r in runs] for i in range(3))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print()
    print("| measure | samples | p50 ms | p95 ms | mean ms | target |")
    print("|---|---|---|---|---|---|")
    print(
        f"| `resvoice talk --text`: launch to greeting on screen (wall) | {len(wall)} | "
        f"{percentile(wall, 50):.0f} | {percentile(wall, 95):.0f} | "
        f"{statistics.mean(wall):.0f} | < 1000 |"
    )
    print(
        f"| the same, CPU time (user + sys) used by the greeting | {len(ready)} | "
        f"{percentile(ready, 50):.0f} | {percentile(ready, 95):.0f} | "
        f"{statistics.mean(ready):.0f} | < 1000 |"
    )
    print(
        f"| the same run, start to exit (CPU time, user + sys) | {len(cpu)} | "
        f"{percentile(cpu, 50):.0f} | {percentile(cpu, 95):.0f} | "
        f"{statistics.mean(cpu):.0f} | - |"
    )


if __name__ == "__main__":
    main()
