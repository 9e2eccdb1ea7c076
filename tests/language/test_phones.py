"""Phone numbers written or spoken, E.164 when valid."""

import pytest

from resvoice.language.phone_validity import (
    national_digits,
    national_format,
    region_of,
    valid_e164,
)
from resvoice.language.phones import extract_phone


@pytest.mark.parametrize(
    ("text", "digits", "e164"),
    [
        ("five five five one two three four five six seven", "5551234567", "+15551234567"),
        ("555 123 4567", "5551234567", "+15551234567"),
        ("(555) 123-4567", "5551234567", "+15551234567"),
        ("call me at 415-555-0134 thanks", "4155550134", "+14155550134"),
        ("six five oh, two five three, seven eight nine oh", "6502537890", "+16502537890"),
        ("four one five, double five five, oh one thirty four", "4155550134", "+14155550134"),
        ("+44 20 7946 0958", "+442079460958", "+442079460958"),
        (
            "plus four four two oh seven nine four six oh nine five eight",
            "+442079460958",
            "+442079460958",
        ),
        ("one eight hundred five five five one two one two", "18005551212", "+18005551212"),
        ("it's 6502537890", "6502537890", "+16502537890"),
    ],
)
def test_extract_phone(text: str, digits: str, e164: str | None) -> None:
    found = extract_phone(text)
    assert found is not None, text
    assert found.digits == digits
    assert found.e164 == e164
    assert found.value == (e164 or digits)


def test_region_applies_without_country_code() -> None:
    found = extract_phone("020 7946 0958", region="GB")
    assert found is not None and found.e164 == "+442079460958"


@pytest.mark.parametrize(
    "text",
    [
        "table for 2 at 7 30 on 3 14",
        "party of seven at seven thirty on March 14th",
        "oh oh oh",
        "2019-03-14 at 19:30",
        "we are 4",
    ],
)
def test_not_phones(text: str) -> None:
    assert extract_phone(text) is None


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("+1 555 010 0200", "US"),
        ("+44 20 7946 0321", "GB"),
        ("+61 2 9876 5432", "AU"),
        ("+33 1 23 45 67 89", "FR"),
        ("not a number", None),
        ("020 7946 0321", None),
    ],
)
def test_region_of_an_international_number(number: str, region: str | None) -> None:
    assert region_of(number) == region


@pytest.mark.parametrize(
    ("e164", "spoken"),
    [
        ("+447700900123", "07700 900123"),
        ("+442079460321", "020 7946 0321"),
        ("+33612345678", "06 12 34 56 78"),
    ],
)
def test_a_foreign_number_is_read_back_as_its_country_writes_it(e164: str, spoken: str) -> None:
    assert national_format(e164) == spoken


def test_uk_drama_mobiles_are_kept_like_the_555_numbers() -> None:
    assert valid_e164("07700 900123", "GB") == "+447700900123"
    assert valid_e164("07700 901123", "GB") is None  # outside the drama range: not a number
    assert extract_phone("my mobile is 07700 900456", "GB") is not None


@pytest.mark.parametrize(("region", "digits"), [("US", 10), ("CA", 10), ("GB", 11), ("IE", 10)])
def test_a_whole_number_is_as_long_as_its_country_says(region: str, digits: int) -> None:
    assert national_digits(region) == digits


def test_a_region_no_one_knows_gets_the_default_length() -> None:
    assert national_digits("XX") == 10
    assert national_digits("XX", default=11) == 11


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("07700 900 482, it's a UK mobile", "+447700900482"),
        ("my Irish number is 087 123 4567", "+353871234567"),
        ("020 7946 0958, I'm calling from England", "+442079460958"),
    ],
)
def test_a_number_whole_in_the_country_the_caller_names_is_read_there(text: str, e164: str) -> None:
    import datetime as dt

    from resvoice.language.slots import extract_slots

    found = extract_slots(text, today=dt.date(2026, 2, 2), expecting=frozenset({"phone"}))
    assert found.phone == e164


def test_a_country_named_does_not_move_a_number_whole_at_home() -> None:
    import datetime as dt

    from resvoice.language.phones import region_named
    from resvoice.language.slots import extract_slots

    text = "it's 646 555 0123, I'm English but this is my US cell"
    assert region_named("call us on 646 555 0123") is None  # "us" is no country
    found = extract_slots(text, today=dt.date(2026, 2, 2), expecting=frozenset({"phone"}))
    assert found.phone == "+16465550123"


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("no wait, the last bit is 0132", "0132"),
        ("the last part should be 4 5", "45"),
        ("last digits are 9 9", "99"),
        ("the last few numbers are 017", "017"),
    ],
)
def test_an_ending_corrected_in_everyday_words(text: str, digits: str) -> None:
    from resvoice.language.phones import tail_correction

    assert tail_correction(text) == digits
