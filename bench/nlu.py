"""Benchmark: how well the rules brain understands callers it was not written around.

- the extractor on the SGD test split (report only; the floor is 0.97 P and R per slot), on
  the SGD train+dev split and on SNIPS BookRestaurant (development corpora), per slot;
- names read from SNIPS utterances, none of which gives one (false positives), read as the
  brain reads a booking turn (the name still missing);
- the generated calls of `bench.generated_calls`, share passing overall and by kind.

Run: `python -m bench.nlu [--calls 2000]`; prints markdown (bench/results/nlu.md holds a run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
from pathlib import Path

from bench import generated_calls
from resvoice.insights.dialogues import EVAL_TODAY, SLOTS, evaluate, extractor_for, load_turns
from resvoice.language.slots import extract_slots

ROOT = Path(__file__).resolve().parents[1]
_SHARED = next(
    (p / "shared/eval" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared/eval").exists()),
    ROOT / "shared/eval",
)
CORPORA = {
    "SGD test (report only)": _SHARED / "sgd_restaurant_test_turns.jsonl",
    "SGD train+dev": _SHARED / "sgd_restaurant_turns.jsonl",
    "SNIPS BookRestaurant": ROOT / "bench/corpora/snips_bookrestaurant_turns.jsonl",
}


def main(calls: int) -> None:
    print("## Extractor per slot (`resvoice eval dialogues FILE`)\n")
    print("| corpus | turns | slot | gold | predicted | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for label, path in CORPORA.items():
        if not path.exists():
            print(f"| {label} | missing: {path} | | | | | |")
            continue
        turns = load_turns(path)
        report = asyncio.run(evaluate(turns, extractor_for("rules")))
        for slot in SLOTS:
            s = report.slots[slot]
            print(
                f"| {label} | {len(turns)} | {slot} | {s.gold} | {s.predicted} "
                f"| {s.precision:.1%} | {s.recall:.1%} |"
            )
    snips = CORPORA["SNIPS BookRestaurant"]
    if snips.exists():
        turns = load_turns(snips)
        named = [
            t.text
            for t in turns
            if extract_slots(t.text, today=EVAL_TODAY, evening_bias=False, name_open=True).name
        ]
        print(f"\nSNIPS utterances with a name read (all false positives): {len(named)} of "
              f"{len(turns)} ({len(named) / len(turns):.1%})\n")  # fmt: skip
    print(f"## Generated calls ({calls}, `python -m bench.generated_calls`)\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        generated_calls.main(calls, 22, None)
    print(out.getvalue())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    main(parser.parse_args().calls)
