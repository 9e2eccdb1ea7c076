"""`resvoice sessions purge --before DATE`: delete old calls, their transcripts and recordings.

A recording is found by the path its session names and, for recordings whose session is gone
already (or that were never saved to one), by its file's age in the recordings directory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console

from resvoice.config import Settings
from resvoice.storage.base import Storage

__all__ = ["purge_before"]


async def purge_before(console: Console, storage: Storage, settings: Settings, day: dt.date) -> int:
    """Delete every call started before `day` (UTC midnight); returns how many were deleted."""
    cutoff = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    removed = await storage.delete_sessions_before(cutoff.replace(tzinfo=None))
    named = [r.metadata.recording for r in removed]
    files = {Path(name) for name in named if name and name != "declined"}
    folder = settings.recordings_dir
    if folder.is_dir():
        for path in folder.glob("*.wav"):
            if dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < cutoff:
                files.add(path)
    for path in files:
        path.unlink(missing_ok=True)
    console.print(
        f"deleted {len(removed)} saved call(s) and {len(files)} recording(s) from before {day}"
    )
    return len(removed)
