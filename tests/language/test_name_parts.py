"""A name given in labelled parts is the whole name, first name first, in either order."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.language.dates import parse_date
from resvoice.language.names import extract_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Under Delacroix. D-E-L-A-C-R-O-I-X. First name Simone.", "Simone Delacroix"),
        ("Delacroix, first name Simone.", "Simone Delacroix"),
        ("First name Simone, last name Delacroix.", "Simone Delacroix"),
        ("My first name is Simone and my last name is Delacroix.", "Simone Delacroix"),
        ("the surname is Nguyen, first name is Linh", "Linh Nguyen"),
        ("Simone. Last name is Okafor, O-K-A-F-O-R.", "Simone Okafor"),
        ("Given name Tomasz, family name Wolski.", "Tomasz Wolski"),
        # the spelling is the labelled part as it is written, over the word as heard
        ("Simone, last name Okefer, O-K-A-F-O-R.", "Simone Okafor"),
        # a whole name said before a label stays whole
        ("Simone Delacroix, first name Simone", "Simone Delacroix"),
    ],
)
def test_labelled_parts_make_the_whole_name(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


@pytest.mark.parametrize("text", ["First name is Simone.", "what is your first name?"])
def test_one_part_alone_is_only_that_part(text: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is None or found.value == "Simone"


@pytest.mark.parametrize(
    "text",
    [
        "Oh, and the first name is Simone.",
        "It's our first date, so somewhere quiet please",
        "her first birthday",
        "my first visit actually",
    ],
)
def test_first_before_a_noun_names_no_day(text: str) -> None:
    assert parse_date(text, dt.date(2026, 12, 8)) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("yeah its uh smith john smith", "John Smith"),
        ("lorenzo lorenzo bianchi", "Lorenzo Bianchi"),
    ],
)
def test_a_part_then_the_whole_name_without_a_pause(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


def test_a_listed_first_and_last_name_unprompted_without_capitals() -> None:
    found = extract_name("ben carter", name_open=True)
    assert found is not None and found.value == "Ben Carter"
    assert extract_name("ben carter") is None  # no booking waiting for a name
    assert extract_name("sounds good", name_open=True) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Table for two on Friday at 8. The name's Bond, James Bond.", "James Bond"),
        ("I'm calling for my boss, Mr. Takahashi. A table for three tomorrow at 7.", "Takahashi"),
    ],
)
def test_a_name_while_one_is_wanted(text: str, name: str) -> None:
    found = extract_name(text, name_open=True)
    assert found is not None and found.value == name


def test_a_titled_name_when_no_name_is_wanted_is_left() -> None:
    assert extract_name("I spoke to Mr. Smith yesterday") is None
