"""Email addresses typed or read out."""

import pytest

from resvoice.language.emails import extract_email


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("john at example dot com", "john@example.com"),
        ("my email is john dot smith at gmail dot com", "john.smith@gmail.com"),
        ("it is J O H N underscore S at yahoo dot co dot uk", "john_s@yahoo.co.uk"),
        ("Sure, Jane.Doe+rest@mail.example.org.", "jane.doe+rest@mail.example.org"),
        ("email me at bob at work dot net please", "bob@work.net"),
        ("maria seven at hotmail dot com", "maria7@hotmail.com"),
        ("my email is john under score smith at gmail dot com", "john_smith@gmail.com"),
    ],
)
def test_extract_email(text: str, email: str) -> None:
    found = extract_email(text)
    assert found is not None, text
    assert found.value == email


@pytest.mark.parametrize(
    "text", ["I will be at the restaurant at 7", "meet at the park", "at 7 dot 30"]
)
def test_not_emails(text: str) -> None:
    assert extract_email(text) is None
