"""Booking words as Whisper mishears them are read as meant, only inside their phrase."""

from __future__ import annotations

import pytest

from resvoice.agent.intents import classify
from resvoice.language.misheard import as_meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("Hi, I'd like to work a table.", "Hi, I'd like to book a table."),
        ("Yes, please work it.", "Yes, please book it."),
        ("Perfect. Walk it.", "Perfect. Book it."),
        (
            "I need to cancel my renovation for Friday.",
            "I need to cancel my reservation for Friday.",
        ),
        ("Hi, I have a reformation on Friday.", "Hi, I have a reservation on Friday."),
        ("Please cancel my working.", "Please cancel my booking."),
        ("Hi, I'd like to change my working", "Hi, I'd like to change my booking"),
        (
            "I need to change something on my Saturday working.",
            "I need to change something on my Saturday booking.",
        ),
        ("Hello, I have renovation. I want change.", "Hello, I have reservation. I want change."),
        (
            "Can I add 2 more people to my book in on Sunday?",
            "Can I add 2 more people to my booking on Sunday?",
        ),
        ("we booked for Sunday. 1% can't come", "we booked for Sunday. 1 person can't come"),
        ("We are 3% Friday 8 o'clock", "We are 3 person Friday 8 o'clock"),
        ("make it 5 on us instead on 4 on Sunday", "make it 5 of us instead of 4 on Sunday"),
        ("we're gonna be late, I wanna move it", "we're going to be late, I want to move it"),
    ],
)
def test_misheard_booking_words_are_read_as_meant(heard: str, meant: str) -> None:
    assert as_meant(heard) == meant


@pytest.mark.parametrize(
    "text",
    [
        "I work at the hospital",
        "Could you look it up?",
        "Renovation works nearby?",
        "my phone is not working",
        "Is there a 5% service charge?",
        "Do you do 10% off for students?",
        "is it 2.5% of the bill",
        "a book in the shop",
    ],
)
def test_the_same_words_elsewhere_are_kept(text: str) -> None:
    assert as_meant(text) == text


def test_a_misheard_cancel_is_about_a_booking_the_caller_has() -> None:
    assert "manage" in classify(as_meant("Hi, I need to cancel my renovation for Friday."))


@pytest.mark.parametrize(
    "heard",
    [
        "Can I add 2 more people to my book in on Sunday?",
        "Hello, I have renovation. I want change, not Friday, Saturday please.",
        "Hi, it's Maria, we booked for Sunday. 1% can't come, so we'll be 3.",
    ],
)
def test_misheard_requests_about_a_booking_are_about_it(heard: str) -> None:
    assert "manage" in classify(as_meant(heard))


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("Council tomorrow.", "cancel tomorrow."),
        ("counsel our Friday booking", "cancel our Friday booking"),
        ("Higher, could we move it?", "Hiya, could we move it?"),
        ("just bringing to check our table", "just ringing to check our table"),
        ("did we look for 8?", "did we book for 8?"),
        ("could we come in our earlier", "could we come an hour earlier"),
        ("make it 6 on us", "make it 6 of us"),
        ("can you fit into more on Sunday", "can you fit in two more on Sunday"),
        ("change our Friday renovation", "change our Friday reservation"),
    ],
)
def test_words_misheard_about_a_booking_are_read_as_meant(heard: str, meant: str) -> None:
    assert as_meant(heard) == meant


@pytest.mark.parametrize(
    "text",
    [
        "The city council meeting ran late",
        "I'm bringing my dog, is that ok?",
        "Do you have higher chairs for kids?",
        "We're looking for a table",
        "put it on us, it's our treat",
    ],
)
def test_the_same_words_elsewhere_are_left_as_they_are(text: str) -> None:
    assert as_meant(text) == text
