"""`resvoice db status|migrate|export|import` on both backends, and their one-line errors."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.config import Settings
from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime
from tests.conftest import TRANSCRIPTS
from tests.databases import fresh_database, sqlite_url

runner = CliRunner()


def db(*args: str) -> object:
    return runner.invoke(app, ["db", *args])


def test_status_of_a_missing_sqlite_file_lists_pending_and_creates_nothing(
    tmp_path: Path, settings: Settings
) -> None:
    url = sqlite_url(tmp_path)
    result = db("status", "--db", url)
    assert result.exit_code == 0, result.output
    assert "pending  0001_initial" in result.output and "schema v0 of v6" in result.output
    assert not (tmp_path / "data").exists()


def test_migrate_then_status(database_url: str, backend: str, settings: Settings) -> None:
    first = db("migrate", "--db", database_url)
    assert first.exit_code == 0, first.output
    assert "applied 0001_initial" in first.output
    assert "applied 0002_escalation_claimed_at" in first.output
    assert "applied 0003_escalation_changes" in first.output
    assert "applied 0004_session_turns" in first.output
    again = db("migrate", "--db", database_url)
    assert again.exit_code == 0 and "up to date" in again.output
    status = db("status", "--db", database_url)
    assert status.exit_code == 0, status.output
    assert status.output.startswith(backend)
    assert "applied  0001_initial" in status.output and "schema v6 of v6" in status.output


def test_a_newer_database_is_refused_by_every_command(
    database_url: str, backend: str, settings: Settings, tmp_path: Path
) -> None:
    assert db("migrate", "--db", database_url).exit_code == 0
    _raw(
        database_url,
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (7, 'future', '2099-01-01T00:00:00+00:00')",
    )
    for args in (("status",), ("migrate",), ("export", str(tmp_path / "x.jsonl"))):
        result = db(*args, "--db", database_url)
        assert result.exit_code == 2, (args, result.output)
        assert "database schema v7 is newer than this resvoice (v6)" in result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://bob:s3cret@127.0.0.1:1/rv", "cannot connect to database"),
        ("postgres://bob:s3cret@[::1", "bad database URL"),
        ("mysql://bob:s3cret@host/rv", "unknown scheme"),
    ],
)
def test_a_wrong_database_url_is_one_line_and_exit_2(
    url: str, expected: str, settings: Settings
) -> None:
    for args in (("status",), ("migrate",)):
        result = db(*args, "--db", url)
        assert result.exit_code == 2
        assert expected in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert "s3cret" not in result.output and "Traceback" not in result.output


@pytest.fixture
async def other_backend_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """An empty database of the *other* backend, to move a restaurant across."""
    if backend == "postgres":
        yield sqlite_url(tmp_path / "target")
        return
    async with fresh_database(request.getfixturevalue("postgres_server")) as url:
        yield url


def test_export_and_import_move_a_restaurant_between_backends(
    seeded_database_url: str, other_backend_url: str, settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(_calls(settings, seeded_database_url))
    exported = tmp_path / "export.jsonl"
    first = db("export", str(exported), "--db", seeded_database_url)
    assert first.exit_code == 0, first.output

    moved = db("import", str(exported), "--db", other_backend_url)
    assert moved.exit_code == 0, moved.output
    assert "reservations" in moved.output
    again = tmp_path / "again.jsonl"
    assert db("export", str(again), "--db", other_backend_url).exit_code == 0

    before, after = _comparable(exported), _comparable(again)
    kinds = {line["type"] for line in before}
    assert {"restaurant", "embedder", "knowledge", "reservation", "session", "escalation"} <= kinds
    assert after == before

    twice = db("import", str(exported), "--db", other_backend_url)
    assert twice.exit_code == 2 and "import into an empty database" in twice.output


def test_a_malformed_export_names_file_and_line(tmp_path: Path, settings: Settings) -> None:
    bad = tmp_path / "bad.jsonl"
    header = {
        "type": "resvoice-export",
        "format": 1,
        "backend": "sqlite",
        "exported_at": "2031-01-01T00:00:00Z",
    }
    bad.write_text(json.dumps(header) + "\n" + '{"type": "session", "session": {}}\n')
    result = db("import", str(bad), "--db", sqlite_url(tmp_path))
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.output and "conversation_id" in result.output
    assert not (tmp_path / "data").exists()  # nothing was opened, nothing written


def _comparable(path: Path) -> list[dict[str, object]]:
    """The export minus what legitimately differs: the header, ids and write times."""
    lines = [json.loads(text) for text in path.read_text().splitlines()]
    out = []
    for line in lines[1:]:
        record = next((v for k, v in line.items() if k != "type" and isinstance(v, dict)), None)
        if isinstance(record, dict) and line["type"] != "restaurant":
            for key in ("id", "updated_at"):
                record.pop(key, None)
            if isinstance(record.get("table"), dict):
                record["table"].pop("id", None)
            metadata = record.get("metadata")
            if line["type"] == "session" and isinstance(metadata, dict):
                metadata.pop("reservation_id", None)
                if isinstance(metadata.get("escalation"), dict):
                    metadata["escalation"].pop("id", None)
        out.append(line)
    return out


async def _calls(settings: Settings, url: str) -> None:
    runtime = await Runtime.open(settings, url)
    try:
        for path in TRANSCRIPTS[:20]:  # bookings, questions and escalations
            await replay_file(runtime, path)
    finally:
        await runtime.close()


def _raw(url: str, sql: str) -> None:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute(sql)
        return

    async def run() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(sql.replace("'2099-01-01T00:00:00+00:00'", "now()"))
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.mark.parametrize(
    "command",
    [["sessions", "list"], ["sessions", "show", "CA1"], ["stats"], ["db", "export"]],
    ids=lambda c: " ".join(c),
)
def test_a_read_command_never_creates_a_database(
    tmp_path: Path, settings: Settings, command: list[str]
) -> None:
    result = runner.invoke(app, [*command, "--db", sqlite_url(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "no database at" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "data").exists()


def _export(tmp_path: Path, lines: list[dict[str, object]]) -> Path:
    header = {
        "type": "resvoice-export",
        "format": 1,
        "backend": "sqlite",
        "exported_at": "2031-01-01T00:00:00Z",
    }
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in [header, *lines]))
    return path


def test_an_import_with_a_vector_of_the_wrong_dimension_writes_nothing(
    seeded_database_url: str, settings: Settings, tmp_path: Path
) -> None:
    exported = tmp_path / "full.jsonl"
    assert db("export", str(exported), "--db", seeded_database_url).exit_code == 0
    lines = [json.loads(text) for text in exported.read_text().splitlines()]
    knowledge = next(i for i, line in enumerate(lines) if line["type"] == "knowledge")
    lines[knowledge]["vector"] = lines[knowledge]["vector"][:-1]
    bad = _export(tmp_path, lines[1:])
    result = db("import", str(bad), "--db", sqlite_url(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{bad}:{knowledge + 1}:" in result.output and "vector" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "data").exists()


def test_a_duplicated_session_line_is_imported_and_counted_once(
    settings: Settings, tmp_path: Path
) -> None:
    session = {
        "type": "session",
        "session": {
            "conversation_id": "CA-dup",
            "transcript": [{"role": "caller", "text": "hi", "at": "2031-01-01T00:00:00Z"}],
        },
    }
    path = _export(tmp_path, [session, session])
    result = db("import", str(path), "--db", sqlite_url(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 calls" in result.output
