"""Caller names: cued, leading, bare when asked, spelled."""

import pytest

from resvoice.language.names import NameMatch, extract_name, spelled_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my name is John Smith", "John Smith"),
        ("my name is john smith and I want a table", "John Smith"),
        ("this is Maria", "Maria"),
        ("it's under Smith", "Smith"),
        ("under the name Garcia", "Garcia"),
        ("name's Li Wei", "Li Wei"),
        ("John Smith, party of four, Saturday at seven", "John Smith"),
        ("I'm Maria, table for 2", "Maria"),
        ("the last name is O'Brien", "O'Brien"),
    ],
)
def test_cued_names(text: str, name: str) -> None:
    found = extract_name(text)
    assert found is not None, text
    assert found.value == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("John Smith", "John Smith"),
        ("john smith", "John Smith"),
        ("It's Garcia", "Garcia"),
        ("sure, it's Priya", "Priya"),
        ("S M I T H", "Smith"),
        ("S-M-I-T-H", "Smith"),
        ("Smith, S M I T H", "Smith"),
    ],
)
def test_names_when_asked(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None, text
    assert found.value == name


@pytest.mark.parametrize("text", ["John Smith", "S M I T H", "It's Garcia"])
def test_bare_names_need_the_question(text: str) -> None:
    assert extract_name(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Saturday, at 7",
        "Yes, table for two",
        "Hi, I'd like a table",
        "Actually, make it five",
        "I am looking for a table",
        "yes",
        "hi",
        "actually",
        "four",
        "Saturday",
        "table",
        "under 50 dollars",
        "Can I get a table at 6 p.m. for 2",
    ],
)
def test_never_names(text: str) -> None:
    assert extract_name(text) is None
    assert extract_name(text, expect_name=True) is None


