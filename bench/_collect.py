"""Run every benchmark module in `bench/` and merge their figures into one markdown table.

Not a benchmark itself (the leading underscore keeps it out of the run). A benchmark module is
any `bench/<name>.py` runnable as `python -m bench.<name>` that prints a markdown table; its
rows are mapped onto the shared columns by header name (measure, samples, p50, p95, p99,
target) and any other column is kept as a note. The machine is described once, at the top.
Usage: `bench/run` (writes bench/results/latest.md) or `python -m bench._collect [--out FILE]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
COLUMNS = ("measure", "samples", "p50", "p95", "p99", "target")
_ALIASES = {
    "measure": "measure",
    "samples": "samples",
    "n": "samples",
    "p50": "p50",
    "p50 ms": "p50",
    "median": "p50",
    "p95": "p95",
    "p95 ms": "p95",
    "p99": "p99",
    "p99 ms": "p99",
    "target": "target",
    "target p95": "target",
}


def modules() -> list[str]:
    return sorted(p.stem for p in BENCH.glob("*.py") if not p.stem.startswith("_"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):  # other work on the machine skews the tail percentiles
        load = ", load average {:.1f} / {:.1f} / {:.1f} at start".format(*os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{load}"
    )


def parse_rows(output: str) -> list[dict[str, str]]:
    """Markdown table rows of a module's stdout, keyed by shared column (others as notes)."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in output.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        if header is None:
            header = [c.lower() for c in cells]
            continue
        row: dict[str, str] = {}
        notes: list[str] = []
        for name, value in zip(header, cells, strict=False):
            key = _ALIASES.get(name)
            if key is None:
                notes.append(f"{name}: {value}")
            else:
                row[key] = value
        row["notes"] = "; ".join(notes)
        rows.append(row)
    return rows


def run(module: str, extra: list[str]) -> tuple[list[dict[str, str]], str | None]:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *extra],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [], f"exit {done.returncode}: {tail}"
    rows = parse_rows(done.stdout)
    return rows, None if rows else "printed no table"


def report(results: list[tuple[str, list[dict[str, str]], str | None]]) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# resvoice benchmarks",
        "",
        f"Run {now} on {machine()}. Times in milliseconds; p50/p95/p99 are percentiles over",
        "the samples. Produced by `bench/run`; benchmarks are never tests.",
        "",
        "| benchmark | measure | samples | p50 | p95 | p99 | target | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for module, rows, problem in results:
        if problem is not None:
            lines.append(f"| {module} | (failed) | | | | | | {problem} |")
        for row in rows:
            cells = [row.get(c, "") for c in COLUMNS] + [row.get("notes", "")]
            lines.append(f"| {module} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "latest.md")
    parser.add_argument("--only", nargs="*", help="run only these modules")
    args = parser.parse_args()
    results = []
    for module in args.only or modules():
        print(f"running bench.{module} ...", file=sys.stderr, flush=True)
        rows, problem = run(module, [])
        results.append((module, rows, problem))
    text = report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 1 if any(problem for _, _, problem in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
