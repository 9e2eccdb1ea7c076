"""What counts as a yes: agreement in any words, and not a goodbye that sounds like one."""

from __future__ import annotations

import pytest

from resvoice.language.affirm import is_yes


@pytest.mark.parametrize("text", ["ya, go ahead", "Yeah, see you then", "Connect.", "go for it"])
def test_a_yes_in_any_words(text: str) -> None:
    assert is_yes(text)


@pytest.mark.parametrize("text", ["See ya!", "see you", "no thanks"])
def test_a_goodbye_or_a_no_is_no_yes(text: str) -> None:
    assert not is_yes(text)
