"""A booking's note as the caller hears it: labels the book keeps, said in words."""

from __future__ import annotations

import pytest

from resvoice.language.phrases import speak_note
from resvoice.language.slots import special_requests


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("allergy: nut", "a nut allergy"),
        ("high chair, allergy: shellfish", "a high chair and a shellfish allergy"),
        ("celebration: engagement", "an engagement celebration"),
        ("window seat; running 20 minutes late", "a window seat and running 20 minutes late"),
        ("vegan", "vegan"),
        ("wheelchair access", "wheelchair access"),
        ("gluten-free", "gluten-free"),
        ("a quiet corner", "a quiet corner"),
        # a caller's own sentence is said as they put it, commas and all
        ("mum, who uses a cane, needs a seat near the door",) * 2,
    ],
)  # fmt: skip
def test_a_note_is_said_in_words(note: str, said: str) -> None:
    assert speak_note(note) == said


@pytest.mark.parametrize(
    "caller",
    [
        "One of us is allergic to peanuts.",
        "It's my wife's birthday and we'll need a high chair.",
        "We're celebrating our engagement, could we get a booth seat?",
        "My son has a severe sesame allergy.",
    ],
)
def test_no_label_of_a_note_taken_from_a_caller_is_read_aloud(caller: str) -> None:
    note = ", ".join(special_requests(caller))
    assert note  # the extractor took something
    said = speak_note(note)
    assert ":" not in said and said
