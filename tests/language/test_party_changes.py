"""A head count change for a booking that exists, and why a guest dropping out is no cancel."""

from __future__ import annotations

import pytest

from resvoice.language.party_changes import (
    changes_head_count,
    mentions_party_change,
    new_party_size,
    someone_else_drops_out,
)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("one of our group can't make it, so it'll just be four of us", 4),
        ("my sister can't come anymore so we're down to four", 4),
        ("one person dropped out, can you make it four?", 4),
        ("one of us won't be able to make it, so just four people now", 4),
        ("my husband can't make it, can you take one person off?", 4),
        ("we lost one, so a table for four please instead", 4),
        ("someone in our party can't join us, it'll only be 4", 4),
        ("one of my friends cancelled on me, so we only need a table for four", 4),
        ("we'll be one less", 4),
        ("we're going to be one person short", 4),
        ("it's four of us, not five", 4),
        ("could you change it from five to four? somebody dropped out", 4),
        ("knock it down to 4 people", 4),
        ("one fewer please", 4),
        ("my dad's not coming so there'll be four of us", 4),
        ("we're one down - four people now", 4),
        ("make it for 4 instead of 5, my friend had to drop out", 4),
        ("my brother-in-law won't be able to join us", 4),
        ("two of our friends can't make it, so it's three of us", 3),
        ("my cousin is joining us, so we'll be six", 6),
        ("can we add one more person?", 6),
        ("could you add another guest", 6),
        ("my friends can't come", None),  # how many is not said: the agent asks
    ],
)
def test_new_party_size(text: str, size: int | None) -> None:
    assert new_party_size(text, 5) == size
    if size is not None:
        assert mentions_party_change(text)


@pytest.mark.parametrize(
    "text",
    [
        "we can't make it on Saturday",
        "I can't come anymore, please cancel",
        "sorry, we won't be able to come",
        "none of us can make it",
        "my wife and I can't make it",
        "can I move it to 8",
        "move it from 7 to 8",
        "we will be there at 8",
        "make it 8 pm",
        "it is 415 555 0142",
    ],
)
def test_the_whole_group_or_no_count_is_no_head_count_change(text: str) -> None:
    assert not mentions_party_change(text)
    assert not someone_else_drops_out(text)


def test_a_count_for_a_new_booking_changes_no_count() -> None:
    assert mentions_party_change("we'll be four")
    assert not changes_head_count("we'll be four")
    assert changes_head_count("one of us can't come")
    assert changes_head_count("four of us instead of five")


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("my mum's coming too now", 5),
        ("my brother's joining us as well", 5),
        ("my in-laws're coming along", 6),
        ("my sister will come along as well", 5),
        ("my dad'll come too", 5),
        ("my husband wants to come too", 5),
        ("our neighbour's tagging along", 5),
    ],
)
def test_someone_joining_said_with_a_contraction_adds_them(text: str, size: int) -> None:
    assert changes_head_count(text)
    assert new_party_size(text, 4) == size


@pytest.mark.parametrize("text", ["my mum's lovely", "my dad'll call you back", "my sister's here"])
def test_a_family_word_without_joining_changes_no_count(text: str) -> None:
    assert not changes_head_count(text)
    assert new_party_size(text, 4) is None


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Can we change our booking to six people, sorry no, five people", 5),
        ("we'll be six, no, five", 5),
        ("make it 6 people, I mean 5", 5),
        ("make it six, actually make it seven", 7),
        ("we're 4 now. Oh wait, 3", 3),
        ("we'll be 5, sorry for the hassle", 5),  # an apology, not a correction
    ],
)
def test_a_count_corrected_in_the_same_breath_is_the_later_one(text: str, size: int) -> None:
    assert new_party_size(text, 4) == size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Hi, can I add my sister to our Sunday booking?", 5),
        ("we'd like to bring my dad too", 5),
        ("could you squeeze in my parents?", 6),
        ("can we add our neighbour", 5),
        ("Our booking is for four, but it'll just be me and my husband now", 2),
        ("it's only going to be me and my wife", 2),
        ("just me and my parents then", 3),
    ],
)
def test_who_is_added_or_left_is_counted(text: str, size: int) -> None:
    assert changes_head_count(text)
    assert new_party_size(text, 4) == size


@pytest.mark.parametrize(
    "text", ["bring my husband's cake", "I want to bring my dog", "can I add my friends"]
)
def test_no_count_is_made_up(text: str) -> None:
    assert new_party_size(text, 4) is None


@pytest.mark.parametrize(
    ("text", "current", "size"),
    [
        ("my sister's joining us", 2, 3),
        ("my dad's joining us after all", 4, 5),
        ("my cousin's coming along", 3, 4),
    ],
)
def test_a_joiner_with_a_contracted_is(text: str, current: int, size: int) -> None:
    assert changes_head_count(text)
    assert new_party_size(text, current) == size


@pytest.mark.parametrize(
    "text", ["yep that's the one", "That's the one, yes.", "this one please", "the same one"]
)
def test_one_that_stands_for_a_thing_is_no_head_count(text: str) -> None:
    from resvoice.language.party_changes import mentions_party_change, new_party_size

    assert not mentions_party_change(text) and new_party_size(text, 2) is None


@pytest.mark.parametrize(
    "text",
    ["it's 1 now", "it'll just be one now", "we're down to one", "so it's just the one of us now"],
)
def test_one_person_said_outright_is_still_the_count(text: str) -> None:
    from resvoice.language.party_changes import new_party_size

    assert new_party_size(text, 2) == 1