def test_a_spelling_the_recogniser_joined_to_the_name_is_weighed_not_kept() -> None:
    # Whisper writes a name and its spelling as one phrase ("Rossy R-O-S-S-I")
    assert extract_name("It's Rossy R-O-S-S-I.", expect_name=True) == NameMatch(
        "Rossi", "R-O-S-S-I", spelled=True
    )
    heard = extract_name("It's Maria Garcea G-A-R-C-I-A", expect_name=True)
    assert heard is not None and heard.value == "Maria Garcia"
    same = extract_name("No, the name is Sam Lee, L-E-E.", expect_name=True)
    assert same is not None and same.value == "Sam Lee"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Yeah it's Siobhan, S I O B H A N, Kelly.", "Siobhan Kelly"),
        ("It's Aoife, A O I F E, Brennan", "Aoife Brennan"),
        ("Niamh, that's N I A M H, O'Connor", "Niamh O'Connor"),
        ("Siobhan Kelly, that's K E L L Y", "Siobhan Kelly"),
    ],
)
def test_a_name_spelled_in_the_middle_keeps_the_words_after_the_spelling(
    text: str, name: str
) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None
    assert found.value == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("No, the name is Sam Lee, L, double E.", "Sam Lee"),
        ("Lee, L double E", "Lee"),
        ("It's Hall, H, A, double L", "Hall"),
        ("Moore, M, double O, R, E", "Moore"),
        ("Kessler, K, E, double S, L, E, R", "Kessler"),
    ],
)
def test_a_doubled_letter_said_as_double_is_spelled_twice(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


def test_double_before_a_digit_is_no_letter() -> None:
    assert spelled_name("my number is 5 5 5, double 0, 1 2") is None


@pytest.mark.parametrize(
    ("text", "expect", "name"),
    [
        ("Mrs. Dorothy Abernathy.", True, "Dorothy Abernathy"),
        ("mr john smith", True, "John Smith"),
        ("The name is Mr. Alan Grant", False, "Alan Grant"),
        ("Miss Jane Marple", True, "Jane Marple"),
        ("It's Dr Okafor", True, "Okafor"),
        ("Put it under Professor Ines Duarte", False, "Ines Duarte"),
    ],
)
def test_a_title_before_a_name_is_not_kept(text: str, expect: bool, name: str) -> None:
    found = extract_name(text, expect_name=expect)
    assert found is not None and found.value == name


@pytest.mark.parametrize("text", ["I'll miss it", "Sorry, I'd miss the start"])
def test_words_that_look_like_titles_alone_are_no_name(text: str) -> None:
    assert extract_name(text, expect_name=True) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Patel. Raj Patel.", "Raj Patel"),
        ("Bond. James Bond.", "James Bond"),
        ("Okafor. Ruth Okafor.", "Ruth Okafor"),
        ("Smith. John Smith", "John Smith"),
    ],
)
def test_a_surname_then_the_whole_name_is_the_whole_name(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


def test_two_different_names_are_not_joined() -> None:
    found = extract_name("Patel. Raj Singh.", expect_name=True)
    assert found is None or found.value != "Raj Singh Patel"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It's Liam O'Neill, O apostrophe N E I L L", "Liam O'Neill"),
        ("Mary Smith-Jones, S M I T H hyphen J O N E S", "Mary Smith-Jones"),
        ("Dan O'Brien, that's O, apostrophe, B R I E N", "Dan O'Brien"),
    ],
)
def test_a_spoken_apostrophe_or_hyphen_in_a_spelling_confirms_the_name(
    text: str, name: str
) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It's spelled, kay, E, A, T, S.", "Keats"),  # K written as the word it sounds like
        ("B, are, oh, W, N", "Brown"),
        ("The name is Price, pee, R, eye, C, E.", "Price"),
        ("It's Tran, tee, R, A, N.", "Tran"),
        ("Jay, O, N, E, S", "Jones"),
    ],
)
def test_letters_written_as_words_inside_a_spelling_are_letters(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


@pytest.mark.parametrize(
    "text",
    [
        "Oh hi, are you there?",  # short words, no spelling
        "Why are you asking, see you at 8",
        "Hey, oh, are you open on Sunday?",
        "I see, we are four, A or B is fine",  # one letter that is no word: no spelling
    ],
)
def test_short_words_outside_a_spelling_are_left_as_words(text: str) -> None:
    from resvoice.language.names import spelled_name

    assert spelled_name(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The name is SMITH.", "Smith"),  # the recogniser's capitals, not the caller's
        ("It's JOHN SMITH", "John Smith"),
        ("No, the name is WU, not a WU.", "Wu"),  # a short listed name in capitals
        ("it's under LI", "Li"),
        ("It's McDonald", "McDonald"),  # a capital inside a name stays
    ],
)
def test_names_written_in_capitals_are_names_in_title_case(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


@pytest.mark.parametrize("text", ["under NY", "the name is TV", "it's under AM"])
def test_a_short_abbreviation_in_capitals_is_still_no_name(text: str) -> None:
    assert extract_name(text, expect_name=True) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("it's Lorenzo. Lorenzo Bianchi", "Lorenzo Bianchi"),  # first name, then the whole
        ("Maria. Maria Lopez.", "Maria Lopez"),
        ("Patel. Raj Patel.", "Raj Patel"),  # surname, then the whole
    ],
)
def test_part_of_a_name_then_the_whole_name_is_the_whole_name(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


def test_part_of_a_name_then_the_whole_name_after_a_comma_is_the_whole_name() -> None:
    found = extract_name("great. name is Okoye, Chidi Okoye", expect_name=True)
    assert found is not None and found.value == "Chidi Okoye"
    found = extract_name("Smith, party of four", expect_name=True)
    assert found is not None and found.value == "Smith"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("No, my name is Marcus Mel, B, E, dumbbell.", "Marcus Bell"),  # "double L"
        ("It's Hall, H, A, Dumble, L", "Hall"),
        ("The name is Russo, R, U, dubble S, O", "Russo"),
        ("It's Moretti, M, O, R, E, double T, I", "Moretti"),
    ],
)
def test_double_as_the_recogniser_writes_it_in_a_spelling_doubles_the_letter(
    text: str, name: str
) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name


def test_double_before_a_word_is_no_spelling() -> None:
    assert extract_name("I need a double room, a double table", expect_name=True) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("book me in for four on thursday at 6:30, Rachel Green, 917 555 0144", "Rachel Green"),
        ("for 3 at 7, Sarah Jane Smith, 917 555 0101", "Sarah Jane Smith"),
        ("Saturday at 8; Omar Haddad; party of 2", "Omar Haddad"),
    ],
)
def test_a_name_as_one_item_of_a_list_of_details_is_the_name(text: str, name: str) -> None:
    found = extract_name(text, name_open=True)
    assert found is not None and found.value == name


@pytest.mark.parametrize(
    "text",
    [
        "Table for 2, Friday, Grand Central, thanks",
        "for two on Friday, Mark Twain Street",
        "for 2 on Friday, New York",
        "we are coming Friday, Happy Birthday, thanks",
    ],
)
def test_places_and_greetings_in_a_list_are_no_name(text: str) -> None:
    assert extract_name(text, name_open=True) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("No, the name is Leo Neal, O-N-E-I, done a little-", "Leo O'Neill"),  # double L
        ("No, my name is Marcus Mel, B-E, done well.", "Marcus Bell"),
        ("It's O-C-O-N-N-O-R", "O'Connor"),  # the census writes OCONNOR
        ("Olsen, O-L-S-E-N", "Olsen"),
    ],
)
def test_double_l_as_whisper_writes_it_and_irish_o_names(text: str, name: str) -> None:
    found = extract_name(text, expect_name=True)
    assert found is not None and found.value == name
