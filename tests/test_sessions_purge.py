"""`resvoice sessions purge --before DATE`: old calls go with their recordings, on both backends."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from resvoice.call_metadata import CallMetadata
from resvoice.cli import app
from resvoice.commands.purge import purge_before
from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.storage.records import SessionRecord


async def test_purge_deletes_old_calls_and_their_recordings(
    any_runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    storage = any_runtime.storage
    old_wav, new_wav = tmp_path / "old.wav", tmp_path / "new.wav"
    old_wav.write_bytes(b"RIFF"), new_wav.write_bytes(b"RIFF")
    old = dt.datetime(2025, 1, 5, 12, 0)
    await storage.save_session(
        SessionRecord(
            conversation_id="old-call",
            metadata=CallMetadata(recording=str(old_wav)),
            created_at=old,
        )
    )
    await storage.save_session(
        SessionRecord(conversation_id="new-call", metadata=CallMetadata(recording=str(new_wav)))
    )
    console = Console(file=io.StringIO())
    settings = settings.model_copy(update={"recordings_dir": tmp_path / "none"})
    assert await purge_before(console, storage, settings, dt.date(2025, 2, 1)) == 1
    assert await storage.load_session("old-call") is None
    assert await storage.load_session("new-call") is not None
    assert not old_wav.exists() and new_wav.exists()


def test_a_bad_date_is_one_line_and_exit_2(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["sessions", "purge", "--before", "last week"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
