"""Calls about an existing booking, each phrasing run as a small v2 transcript: a change read
back is made on any agreement ("lovely, yes"), not only on a leading "yes"."""

from __future__ import annotations

from pathlib import Path

import pytest

from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime

CALLER = "+14155550190"
GIVEN = (
    'name: x\ntoday: "2026-02-02T15:30"\ncaller: "' + CALLER + '"\n'
    "given:\n  reservations:\n"
    '    - {name: Ada Byron, phone: "' + CALLER + '", party_size: 2, date: "2026-02-06", '
    'time: "19:00"}\n'
)


def call(tmp_path: Path, turns: list[str]) -> Path:
    path = tmp_path / "call.yaml"
    lines = "".join(f'  - user: "{t}"\n' for t in turns)
    path.write_text(GIVEN + "turns:\n" + lines)
    return path


@pytest.mark.parametrize(
    "agreement",
    ["lovely, yes", "brilliant, go ahead", "that sounds perfect", "oh great, please do", "sure"],
)
async def test_a_read_back_move_is_made_on_any_agreement(
    runtime: Runtime, tmp_path: Path, agreement: str
) -> None:
    path = call(tmp_path, ["could we move our Friday table to 8:30?", agreement])
    result = await replay_file(runtime, path)
    assert not result.unreadable, result.failures
    assert result.given_reservations[0]["time"] == "20:30"
    assert [m["to"] for m in result.messages] == [CALLER]


@pytest.mark.parametrize("answer", ["actually no, leave it", "no thanks", "lovely, but no"])
async def test_a_read_back_move_is_not_made_on_a_no(
    runtime: Runtime, tmp_path: Path, answer: str
) -> None:
    path = call(tmp_path, ["could we move our Friday table to 8:30?", answer])
    result = await replay_file(runtime, path)
    assert result.given_reservations[0]["time"] == "19:00"
    assert result.messages == []
