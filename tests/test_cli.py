"""The `resvoice` commands as a user types them: seed, replay, exit codes, errors."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from tests.conftest import RESTAURANT, TRANSCRIPTS

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, settings: object) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def seed(db: str, *extra: str) -> object:
    return runner.invoke(app, ["seed", "--db", db, "--file", str(RESTAURANT), *extra])


def counts(db: str) -> dict[str, int]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("dining_tables", "knowledge_docs", "opening_hours")
        }


def test_only_built_commands_are_listed() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("seed", "replay", "serve", "talk", "sessions"):
        assert command in result.output


def test_seed_is_idempotent(db: str) -> None:
    first = seed(db)
    assert first.exit_code == 0, first.output
    assert "11 tables" in first.output
    before = counts(db)
    second = seed(db)
    assert second.exit_code == 0
    assert "0 embedded" in second.output  # nothing changed, nothing re-embedded
    assert counts(db) == before
    assert before["dining_tables"] == 11 and before["knowledge_docs"] >= 40 + 15


def test_malformed_restaurant_file_names_file_line_and_field(db: str, tmp_path: Path) -> None:
    assert seed(db).exit_code == 0
    before = counts(db)
    bad = tmp_path / "bad.yaml"
    text = RESTAURANT.read_text()
    bad.write_text(text.replace("price:", "prise:", 1))
    result = runner.invoke(app, ["seed", "--db", db, "--file", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "prise" in result.output
    assert "Traceback" not in result.output
    assert counts(db) == before  # nothing half-written


def test_unparseable_yaml_is_a_clear_error(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("restaurant: [unclosed\n")
    result = runner.invoke(app, ["seed", "--db", db, "--file", str(bad)])
    assert result.exit_code == 2 and "broken.yaml:" in result.output


def test_wrong_database_url_is_one_line_and_exit_2(tmp_path: Path, settings: object) -> None:
    result = runner.invoke(app, ["replay", "--db", "mysql://u:secret@x/db", str(TRANSCRIPTS[0])])
    assert result.exit_code == 2
    assert "secret" not in result.output and "Traceback" not in result.output


def test_replay_before_seed_says_to_seed(db: str) -> None:
    result = runner.invoke(app, ["replay", "--db", db, str(TRANSCRIPTS[0])])
    assert result.exit_code == 2 and "resvoice seed" in result.output


def test_replay_json_and_exit_codes(db: str, tmp_path: Path) -> None:
    assert seed(db).exit_code == 0
    ok = runner.invoke(app, ["replay", "--db", db, "--json", str(TRANSCRIPTS[0])])
    assert ok.exit_code == 0, ok.output
    line = json.loads(ok.output.strip().splitlines()[0])
    assert set(line) == {
        "name",
        "passed",
        "failures",
        "notepad",
        "data_complete",
        "reservation",
        "escalated",
        "escalation_reason",
        "turns",
        "given_reservations",
        "messages",
    }
    assert line["passed"] and line["reservation"] is not None
    assert {"user", "reply", "latency_ms"} == set(line["turns"][0])

    failing = tmp_path / "failing.yaml"
    failing.write_text(
        'name: expects the impossible\ntoday: "2026-02-02"\nturns:\n'
        '  - user: "table for 2 on Friday"\n    expect:\n      notepad: {party_size: 3}\n'
    )
    failed = runner.invoke(app, ["replay", "--db", db, "--json", str(failing)])
    assert failed.exit_code == 1
    assert "party_size" in json.loads(failed.output)["failures"][0]

    unknown = tmp_path / "unknown.yaml"
    unknown.write_text('name: typo\nturns:\n  - user: "hi"\n    expcet: {}\n')
    both = runner.invoke(app, ["replay", "--db", db, str(failing), str(unknown)])
    assert both.exit_code == 2
    assert "unknown.yaml:4" in both.output and "expcet" in both.output


def test_an_error_message_is_printed_as_written(db: str, tmp_path: Path) -> None:
    missing = tmp_path / "menu[v2].yaml"  # brackets are text, not console markup
    result = runner.invoke(app, ["seed", "--db", db, "--file", str(missing)])
    assert result.exit_code == 2
    assert f"{missing}:" in result.output and "Traceback" not in result.output


def test_serve_without_its_extra_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resvoice.server.compose", None)  # as if not installed
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'resvoice[serve]'" in result.output
    assert "Traceback" not in result.output


def test_a_malformed_setting_is_one_line_naming_it(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESVOICE_BRAIN", "clever")
    monkeypatch.setenv("RESVOICE_TRANSFER_TIMEOUT", "4000")
    result = runner.invoke(app, ["sessions", "list", "--db", db])
    assert result.exit_code == 2
    assert "RESVOICE_BRAIN" in result.output and "RESVOICE_TRANSFER_TIMEOUT" in result.output
    assert "clever" not in result.output and "4000" not in result.output  # values may be secrets
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_replay_needs_files_or_demo(db: str) -> None:
    result = runner.invoke(app, ["replay", "--db", db])
    assert result.exit_code == 2 and "--demo" in result.output


def test_seed_without_file_loads_the_packaged_demo_from_any_directory(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no fixtures/ here
    assert runner.invoke(app, ["seed", "--db", db]).exit_code == 0
    assert counts(db)["dining_tables"] > 0


def test_seed_takes_the_file_as_an_argument_too(db: str, tmp_path: Path) -> None:
    bistro = RESTAURANT.parent / "harbour_bistro" / "restaurant.yaml"
    result = runner.invoke(app, ["seed", str(bistro), "--db", db])
    assert result.exit_code == 0, result.output
    assert "Harbour Bistro" in result.output
    both = runner.invoke(app, ["seed", str(bistro), "--file", str(RESTAURANT), "--db", db])
    assert both.exit_code == 2 and "once" in both.output
