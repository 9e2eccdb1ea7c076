"""What the machine was doing while a benchmark ran, printed beside its figures: the load
average (other work skews the tail percentiles) and the host's speed on a fixed pure-Python
workload (CPU figures such as ms per call-second scale with it, so runs on different hosts, or
on one shared host at different moments, can be compared)."""

from __future__ import annotations

import os
import time

__all__ = ["host_speed_ms", "load_average"]


def load_average() -> str:
    """The 1-minute load average and the core count."""
    one, _, _ = os.getloadavg()
    return f"load {one:.2f}/{os.cpu_count()} cores"


def host_speed_ms(rounds: int = 3) -> float:
    """CPU milliseconds for a fixed pure-Python workload (dict and string work, as the frame
    path does), best of `rounds`: lower is a faster host."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        table: dict[str, int] = {}
        for number in range(300_000):
            key = f"k{number % 1000}"
            table[key] = table.get(key, 0) + number
        best = min(best, time.process_time() - started)
    return best * 1000
