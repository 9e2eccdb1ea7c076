"""Whisper in context: digits inside a spoken number, names in the prompt, no prompt echo."""

from __future__ import annotations

from resvoice.voice.stt.hints import ANYTHING, Listening
from resvoice.voice.stt.whisper_context import heard_in_context, prompt_for, without_echo

PHONE = Listening(expect="phone")


def test_digit_homophones_inside_a_number_become_digits() -> None:
    assert heard_in_context("It's fine, fine, fine, 1, 2, 3, 4, 5, 6, 7.", PHONE) == (
        "It's 5, 5, 5, 1, 2, 3, 4, 5, 6, 7."
    )
    assert heard_in_context("5, 5, 5, 2, oh, 1, double 7, 8 9", PHONE) == (
        "5, 5, 5, 2, 0, 1, double 7, 8 9"
    )
    assert heard_in_context("five five five to oh one", PHONE) == "five five five 2 0 one"
    assert heard_in_context("My family's free 1-2-5-5-5-0-1-7-8.", PHONE) == (
        "My family's 3 1-2-5-5-5-0-1-7-8."
    )


def test_digits_joined_by_a_point_and_double_written_number_are_read_as_said() -> None:
    assert heard_in_context("For 1.5, triple 5, 0041.", PHONE) == "4 1 5, triple 5, 0041."
    assert heard_in_context("My number is 6 0 2, number 4 8, 1 9 0 7.", PHONE) == (
        "My number is 6 0 2, double 4 8, 1 9 0 7."
    )
    assert heard_in_context("My number is 6 0 2", PHONE) == "My number is 6 0 2"
    assert heard_in_context("For 1.5, triple 5", ANYTHING) == "For 1.5, triple 5"


def test_words_outside_a_number_are_left_alone() -> None:
    assert heard_in_context("a table for 4 at 7", PHONE) == "a table for 4 at 7"
    assert heard_in_context("for 2 people, 555 123 4567", PHONE) == "for 2 people, 555 123 4567"
    assert heard_in_context("It's fine, fine, fine, 1, 2, 3", ANYTHING) == (
        "It's fine, fine, fine, 1, 2, 3"
    )


def test_an_echoed_prompt_is_cut_from_the_words() -> None:
    prompt = "Booking a table for 2 at 7:30 pm on Friday, March 6th. Under Maria Garcia."
    echoed = "Booking a table for 2 at 7:30 pm on Friday, March 6th. Yes please."
    assert without_echo(echoed, prompt) == "Yes please."
    assert without_echo("Maria Garcia", prompt) == "Maria Garcia"  # a name, not the sentence
    assert without_echo("Yes please.", None) == "Yes please."


def test_the_style_prompt_is_left_out_for_a_number() -> None:
    style = "Booking a table for 2 at 7:30 pm on Friday, March 6th."
    assert prompt_for(style, PHONE) is None
    for expect in ("anything", "name", "count", "date_time", "yes_no"):
        assert prompt_for(style, Listening(expect=expect)) == style  # type: ignore[arg-type]
