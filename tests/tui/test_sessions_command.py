"""`resvoice sessions list / show`: saved calls printed as tables, through the CLI."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.config import Settings
from resvoice.runtime import Runtime
from tests.conftest import TRANSCRIPTS

runner = CliRunner()
ASKS_FOR_A_PERSON = next(p for p in TRANSCRIPTS if p.name.startswith("17_"))
BOOKING = next(p for p in TRANSCRIPTS if p.name.startswith("01_"))


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "160"})
    return result.exit_code, result.output


def saved_ids(db: str) -> list[str]:
    async def load() -> list[str]:
        rt = await Runtime.open(Settings(), db)
        try:
            return [r.conversation_id for r in await rt.storage.list_sessions()]
        finally:
            await rt.close()

    return asyncio.run(load())


@pytest.fixture
def calls(seeded_url: str, settings: Settings) -> str:
    for transcript in (BOOKING, ASKS_FOR_A_PERSON):
        code, output = invoke("replay", "--db", seeded_url, str(transcript))
        assert code == 0, output
    return seeded_url


def test_list_shows_each_call_newest_first(calls: str) -> None:
    code, output = invoke("sessions", "list", "--db", calls)
    assert code == 0, output
    newest, oldest = saved_ids(calls)
    assert newest in output and oldest in output
    assert output.index(newest) < output.index(oldest)
    assert "John Smith" in output and "booked #" in output
    assert "transferred: user requested" in output


def test_list_limit(calls: str) -> None:
    newest, oldest = saved_ids(calls)
    code, output = invoke("sessions", "list", "--db", calls, "--limit", "1")
    assert code == 0 and newest in output and oldest not in output
    code, output = invoke("sessions", "list", "--db", calls, "--limit", "0")
    assert code == 2 and "Traceback" not in output


def test_list_of_an_empty_database(seeded_url: str, settings: Settings) -> None:
    code, output = invoke("sessions", "list", "--db", seeded_url)
    assert code == 0 and "No saved calls yet" in output


def test_show_prints_notepad_transcript_and_escalation(calls: str) -> None:
    escalated = saved_ids(calls)[0]
    code, output = invoke("sessions", "show", escalated, "--db", calls)
    assert code == 0, output
    for heading in ("Call", "Notepad", "Transcript", "Escalation"):
        assert heading in output
    assert "party_size" in output and "missing" in output  # name, phone and time never given
    assert "can I just speak to a real person?" in output
    assert "transferring" in output.lower()
    assert "transferred" in output and "user requested" in output


def test_show_a_booked_call(calls: str) -> None:
    booked = saved_ids(calls)[1]
    code, output = invoke("sessions", "show", booked, "--db", calls)
    assert code == 0, output
    assert "John Smith" in output and "+15551234567" in output
    assert "reservation" in output and "not escalated" in output
    # replay records its texts: stored with the call, shown with status and id
    assert "Texts" in output and "to +15551234567" in output
    assert "sent" in output and "recorded-1" in output and "John Smith" in output


def test_show_an_unknown_id_is_one_line_and_exit_2(calls: str, tmp_path: Path) -> None:
    code, output = invoke("sessions", "show", "no-such-call", "--db", calls)
    assert code == 2
    assert "no-such-call" in output and "resvoice sessions list" in output
    assert "Traceback" not in output


def test_talk_on_an_unseeded_database_is_one_line_and_exit_2(
    tmp_path: Path, settings: Settings
) -> None:
    code, output = invoke("talk", "--text", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 2 and "resvoice seed" in output and "Traceback" not in output


def test_list_and_show_on_either_backend(seeded_database_url: str, settings: Settings) -> None:
    code, output = invoke("replay", "--db", seeded_database_url, str(ASKS_FOR_A_PERSON))
    assert code == 0, output
    code, output = invoke("sessions", "list", "--db", seeded_database_url)
    assert code == 0 and "transferred: user requested" in output
    conversation_id = next(w for w in output.split() if w.startswith("replay-"))
    code, output = invoke("sessions", "show", conversation_id, "--db", seeded_database_url)
    assert code == 0 and "can I just speak to a real person?" in output
