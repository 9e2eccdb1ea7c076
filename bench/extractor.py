"""Benchmark: the slot extractor's time per caller turn (`language.slots`), on real turns.

Reads the SGD train/dev turns (`../shared/eval/sgd_restaurant_turns.jsonl`, or `--file`) and
times `extract_slots` on each, as `resvoice eval dialogues` calls it. Prints p50/p95/p99 in
milliseconds and the share of turns under 1 ms.
Run: `python -m bench.extractor [--file FILE] [--limit N]`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from resvoice.insights.dialogues import EVAL_TODAY, load_turns
from resvoice.language.slots import extract_slots
from resvoice.percentile import percentile

ROOT = Path(__file__).resolve().parents[1]
_NAME = "shared/eval/sgd_restaurant_turns.jsonl"
# ../shared from the main checkout, ../../shared from a worktree under wt/
DEFAULT = next((p / _NAME for p in (ROOT.parent, ROOT.parent.parent) if (p / _NAME).exists()), ROOT)
FALLBACK = ROOT / "tests" / "insights" / "dialogues_fixture.jsonl"


def main(path: Path, limit: int | None) -> None:
    source = path if path.exists() else FALLBACK
    turns = load_turns(source, limit)
    samples: list[float] = []
    for turn in turns:
        started = time.perf_counter()
        extract_slots(
            turn.text, today=EVAL_TODAY, system_before=turn.system_before or None,
            evening_bias=False,
        )  # fmt: skip
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    under = sum(s < 1.0 for s in samples) / len(samples)
    print("| measure | samples | p50 ms | p95 ms | p99 ms | turns under 1 ms |")
    print("|---|---|---|---|---|---|")
    print(
        f"| rules extractor per caller turn ({source.name}) | {len(samples)} "
        f"| {percentile(samples, 50):.3f} | {percentile(samples, 95):.3f} "
        f"| {percentile(samples, 99):.3f} | {under * 100:.1f}% |"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    main(args.file, args.limit)
