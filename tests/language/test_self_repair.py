"""A caller correcting themselves mid-sentence: the words after the last correction."""

from __future__ import annotations

import pytest

from resvoice.language.self_repair import after_retraction, after_self_repair


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("to eight, no sorry, eight thirty", "eight thirty"),
        ("six people, sorry no, five people", "five people"),
        ("Friday, I mean Saturday", "Saturday"),
        ("we're 4 now. Oh wait, 3", "3"),
        ("make it six, actually make it seven", "seven"),
        ("at 7 - or rather quarter past", "quarter past"),
        ("Friday, no, Saturday, sorry, Sunday", "Sunday"),
    ],
)
def test_the_words_after_the_last_correction(text: str, tail: str) -> None:
    assert after_self_repair(text).strip(" ,") == tail


@pytest.mark.parametrize(
    "text",
    ["Sorry, can I book for Friday?", "for two at seven", "we're 4, no later than 8", "no"],
)
def test_no_correction_mid_sentence_gives_nothing(text: str) -> None:
    assert after_self_repair(text) == ""


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("cancel it. Actually no, move it", "move it"),
        ("Friday, I mean Saturday", "Saturday"),
        ("cancel, scratch that, keep it", "keep it"),
    ],
)
def test_a_retraction_takes_back_what_came_before(text: str, tail: str) -> None:
    assert after_retraction(text).strip(" ,") == tail


def test_an_apology_is_no_retraction() -> None:
    assert after_retraction("move it to 8, sorry, and one of us can't come") == ""
