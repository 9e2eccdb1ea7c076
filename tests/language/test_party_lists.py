"""A party counted from who is coming: every member counted, a count said outright wins."""

from __future__ import annotations

import pytest

from resvoice.language.party import parse_party_size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("me and my wife and our two kids would like to come in Saturday at six", 4),
        ("my husband and I", 2),
        ("me, my wife and our 3 children", 5),
        ("me and three friends", 4),
        ("my husband, my parents and I", 4),
        ("it'll be me, my boss and two clients", 4),
        ("my wife and I plus the baby", 3),
        ("just me and my daughter", 2),
        ("me and my mum", 2),
    ],
)
def test_a_listed_party_is_counted_member_by_member(text: str, size: int) -> None:
    found = parse_party_size(text, expect_party_size=True)
    assert found is not None and found.value == size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("me and my wife, table for three", 3),
        ("for 5 people: me, my wife and 2 kids", 5),
        ("a table for 4, me and my wife and our kids", 4),
    ],
)
def test_a_count_said_outright_wins_over_the_list(text: str, size: int) -> None:
    found = parse_party_size(text)
    assert found is not None and found.value == size


@pytest.mark.parametrize(
    "text",
    [
        "a table for me and my wife and our kids",
        "booking for me and my partner and some friends",
        "my wife and I love fish",  # no booking in it
        "That works for me and I'd like to make a reservation at the restaurant",
        "Yes, that seems good for me, i want make a reservation at 11:15",
    ],
)
def test_a_list_that_cannot_be_counted_gives_no_size(text: str) -> None:
    assert parse_party_size(text) is None


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("we'd love to bring the whole family in, me and my wife and our two kids", 4),
        ("hoping to have dinner, me, my husband and my parents, Friday at 7", 4),
        ("it'll be me, my sister and her three kids coming in on Sunday", 5),
        ("we want to eat there Thursday, me and my mum", 2),
        ("my wife and I and our 3 boys would like to come for lunch", 5),
        ("It'll be me and my wife and our two kids, Thursday around six", 4),
        ("there will be me, my husband and my parents", 4),
    ],
)
def test_a_list_counts_beside_words_of_coming_to_eat(text: str, size: int) -> None:
    found = parse_party_size(text)
    assert found is not None and found.value == size


@pytest.mark.parametrize(
    "text", ["me and my wife loved the pasta", "my husband and I were there last year"]
)
def test_a_list_without_words_of_coming_to_eat_is_no_party(text: str) -> None:
    assert parse_party_size(text) is None


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Let me think, there's me, Sarah, Tom and the twins... so five.", 5),
        ("me and my wife and her parents, that makes 4 of us", 4),
    ],
)
def test_asked_how_many_the_count_a_list_ends_on(text: str, size: int) -> None:
    found = parse_party_size(text, expect_party_size=True)
    assert found is not None and found.value == size
