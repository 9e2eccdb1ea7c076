"""Requests about an existing booking, in many callers' words, win over a new booking and over
policy questions; spoken confirmation codes and delays are read from speech."""

from __future__ import annotations

import pytest

from resvoice.agent.booking_intents import booking_intent, late_minutes, no_text_wanted
from resvoice.agent.intents import classify
from resvoice.language.codes import code_in, spell_code, spell_code_phonetic


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("hi, I booked a table for Friday under Miller and I need to cancel it", "cancel"),
        ("I need to cancel my booking under Miller for Friday", "cancel"),
        ("we have a reservation on Saturday but can't make it anymore, please cancel", "cancel"),
        ("Could you cancel our table for tonight?", "cancel"),
        ("I'd like to call off my reservation", "cancel"),
        ("Can I move my reservation to 8pm?", "move"),
        ("I need to reschedule my booking", "move"),
        ("is it possible to push our table back half an hour", "move"),
        ("about our booking on Thursday, could we come at 8 instead of 7?", "move"),
        ("I'd like to change the date of my reservation", "move"),
        ("I have a reservation on Friday, can we add two more people?", "party"),
        ("we'll be six now instead of four for our booking", "party"),
        ("can I change the number of people on my reservation", "party"),
        ("can you add a note to my booking that it's my wife's birthday", "note"),
        ("what time is my booking?", "check"),
        ("when is our reservation again", "check"),
        ("do I have a reservation this weekend?", "check"),
        ("could you confirm my reservation for Sunday", "check"),
        ("I'd like to know what time my table is tomorrow", "check"),
        ("could you check if my reservation for Saturday is still on?", "check"),
        ("I want to change the time of my reservation", "move"),
        ("can we change our Saturday reservation from 7 to 7:30?", "move"),
        ("Hi, it's Maria, we booked for Sunday, one person can't come so we'll be 3", "party"),
        (
            "can we make our reservation for 6 people instead of 4?",
            "party",
        ),  # a new head count, not a new time
        ("we have a reservation on Saturday, can we get a table by the window?", "note"),
        ("we're running about 20 minutes late", "late"),
        ("we're stuck in traffic, we'll be late for our table", "late"),
        ("Hi, running a little behind for our 7 o'clock", "late"),
    ],
)
def test_management_requests_win_over_booking_and_policy(text: str, action: str) -> None:
    intent = booking_intent(text)
    assert intent is not None and intent.action == action and intent.is_request
    found = classify(text).found
    assert "manage" in found and not found & {"book", "policy", "availability"}


@pytest.mark.parametrize(
    "text",
    [
        "What is your cancellation policy?",
        "I'd like to book a table for 4 on Saturday",
        "Do you have a table for two tonight?",
        "table for two please",
        "can I make a reservation for Friday at 7",
        "What happens if we arrive late?",
        "Is there a deposit for large parties?",
        "Can I bring my dog to my reservation tomorrow?",
    ],
)
def test_new_bookings_and_questions_are_not_management(text: str) -> None:
    assert "manage" not in classify(text).found


def test_a_question_about_a_booking_they_have_is_not_a_new_booking() -> None:
    assert "book" not in classify("Can I bring my dog to my reservation tomorrow?").found
    assert "book" in classify("I'd like to make a reservation for Friday").found
    assert "book" in classify("we have a reservation on Friday and want a new booking").found


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("about twenty minutes late", 20),
        ("we'll be 15 mins late", 15),
        ("half an hour late, sorry", 30),
        ("maybe a quarter of an hour late", 15),
        ("running late", None),
    ],
)
def test_late_minutes(text: str, minutes: int | None) -> None:
    assert late_minutes(text) == minutes


def test_no_text_wanted() -> None:
    assert no_text_wanted("and no need to text me")
    assert no_text_wanted("please don't send me a text")
    assert not no_text_wanted("can you text me the address")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my code is K7MPA3", "K7MPA3"),
        ("it's k 7 m p a 3", "K7MPA3"),
        ("kilo seven mike papa alpha three", "K7MPA3"),
        ("K as in kilo, 7, M as in Mike, P, A, 3", "K7MPA3"),
        ("confirmation k7m pa3 for friday", "K7MPA3"),
        ("my father booked it", None),
        ("a table for four on Friday", None),
        ("It's under Mehta and the number is 917 555 0117", None),
    ],
)
def test_codes_heard_in_speech(text: str, expected: str | None) -> None:
    assert code_in(text) == expected


def test_codes_said_back_letter_by_letter() -> None:
    assert spell_code("K7MPA3") == "K, 7, M, P, A, 3"
    assert spell_code_phonetic("K7") == "K as in Kilo, 7"
