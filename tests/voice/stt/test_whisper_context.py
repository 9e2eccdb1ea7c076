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


def test_digits_said_counts_written_digits_words_and_repeats() -> None:
    from resvoice.voice.stt.whisper_context import digits_said

    assert digits_said("It's 415-555-0142.") == 10
    assert digits_said("four one five, triple 5, oh one double 4 2") == 10
    assert digits_said("a double booking for 4") == 1  # "double" before no digit is a word
    assert digits_said("No digits at all.") == 0


def test_a_number_a_few_digits_short_is_worth_a_second_look_only_when_one_was_asked() -> None:
    from resvoice.voice.stt.whisper_context import number_heard_short

    assert number_heard_short("My number is 415-55-0142.", PHONE)  # 9 of 10
    assert number_heard_short("It's 2 1 2 5 5 4 7 2", PHONE)  # 8 of 10
    assert not number_heard_short("My number is 415-555-0142.", PHONE)  # whole
    assert not number_heard_short("The last four are 0142.", PHONE)  # a part, on purpose
    assert not number_heard_short("My number is 415-55-0142.", ANYTHING)
    uk = Listening(expect="phone", number_digits=11)
    assert number_heard_short("07700 900 12", uk) and not number_heard_short("07700 900 123", uk)


def test_the_first_reading_with_a_whole_number_is_taken_as_heard_in_context() -> None:
    from resvoice.voice.stt.whisper_context import whole_number_among

    readings = [
        "No, my number is 312-55-0968.",
        "No, my number is 312, 5, 5, 0968, thanks.",
        "No, my number is 312, triple fine, 0968.",
        "No, my number is 312 555 0968.",
    ]
    assert whole_number_among(readings, PHONE) == "No, my number is 312, triple 5, 0968."
    assert whole_number_among(readings[:2], PHONE) is None
    assert whole_number_among([], PHONE) is None
