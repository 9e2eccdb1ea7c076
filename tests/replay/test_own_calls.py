"""Calls written anew in the project's own words (tests/replay/own/), each a kind of failure
found by such calls: a name given in labelled parts over two turns, a weekday beside another
day's date, an answer only taken in ("Right.")."""

from __future__ import annotations

from pathlib import Path

from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime

OWN = sorted((Path(__file__).parent / "own").glob("*.yaml"))


async def test_calls_in_our_own_words_pass(runtime: Runtime) -> None:
    assert len(OWN) >= 5
    failures: list[str] = []
    for path in OWN:
        result = await replay_file(runtime, path)
        assert not result.unreadable, result.failures
        failures += [f"{path.name}: {f}" for f in result.failures]
    assert failures == []
