"""Calls written the way outside callers talk (tests/replay/heldout/), new to the rules brain's
own examples: fillers before names, name cues, approximate and British times, named days,
phone numbers in pieces and corrected at the read-back, yes without the word, frustration.
Every one passes, run in order against one database as `resvoice replay` does.
"""

from __future__ import annotations

from pathlib import Path

from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime

HELDOUT = sorted((Path(__file__).parent / "heldout").glob("*.yaml"))


def test_heldout_calls_exist() -> None:
    assert len(HELDOUT) >= 20


async def test_heldout_calls_all_pass(runtime: Runtime) -> None:
    failures: list[str] = []
    for path in HELDOUT:
        result = await replay_file(runtime, path)
        assert not result.unreadable, result.failures
        failures += [f"{path.name}: {f}" for f in result.failures]
    assert failures == []
