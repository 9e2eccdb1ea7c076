"""Semantic end of turn: which partial transcripts sound unfinished, which clearly finished."""

from __future__ import annotations

import pytest

from resvoice.voice.stt.endpoint import sounds_finished, sounds_nearly_whole, sounds_unfinished
from resvoice.voice.stt.hints import Expected, Listening


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


@pytest.mark.parametrize(
    "text",
    [
        "Do you have parking nearby?",
        "Can we come at 8?",  # a question is whole, even on a number
        "Yes, that's right.",
        "A table for 4 please.",
        "Hi, I'd like to book a table for 4 this Saturday at 7:30 pm.",
        "Thank you very much.",
    ],
)
def test_clearly_finished(text: str) -> None:
    assert sounds_finished(text)
    assert sounds_finished(text, Listening("date_time"))
    # asked for a phone number or a name, the caller may be pausing to recall or spell it
    assert not sounds_finished(text, Listening("phone"))
    assert not sounds_finished(text, Listening("name"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Yes",  # no sentence end heard
        "For 4.",  # a number may go on ("for 4 ... at 8")
        "five five five one two.",
        "The name is Maria.",  # a surname may follow
        "It's under Lopez.",
        "A table for 2 at",
        "Um.",
        "My number is 555.",
    ],
)
def test_not_clearly_finished(text: str) -> None:
    assert not sounds_finished(text)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("415.", "phone"),  # the caller paused after the area code
        ("You can reach me at 503.", "phone"),
        ("four one five, five five five.", "phone"),
        ("It's Maria.", "name"),  # the surname may follow a pause
        ("Maria.", "name"),
        ("Yes, it's Jonathan.", "name"),
        ("A table for 2 under Sam.", "anything"),  # a cue only a name follows
        ("The name is Jonathan.", "anything"),
    ],
)
def test_unfinished_for_what_the_agent_asked(text: str, expect: Expected) -> None:
    hint = Listening(expect=expect)
    assert sounds_unfinished(text, hint)
    assert not sounds_finished(text, hint)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("415 555 0142.", "phone"),  # ten digits: the whole number
        ("I'd rather not give my number.", "phone"),  # no digit: nothing to wait for
        ("Maria Lopez.", "name"),  # a whole name
        ("It's Maria Lopez.", "name"),
        ("It's Tuesday.", "anything"),  # "it's" alone is no name cue without the question
        ("I'm fine.", "anything"),
        ("A table under 20 minutes away.", "anything"),
    ],
)
def test_a_whole_answer_is_not_held(text: str, expect: Expected) -> None:
    assert not sounds_unfinished(text, Listening(expect=expect))


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("My number is 415-55-0142.", "anything"),  # a digit dropped by the recogniser
        ("It's 415 555 014.", "phone"),
        ("four one five five five five oh one", "phone"),
        ("You can call me on 617 224 98.", "anything"),
    ],
)
def test_a_number_a_digit_or_two_short_is_nearly_whole(text: str, expect: Expected) -> None:
    hint = Listening(expect=expect)
    assert sounds_unfinished(text, hint)  # still held, for the shorter time
    assert sounds_nearly_whole(text, hint)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("My number is 415.", "anything"),  # the group boundaries: a pause to recall the next
        ("My number is 415 555.", "anything"),
        ("My number is 415 555 0.", "anything"),  # three short: maybe a pause to recall
        ("four one five, five five five", "phone"),
        ("It's 415 555 0142.", "phone"),  # whole: not held at all
        ("My number is 415-55-0142,", "anything"),  # the caller's own pause mark
        ("A table for 4 at 730.", "anything"),  # no phone number named or asked for
        ("Table for 4 on Friday the 12th, at 7 30 or so, 8 people.", "anything"),
        ("", "phone"),
    ],
)
def test_a_number_at_a_group_boundary_or_whole_is_not_nearly_whole(
    text: str, expect: Expected
) -> None:
    assert not sounds_nearly_whole(text, Listening(expect=expect))


def test_a_whole_number_is_as_long_as_the_restaurants_country_says() -> None:
    uk = Listening(expect="phone", number_digits=11)
    assert sounds_unfinished("07700 900 12.", uk)  # 10 of a UK mobile's 11 digits
    assert sounds_nearly_whole("07700 900 12.", uk)
    assert not sounds_nearly_whole("07700 900.", uk)  # 5-3 of 5-3-3: a pause between groups
    assert not sounds_unfinished("07700 900 123.", uk)
    assert not sounds_unfinished("0770 090 0123.", Listening(expect="phone"))  # 10: US whole


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("You can reach me at 5-0 free.", "anything"),  # "three" heard as "free"
        ("My number is 4 1 fine.", "anything"),
        ("Call me on 617, to.", "anything"),
        ("Sure.", "phone"),  # asked for a number, none heard yet: it is on its way
        ("Yes, area code.", "phone"),
        ("Let me see.", "phone"),
        ("Okay, hang on.", "phone"),
        ("A table for two under sand.", "anything"),  # a name Whisper wrote as a common word
        ("The name is marrow.", "anything"),
    ],
)
def test_a_number_or_name_heard_as_other_words_is_still_held(text: str, expect: Expected) -> None:
    assert sounds_unfinished(text, Listening(expect=expect))


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("A table for 2 to 4 people.", "anything"),  # no phone named: "to" is a word
        ("We'll be 4 for dinner.", "anything"),
        ("At 7 to 8.", "anything"),
        ("Just use the one I'm on now.", "phone"),  # no number is coming
        ("Use this number.", "phone"),
        ("I don't have a mobile.", "phone"),
        ("Why do you need it?", "phone"),
        ("Thank you very much.", "phone"),  # a whole answer, digits or not
        ("It's under control.", "anything"),
        ("We sat under it.", "anything"),
    ],
)
def test_words_that_only_sound_like_a_number_or_name_are_not_held(
    text: str, expect: Expected
) -> None:
    assert not sounds_unfinished(text, Listening(expect=expect))


def test_a_digit_heard_as_a_word_counts_toward_a_nearly_whole_number() -> None:
    assert sounds_nearly_whole("My number is 415 555 01 for.")  # 9 of 10, the last heard "for"
    assert not sounds_nearly_whole("My number is 415 for.")
