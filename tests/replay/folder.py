"""Replaying every transcript of a folder of the tests, one after another on one runtime."""

from __future__ import annotations

from pathlib import Path

from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime

HERE = Path(__file__).parent


def transcripts(folder: str) -> list[Path]:
    """The transcripts of `tests/replay/<folder>/`, in name order."""
    return sorted((HERE / folder).glob("*.yaml"))


async def failures_of(runtime: Runtime, paths: list[Path]) -> list[str]:
    """Every expectation the transcripts miss, each with its file's name; an unreadable file
    fails the test at once."""
    failures: list[str] = []
    for path in paths:
        result = await replay_file(runtime, path)
        assert not result.unreadable, result.failures
        failures += [f"{path.name}: {f}" for f in result.failures]
    return failures
