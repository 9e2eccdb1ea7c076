"""Files a careless or hostile user hands to `seed` and `replay`: alias bombs, huge files,
endless streams, absurd numbers and texts. Each is one line and exit 2, nothing written."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from tests.conftest import RESTAURANT, TRANSCRIPTS

runner = CliRunner()

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


@pytest.fixture
def db(tmp_path: Path, settings: object) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def seeded(db: str) -> str:
    assert runner.invoke(app, ["seed", "--db", db, "--file", str(RESTAURANT)]).exit_code == 0
    return db


def one_line_exit_2(result: object, *words: str, lines: int | None = 1) -> None:
    """Exit 2 with one error line (`replay` reports per file: no line count for it)."""
    output: str = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 2, output  # type: ignore[attr-defined]
    assert "Traceback" not in output, output
    assert lines is None or len(output.strip().splitlines()) == lines, output
    for word in words:
        assert word in output, output


def test_an_alias_bomb_is_refused_by_seed_and_replay(seeded: str, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    seed = runner.invoke(app, ["seed", "--db", seeded, "--file", str(bomb)])
    one_line_exit_2(seed, "bomb.yaml", "expands")
    replay = runner.invoke(app, ["replay", "--db", seeded, str(bomb)])
    one_line_exit_2(replay, "bomb.yaml", "expands", lines=None)


def test_a_restaurant_file_past_the_size_cap_is_refused(db: str, tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text(RESTAURANT.read_text() + "#" * (2 * 1024 * 1024))
    one_line_exit_2(runner.invoke(app, ["seed", "--db", db, "--file", str(huge)]), "larger than")


def test_replay_of_an_endless_stream_reads_only_up_to_the_cap(seeded: str) -> None:
    result = runner.invoke(app, ["replay", "--db", seeded, "/dev/zero"])
    one_line_exit_2(result, "larger than", lines=None)


def test_a_spoken_answer_of_a_book_is_refused(db: str, tmp_path: Path) -> None:
    long = tmp_path / "long.yaml"
    text = RESTAURANT.read_text()
    assert "answer:" in text
    line = "    answer: Our number is 555 010 0200."
    assert line in text
    long.write_text(text.replace(line, f"    answer: Our number is {'very ' * 1000}long."))
    result = runner.invoke(app, ["seed", "--db", db, "--file", str(long)])
    one_line_exit_2(result, "long.yaml:", "answer")


@pytest.mark.parametrize("price", [".inf", "1e400", ".nan", "-1"])
def test_a_price_out_of_range_is_refused_at_load_with_its_line(
    db: str, tmp_path: Path, price: str
) -> None:
    bad = tmp_path / "price.yaml"
    text = RESTAURANT.read_text()
    before, _, after = text.partition("price:")
    bad.write_text(before + f"price: {price}\n" + after.split("\n", 1)[1])
    line = before.count("\n") + 1
    one_line_exit_2(
        runner.invoke(app, ["seed", "--db", db, "--file", str(bad)]), f"price.yaml:{line}"
    )


def test_tomorrow_at_the_end_of_the_calendar_is_no_date() -> None:
    from resvoice.language.dates import parse_date

    assert parse_date("a table tomorrow", dt.date.max) is None
    assert parse_date("in 3 days", dt.date(9999, 12, 30)) is None


def test_replay_at_the_end_of_the_calendar_fails_that_file_only(
    seeded: str, tmp_path: Path
) -> None:
    far = tmp_path / "far.yaml"
    far.write_text('name: far\ntoday: "9999-12-31T23:59"\nturns:\n  - user: "table tomorrow"\n')
    result = runner.invoke(app, ["replay", "--db", seeded, str(far), str(TRANSCRIPTS[0])])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "far.yaml:2" in result.output and "1 of 2 transcripts passed" in result.output


def test_a_call_that_crashes_fails_its_file_ends_its_session_and_the_rest_run(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resvoice.agent.session import AgentSession

    turn = AgentSession.turn

    def crashing(self: AgentSession, text: str) -> Any:
        if text == "crash now":
            raise OverflowError("date value out of range")
        return turn(self, text)

    monkeypatch.setattr(AgentSession, "turn", crashing)
    crash = tmp_path / "crash.yaml"
    crash.write_text('name: crash\nturns:\n  - user: "hello"\n  - user: "crash now"\n')
    result = runner.invoke(app, ["replay", "--db", seeded, str(crash), str(TRANSCRIPTS[0])])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "turn 2: the call crashed (OverflowError" in result.output
    assert "1 of 2 transcripts passed" in result.output
    with sqlite3.connect(seeded.removeprefix("sqlite:///")) as conn:
        ended = [
            json.loads(m)["ended"] for (m,) in conn.execute("SELECT metadata FROM voice_sessions")
        ]
    assert ended == [True, True]  # no open session left behind
