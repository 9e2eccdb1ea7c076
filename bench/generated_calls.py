"""Benchmark: 2,000 generated booking calls (bench/callgen.py) run by `resvoice replay`.

Writes the calls as transcript files into a scratch directory, seeds a scratch SQLite
database, runs `python -m resvoice.cli replay --json` over them in one process (as a user
would), and prints the share of calls passing, overall and by kind (each slot's form, the
call's flow, the correction made).
Run: `python -m bench.generated_calls [--calls 2000] [--seed 22] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

from bench.callgen import build_call, call_document

ROOT = Path(__file__).resolve().parents[1]


def main(calls: int, seed: int, keep: Path | None) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or Path(scratch) / "calls"
        folder.mkdir(parents=True, exist_ok=True)
        kinds: dict[str, dict[str, str]] = {}
        for index in range(calls):
            call = build_call(random.Random(seed * 100_003 + index).choice, index)
            path = folder / f"call_{index:04d}.yaml"
            path.write_text(yaml.safe_dump(call_document(call), sort_keys=False))
            kinds[call.name] = call.kinds
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(scratch) / 'bench.db'}"}
        cli = [sys.executable, "-m", "resvoice.cli"]
        subprocess.run([*cli, "seed"], env=env, cwd=ROOT, check=True, capture_output=True)
        done = subprocess.run(
            [*cli, "replay", "--json", *sorted(str(p) for p in folder.glob("*.yaml"))],
            env=env, cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    passed = sum(r["passed"] for r in results)
    print(f"| generated calls (seed {seed}) | calls | passed | share |")
    print("|---|---|---|---|")
    print(f"| all | {len(results)} | {passed} | {passed / max(len(results), 1):.1%} |")
    by_kind: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for result in results:
        for slot, form in kinds[result["name"]].items():
            by_kind[(slot, form)].append(bool(result["passed"]))
    for (slot, form), outcomes in sorted(by_kind.items()):
        share = sum(outcomes) / len(outcomes)
        print(f"| {slot}: {form} | {len(outcomes)} | {sum(outcomes)} | {share:.1%} |")
    failing = [r for r in results if not r["passed"]][:5]
    for result in failing:
        print(f"\nFAIL {result['name']}: {'; '.join(result['failures'][:3])}")
    return 0 if results else 2


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument(
        "--keep", type=Path, default=None, help="write the calls here and keep them"
    )
    args = parser.parse_args()
    raise SystemExit(main(args.calls, args.seed, args.keep))
