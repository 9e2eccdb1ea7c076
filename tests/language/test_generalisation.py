"""Phrasings the rules extractor was not written around (issue 22's kinds of failure)."""

import datetime as dt

import pytest

from resvoice.language.names import extract_name
from resvoice.language.phones import extract_phone, tail_correction
from resvoice.language.slots import extract_slots
from resvoice.language.times import parse_time

TODAY = dt.date(2026, 2, 2)  # a Monday


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It's for Jane Doe.", "Jane Doe"),
        ("The reservation's for Lucia Moretti", "Lucia Moretti"),
        ("Put it down as Okonkwo, please.", "Okonkwo"),
        ("Put it under my husband's name, Marcus Bell.", "Marcus Bell"),
        ("put it under my wife's name which is Ana de la Cruz", "Ana de la Cruz"),
        ("Harriet Vance, 503 555 0166", "Harriet Vance"),
        ("Book a table for two on Friday at 7pm for Ellis Grant", "Ellis Grant"),
        ("The last name is Szymanski, S Z Y M A N S K I", "Szymanski"),
    ],
)
def test_name_cues(text: str, name: str) -> None:
    found = extract_name(text, expect_name=False, name_open=True)
    assert found is not None and found.value == name


def test_a_spelling_that_confirms_the_name_keeps_its_apostrophe() -> None:
    found = extract_name("O'Brien, that's O B R I E N.", expect_name=True)
    assert found is not None and found.value == "O'Brien"


@pytest.mark.parametrize(
    "text",
    ["Hiya, can I get a table for two on Thursday?", "Wait, sorry, 7 pm", "Ah, okay, for 4",
     "Sounds good", "Hello, table for 2 tonight", "It's for my mom", "Lovely, yes",
     "It's for Valentine's Day", "Yeah, Friday works", "Cheers, bye"],
)  # fmt: skip
def test_fillers_greetings_and_interjections_are_never_names(text: str) -> None:
    for expect in (False, True):
        assert extract_name(text, expect_name=expect, name_open=True) is None, text


def test_a_spelled_surname_after_its_possessive_is_not_doubled() -> None:
    found = extract_name("It's S Z Y M A N S K I", expect_name=True)
    assert found is not None and found.value == "Szymanski"


@pytest.mark.parametrize(
    "text",
    ["I need a reservation for City Tavern in Long Bridge", "a table for Roscoff Restaurant",
     "book a taverna for 10 for NY", "a reservation for Pioneer Day"],
)  # fmt: skip
def test_places_after_for_are_not_names(text: str) -> None:
    assert extract_name(text, name_open=True) is None


def test_a_bare_full_name_counts_while_the_name_is_missing() -> None:
    assert extract_name("Um, Greta Lindqvist") is None
    found = extract_name("Um, Greta Lindqvist", name_open=True)
    assert found is not None and found.value == "Greta Lindqvist"


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("for five on Wednesday, eightish?", 20, 0),
        ("around seven-ish", 19, 0),
        ("Saturday at half seven?", 19, 30),
        ("half eight in the evening", 20, 30),
        ("we'd get there about quarter to eight", 19, 45),
        ("so we were hoping Friday, maybe seven thirty if you've got space", 19, 30),
    ],
)
def test_times_in_words_and_approximations(text: str, hour: int, minute: int) -> None:
    found = parse_time(text)
    assert found is not None and found.value == dt.time(hour, minute)


@pytest.mark.parametrize("text", ["half of them are vegan", "we are half 7 people", "half an hour"])
def test_half_without_an_hour_is_no_time(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Do you have anything for two on Valentine's Day at 9?", dt.date(2026, 2, 14)),
        ("Table for six a week from Friday, 7 pm", dt.date(2026, 2, 13)),
        ("Presidents' Day, 4 people", dt.date(2026, 2, 16)),
    ],
)
def test_named_days(text: str, day: dt.date) -> None:
    assert extract_slots(text, today=TODAY).date == day


def test_the_first_one_is_a_choice_not_a_date() -> None:
    assert extract_slots("the first one sounds good", today=TODAY).date is None


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("Area code 503, and then 555 0148", "+15035550148"),
        ("212, then 555, then 0123", "+12125550123"),
        ("two one two, five five five, oh triple one", "+12125550111"),
        ("six four six, double five five, zero one four two", "+16465550142"),
    ],
)
def test_phone_numbers_in_pieces(text: str, e164: str) -> None:
    found = extract_phone(text)
    assert found is not None and found.e164 == e164


@pytest.mark.parametrize("text", ["It's 555 0142", "0 7 7 0 0 9 0 0 1 2 3", "area code 503"])
def test_partial_or_foreign_digits_make_no_valid_number(text: str) -> None:
    found = extract_phone(text)
    assert found is None or found.e164 is None


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("No, the last four are 0132", "0132"),
        ("it ends in six seven eight nine", "6789"),
        ("The number ends in 8662, not 2668.", "8662"),
        ("the last four digits should be 0 1 3 2", "0132"),
    ],
)
def test_tail_corrections(text: str, tail: str) -> None:
    assert tail_correction(text) == tail


def test_a_partial_number_said_alone_is_still_heard_as_a_number() -> None:
    ex = extract_slots("It's 555 0142", today=TODAY, expecting=frozenset({"name"}))
    assert ex.phone == "5550142"  # captured by the notepad only when valid: asked for again


@pytest.mark.parametrize(
    ("text", "day"),
    [("yo need a table sat, 4 ppl", dt.date(2026, 2, 7)), ("on fri at 7", dt.date(2026, 2, 6)),
     ("next wed", dt.date(2026, 2, 11)), ("sun at 6", dt.date(2026, 2, 8))],
)  # fmt: skip
def test_short_day_names(text: str, day: dt.date) -> None:
    assert extract_slots(text, today=TODAY).date == day


@pytest.mark.parametrize("text", ["we sat down at 7", "the sun was out", "I sat, waiting"])
def test_short_day_names_that_are_words(text: str) -> None:
    assert extract_slots(text, today=TODAY).date is None


def test_digits_glued_to_a_word_are_not_part_of_the_number() -> None:
    found = extract_phone("under Caller Number12, 646 555 0142")
    assert found is not None and found.e164 == "+16465550142"
