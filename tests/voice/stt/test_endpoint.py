"""Semantic end of turn: which partial transcripts sound unfinished."""

from __future__ import annotations

import pytest

from resvoice.voice.stt.endpoint import sounds_unfinished


@pytest.mark.parametrize(
    "text",
    [
        "My number is",
        "My number is 555.",  # Whisper adds a full stop to whatever it has heard
        "My number is 5, 5, 5, 8, 6, 7.",
        "five five five one",
        "My phone number is 5 5.",
        "I'd like a table at",
        "A table for two and",
        "Um.",
        "The name is",
        "It's under",
        "Table for two at 7 pm, name is Tom Baker,",
    ],
)
def test_unfinished(text: str) -> None:
    assert sounds_unfinished(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A table for 4 please.",
        "555 123 4567.",  # a whole number
        "Table for 2 at 730.",  # a clock time, not a number in progress
        "Sunday, 530.",
        "party of 4.",
        "Yes, it is.",
        "Tuesday then.",
        "Hold on.",
        "I think so.",
    ],
)
def test_finished(text: str) -> None:
    assert not sounds_unfinished(text)
