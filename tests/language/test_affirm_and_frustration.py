"""Yes without the word, and frustration in the caller's own words."""

import pytest

from resvoice.language.affirm import accepts_caller_id, is_yes
from resvoice.language.frustration import frustration_points


@pytest.mark.parametrize(
    "text",
    ["go ahead", "That's the one", "Lovely, yes", "sounds great", "perfect, thanks",
     "yep, book it", "fine by me", "Brilliant", "Connect.", "Corrects."],
)  # fmt: skip
def test_yes_without_the_word(text: str) -> None:
    assert is_yes(text)


@pytest.mark.parametrize(
    "text",
    ["no, that's wrong", "not quite", "actually, change the time", "wait", "the other one",
     "can I have a different day", "I can't connect to your website",
     "collect it from the bar"],
)  # fmt: skip
def test_no_or_change_is_never_yes(text: str) -> None:
    assert not is_yes(text)


@pytest.mark.parametrize(
    "text",
    ["The number I'm calling on is fine", "the one I'm calling from works", "use this number",
     "same number", "yes, that's the best one", "this number is fine"],
)  # fmt: skip
def test_caller_id_accepted(text: str) -> None:
    assert accepts_caller_id(text)


@pytest.mark.parametrize("text", ["no, use 646 555 0142", "not this number", "no"])
def test_caller_id_refused(text: str) -> None:
    assert not accepts_caller_id(text)


@pytest.mark.parametrize(
    ("text", "at_least"),
    [
        ("oh forget it", 3),
        ("I give up", 3),
        ("this is useless", 2),
        ("you're no help", 2),
        ("I've called three times already", 2),
        ("I got cut off last time", 2),
        ("you don't understand", 2),
    ],
)
def test_frustration_words(text: str, at_least: int) -> None:
    assert frustration_points(text) >= at_least


@pytest.mark.parametrize(
    "text",
    [
        "can I book a table",
        "I'll forget my head",
        "what time do you close",
        "useful",
        "I called earlier and booked a table for Friday",
        "I called before about my booking",
    ],
)
def test_calm_words(text: str) -> None:
    assert frustration_points(text) == 0
