"""The demo restaurant and the shipped transcripts, as package data.

`resvoice seed` without `--file` loads `restaurant.yaml`; `resvoice replay --demo` runs every
transcript in `transcripts/`, then the calls about existing bookings in `transcripts/calls/`
(contract v2). They ship inside the package, so both work from any directory
once resvoice is installed (the repository's `fixtures/` is a link to this folder).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from resvoice.errors import ConfigError

__all__ = ["restaurant_file", "transcript_files"]


def restaurant_file() -> Path:
    """The demo restaurant's data file."""
    return _folder() / "restaurant.yaml"


def transcript_files() -> list[Path]:
    """The shipped transcripts, in their numbered order; the v2 calls (`calls/`) last."""
    folder = _folder() / "transcripts"
    return sorted(folder.glob("*.yaml")) + sorted((folder / "calls").glob("*.yaml"))


def _folder() -> Path:
    folder = Path(str(files(__name__)))
    if not (folder / "restaurant.yaml").is_file():
        raise ConfigError(
            f"the demo data is missing from {folder} (reinstall resvoice from a wheel or a"
            " checkout; zipped installs are not supported)"
        )
    return folder
