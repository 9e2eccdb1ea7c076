"""A hum is sounds, not words: what a recogniser lets pass without a turn."""

from __future__ import annotations

import pytest

from resvoice.voice.barge_in import is_hum


@pytest.mark.parametrize("text", ["hmm", "Hmm...", "uh-huh", "mm-hmm", "um", "umm, erm", "uh"])
def test_sounds_alone_are_hums(text: str) -> None:
    assert is_hum(text)


@pytest.mark.parametrize("text", ["", "uh, what?", "hmm okay", "yeah", "under", "um, 8 pm"])
def test_words_are_no_hum(text: str) -> None:
    assert not is_hum(text)
