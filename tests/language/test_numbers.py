"""Number words, ordinals, the digit rewriter and party sizes."""

import pytest

from resvoice.language.numbers import parse_number, parse_ordinal, words_to_digits
from resvoice.language.party import parse_party_size


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("four", 4),
        ("twenty two", 22),
        ("twenty-two", 22),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("couple", 2),
        ("a couple of", 2),
        ("12", 12),
        ("one hundred and five", 105),
        ("Eleven", 11),
    ],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["third", "hello", "", "four people", "7pm"])
def test_parse_number_refuses_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("third", 3),
        ("twenty-first", 21),
        ("twenty first", 21),
        ("21st", 21),
        ("1st", 1),
        ("twelfth", 12),
        ("thirtieth", 30),
        ("thirty-first", 31),
    ],
)
def test_parse_ordinal(text: str, value: int) -> None:
    assert parse_ordinal(text) == value


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("twenty two people", "22 people"),
        ("seven thirty", "7 30"),
        ("on the twenty-first", "on the 21st"),
        ("a dozen of us", "12 of us"),
        ("wait a second", "wait a second"),
        ("first, can I ask", "first, can I ask"),
        ("the second of May", "the 2nd of May"),
        ("March first", "March 1st"),
        ("five five five", "5 5 5"),
        ("nothing here", "nothing here"),
    ],
)
def test_words_to_digits(text: str, rewritten: str) -> None:
    assert words_to_digits(text) == rewritten


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("party of four", 4),
        ("for 4 people", 4),
        ("table for two please", 2),
        ("just the two of us", 2),
        ("we are 5", 5),
        ("there will be six of us", 6),
        ("2 adults and 2 kids", 4),
        ("reservation for 3 at Golden Garlic", 3),
        ("can you book it for 3", 3),
        ("just me", 1),
        ("I'm the only one going", 1),
        ("a table for a dozen", 12),
        ("me and my wife would like a table", 2),
        ("the number of people is 2", 2),
        ("for one person", 1),
    ],
)
def test_party_size(text: str, size: int) -> None:
    found = parse_party_size(text)
    assert found is not None
    assert found.value == size


@pytest.mark.parametrize(
    "text",
    [
        "for 7:30",
        "for 7pm",
        "for 12:45",
        "for the 5th",
        "for 6 in the evening",
        "in a couple of days",
        "look for one in Windsor",
        "search for one nice place",
        "four",
        "my wife and I love fish",
    ],
)
def test_party_size_negatives(text: str) -> None:
    assert parse_party_size(text) is None


def test_bare_number_is_party_size_only_when_asked() -> None:
    assert parse_party_size("four") is None
    found = parse_party_size("um, four please", expect_party_size=True)
    assert found is not None and found.value == 4


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for 6, 5, 5, 5, 0, 1, 7, 5.",  # "four six" heard "for 6"
        "Yes, for 2, 1 2, 5 5 5, 0 1 9 9",
        "it's for 9-1-7-5-5-5-0-1-2-3",
    ],
)
def test_for_and_a_digit_that_starts_a_phone_number_is_no_head_count(text: str) -> None:
    assert parse_party_size(text) is None


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("a table for 4, 5 5 5 0 1 7 5", 4),  # a table for: a head count whatever follows
        ("for 3, 555 0123", 3),  # the number after is a group or two, not a run of digits
        ("for 2, 7pm, 646 555 0175", 2),
    ],
)
def test_a_head_count_before_a_phone_number_stays(text: str, size: int) -> None:
    found = parse_party_size(text)
    assert found is not None and found.value == size


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("that's the one", "that's the one"),
        ("That's all, have a good one", "That's all, have a good one"),
        ("which one is vegan?", "which one is vegan?"),
        ("the one o'clock slot", "the 1 o'clock slot"),  # a clock time
        ("just the one", "just the 1"),  # a head count
        ("one of us can't come", "1 of us can't come"),
        ("a table for one", "a table for 1"),
    ],
)
def test_one_standing_for_a_thing_is_no_number(text: str, written: str) -> None:
    assert words_to_digits(text) == written
