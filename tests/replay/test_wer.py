"""WER counts what the recogniser got wrong, not how it chose to write what it got right."""

from __future__ import annotations

import pytest

from resvoice.replay.wer import normalise, word_error_rate, word_errors


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("around seven thirty", "around 7:30"),
        ("around seven thirty", "around 7.30"),
        ("twenty-five past eight", "25 past 8"),
        ("on the fourteenth", "on the 14th"),
        ("the twenty first of June", "the 21st of June"),
        ("Friday the thirtieth", "Friday the 30th"),
        ("a table for eleven", "a table for 11"),
        ("it's six four six, five five five, oh one three four", "It's 646-555-0134."),
        ("oh seven seven double oh, nine hundred, one two three", "07700 900 123"),
        ("one hundred and twelve", "112"),
        ("double five", "55"),
        ("triple seven", "777"),
        ("Bell, B, E, double L", "Bell, B-E-L-L."),
        ("um, eight-ish, er, okay?", "8ish, OK?"),
        ("uh-huh, alright", "Uh-huh, all right."),
        ("my favourite, it was cancelled", "My favorite, it was canceled."),
        ("Mister Patel", "Mr. Patel"),
        ("at seven p.m.", "at 7 PM"),
    ],
)
def test_the_same_words_written_another_way_are_no_error(said: str, written: str) -> None:
    assert word_errors(said, written)[0] == 0


@pytest.mark.parametrize(
    ("said", "heard", "errors"),
    [
        ("John Smith", "Jon Smith", 1),
        ("at seven thirty", "at 7:40", 1),  # 7 3 0 against 7 4 0
        ("for two people", "for 3 people", 1),
        ("six four six", "6 4", 1),
        ("double check the booking", "check the booking", 1),  # "double" is a word here
        ("Hiya, Priya here", "Higher, 3 a here", 3),
    ],
)
def test_what_was_heard_wrong_still_counts(said: str, heard: str, errors: int) -> None:
    assert word_errors(said, heard)[0] == errors


def test_hesitations_are_not_words_either_side() -> None:
    assert normalise("Um, uh, erm... hmm, table") == ["table"]
    assert word_errors("um table for two", "Table for 2.") == (0, 3)


def test_a_nine_hundred_then_a_digit_is_two_groups_of_a_number() -> None:
    assert normalise("nine hundred, one two three") == ["9", "0", "0", "1", "2", "3"]


def test_the_corpus_rate_is_errors_over_reference_words() -> None:
    assert word_error_rate([("a b c d", "a b"), ("e f", "e f")]) == round(2 / 6, 4)
    assert word_error_rate([]) is None
