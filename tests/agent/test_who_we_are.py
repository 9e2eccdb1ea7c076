"""A caller checking they rang the right place hears the restaurant's name, not a dish."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.brains.rules.who_we_are import asked_besides, asks_who_we_are
from resvoice.agent.clock import FixedClock
from resvoice.agent.events import SessionEvent, TurnCompleted
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)


@pytest.mark.parametrize(
    "text",
    [
        "Hello? Is this the restaurant? Olive and something?",
        "Hi, is this Olive and Ember?",
        "Am I speaking to Olive & Ember?",
        "Have I reached the restaurant on Harbor Street?",
        "Olive and something?",
        "Is this the right number for the restaurant?",
    ],
)
def test_checking_the_number_is_asking_who_we_are(runtime: Runtime, text: str) -> None:
    assert asks_who_we_are(runtime.profile, text)


@pytest.mark.parametrize(
    "text",
    [
        "Do you have olives?",
        "What's in the marinated olives?",
        "Is this dish spicy?",
        "Is that the vegan one?",
        "I'd like olives and bread",
    ],
)
def test_a_menu_question_is_not_asking_who_we_are(runtime: Runtime, text: str) -> None:
    assert not asks_who_we_are(runtime.profile, text)
    assert not asks_who_we_are(runtime.profile, text, opening=True)


@pytest.mark.parametrize(
    "text",
    [
        "Hi, is this all in November? Do you have parking?",  # the name as a recogniser heard it
        "Hello, is this Giovanni's?",
        "Yes hi, am I talking to the bistro on the corner?",
        "Hello, is this Marco's on Fifth?",
    ],
)
def test_opening_words_asking_who_answered_are_answered_with_our_name(
    runtime: Runtime, text: str
) -> None:
    """The first thing a caller says: any "is this ...?" checks the number they rang."""
    assert asks_who_we_are(runtime.profile, text, opening=True)
    assert not asks_who_we_are(runtime.profile, text)  # later in a call it asks something else


async def test_the_host_names_the_restaurant_without_a_yes_when_not_named(
    runtime: Runtime,
) -> None:
    answer = await reply(runtime, "Hi, is this all in November? Do you have parking?")
    assert answer.startswith("This is Olive & Ember.") and "parking" in answer.lower()


async def test_first_words_not_understood_get_the_restaurant_named(runtime: Runtime) -> None:
    first = await reply(runtime, "The law is the best run, not even something.")
    assert "Olive & Ember" in first and "didn't catch" in first
    later = await reply(runtime, "Hi there.", "The law is the best run, not even something.")
    assert "Olive & Ember" not in later and "didn't catch" in later


async def reply(runtime: Runtime, *texts: str) -> str:
    s = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    answer = ""
    for text in texts:
        events: list[SessionEvent] = [event async for event in s.turn(text)]
        answer = next(e.reply for e in events if isinstance(e, TurnCompleted))
    return answer


async def test_the_host_says_who_they_are_not_a_dish(runtime: Runtime) -> None:
    answer = await reply(runtime, "Hello? Is this the restaurant? Olive and something?")
    assert "Olive & Ember" in answer and "Marinated" not in answer
    assert "How can I help" in answer


async def test_a_booking_in_the_same_breath_goes_on(runtime: Runtime) -> None:
    answer = await reply(runtime, "Is this Olive and Ember? I'd like to book a table for two")
    assert "Olive & Ember" in answer and "How can I help" not in answer
    assert "day" in answer.lower()


@pytest.mark.parametrize(
    ("text", "besides"),
    [
        ("Is this Olive and Ember? Do you have parking?", "Do you have parking?"),
        (
            "Hi. Am I speaking to Olive & Ember? What's in the calamari?",
            "Hi. What's in the calamari?",
        ),
        ("Is this the restaurant? Olive and something? Can I bring my dog?", "Can I bring my dog?"),
        ("Is this Olive and Ember? Great.", ""),  # nothing else asked
        ("Is this the restaurant? I'd like a table for two.", ""),  # a request, not a question
    ],
)
def test_what_is_asked_besides_who_we_are(runtime: Runtime, text: str, besides: str) -> None:
    assert asked_besides(runtime.profile, text) == besides


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        ("Is this Olive and Ember? Do you have parking?", "parking"),
        ("Am I speaking to Olive and Ember? What's in the calamari?", "squid"),
        ("Is this the restaurant? Can I bring my dog?", "patio"),
    ],
)
async def test_a_question_after_who_we_are_is_answered_too(
    runtime: Runtime, text: str, answered: str
) -> None:
    answer = await reply(runtime, text)
    assert answer.startswith("Yes, this is Olive & Ember.")
    assert answered in answer and "How can I help" not in answer
