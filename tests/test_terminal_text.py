"""Caller text printed on a terminal carries no escape sequence or control character."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.terminal import printable
from tests.conftest import RESTAURANT

runner = CliRunner()
HOSTILE = "hi\x1b[2J\x1b]0;pwned\x07 there\r\n\x1b[31mred\u202eevil\x00"


def test_printable_drops_sequences_and_controls_and_keeps_words() -> None:
    assert printable(HOSTILE) == "hi there redevil"
    assert printable("Zoë's table, ½ past 7 😀") == "Zoë's table, ½ past 7 😀"


def test_replay_and_sessions_show_print_no_escape_codes(tmp_path: Path, settings: object) -> None:
    db = f"sqlite:///{tmp_path / 'calls.db'}"
    assert runner.invoke(app, ["seed", "--db", db, "--file", str(RESTAURANT)]).exit_code == 0
    transcript = tmp_path / "escape.yaml"
    transcript.write_text(
        "name: escape\nturns:\n  - user: " + json.dumps(HOSTILE) + "\n", encoding="utf-8"
    )
    replayed = runner.invoke(app, ["replay", "--db", db, str(transcript)])
    assert replayed.exit_code == 0, replayed.output
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        [(call,)] = conn.execute("SELECT conversation_id FROM voice_sessions").fetchall()
    shown = runner.invoke(app, ["sessions", "show", call, "--db", db])
    listed = runner.invoke(app, ["sessions", "list", "--db", db])
    for result in (replayed, shown, listed):
        assert result.exit_code == 0, result.output
        assert not any(ch in result.output for ch in "\x1b\x07\x00\r\u202e"), repr(result.output)
    assert "hi there" in replayed.output and "hi there" in shown.output
