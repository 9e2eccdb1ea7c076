"""Phone numbers written or spoken, E.164 when valid."""

import pytest

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
