"""Requests about an existing booking, in many callers' words, win over a new booking and over
policy questions; spoken confirmation codes and delays are read from speech."""

from __future__ import annotations

import pytest

from resvoice.agent.booking_intents import actions, booking_intent, late_minutes, no_text_wanted
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
        (
            "we've got a table with you tonight - we're going to be about quarter of an hour late",
            "late",
        ),
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


@pytest.mark.parametrize(
    ("text", "action"),
    [
        # a guest not coming is a head count, never the booking called off
        ("one of our group can't make it on Saturday, so it'll just be four of us", "party"),
        ("my sister can't come anymore so we're down to four", "party"),
        ("Hello, someone in our party can't join us Saturday", "party"),
        ("one of my friends cancelled on me, so we only need a table for four", "party"),
        ("my dad's not coming so there'll be four of us", "party"),
        # reminders of a booking's time
        ("I forgot what time I booked for on Saturday, can you remind me?", "check"),
        ("I can't remember what time our reservation on Saturday is", "check"),
        ("what time's my booking on Saturday?", "check"),
        ("when's my saturday reservation for?", "check"),
        ("Just double-checking the time of my Saturday reservation", "check"),
        ("could you look up my reservation and tell me the time", "check"),
        # running behind, in other words than "late"
        ("we have a table at seven and we're running about twenty minutes behind", "late"),
        ("we're stuck in traffic, we'll be there around 7:20", "late"),
        ("we're stuck on the bridge", "late"),
        ("we won't get there until 7:20, sorry", "late"),
        ("we're twenty minutes out, is that ok?", "late"),
        ("I have a booking at 7, we're going to arrive about 20 minutes late", "late"),
        # moves said relative to the booking, or to another day
        ("could we push our Saturday reservation back by an hour?", "move"),
        ("could we make our Saturday booking an hour later?", "move"),
        ("can we bring it forward half an hour", "move"),
        ("can we switch our Friday dinner to Sunday instead?", "move"),
        ("Something's come up, we need to switch Friday's table to Sunday", "move"),
        ("Our Friday dinner, can we make it Sunday instead?", "move"),
        ("Could our Friday table be changed to Sunday?", "move"),
        ("I need to change something on my Saturday booking", "move"),
    ],
)
def test_requests_in_other_words(text: str, action: str) -> None:
    intent = booking_intent(text)
    assert intent is not None and intent.action == action


@pytest.mark.parametrize(
    "text",
    [
        "one of our group can't make it on Saturday, so it'll just be four of us",
        "my husband can't make it, can you take one person off the reservation?",
        "one of us won't be able to come",
        "two of our friends dropped out",
    ],
)
def test_a_guest_dropping_out_is_never_a_cancel(text: str) -> None:
    assert "cancel" not in actions(text)


@pytest.mark.parametrize(
    "text",
    [
        "we can't make it on Saturday anymore",
        "my wife and I can't make it Saturday after all, please cancel it",
        "one of us is sick so we'll have to cancel the booking",
        "please call off our booking",
    ],
)
def test_a_cancel_said_clearly_is_still_a_cancel(text: str) -> None:
    assert "cancel" in actions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi, just checking, is it still on for tonight?",
        "are we still good for Friday?",
        "we're still on for 8, right?",
        "is everything still going ahead for Saturday?",
        "did we book for seven or half seven on Tuesday? I can't remember",
        "did I book for four or five people?",
        "have we booked it for the 14th or the 15th?",
    ],
)
def test_asking_whether_a_booking_stands_is_a_check(text: str) -> None:
    intent = booking_intent(text)
    assert intent is not None and intent.action == "check" and intent.is_request
    assert "manage" in classify(text).found and "book" not in classify(text).found


@pytest.mark.parametrize(
    "text",
    ["is it still raining there?", "I'd like to book for Friday", "is the kitchen still open?"],
)
def test_still_and_book_alone_are_no_check(text: str) -> None:
    assert "check" not in actions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hello. I have reservation. I want change, not Friday, Saturday please. Same time",
        "we have booking for Friday, not seven, eight please",
        "our table, not at 7 but at 8",
        "my reservation is wrong day, not Sunday, Saturday",
    ],
)
def test_the_old_value_then_the_new_about_a_booking_is_a_move(text: str) -> None:
    intent = booking_intent(text)
    assert intent is not None and intent.action == "move" and intent.existing
    assert "manage" in classify(text).found


@pytest.mark.parametrize(
    "text",
    ["I would like a table, not tonight, tomorrow", "No, not Friday, Saturday", "not 7, 8"],
)
def test_the_old_value_then_the_new_alone_is_no_move(text: str) -> None:
    assert "move" not in actions(text)


@pytest.mark.parametrize(
    "text",
    [
        "could our Friday reservation be at 6:45 instead?",
        "can our booking be on Sunday instead?",
        "is it possible for my reservation to be at 8 pm instead",
        "could the table be at eight rather than seven",
    ],
)
def test_a_booking_that_could_be_at_another_time_instead_is_a_move(text: str) -> None:
    intent = booking_intent(text)
    assert intent is not None and intent.action == "move" and intent.is_request


def test_we_will_be_n_instead_stays_a_head_count() -> None:
    intent = booking_intent("for our booking we'll be 5 instead")
    assert intent is not None and intent.action == "party"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("I need to cancel Friday. Actually no, can we move it to next Friday instead?", "move"),
        ("cancel it, no wait, I mean just move it to 8", "move"),
        ("cancel our table, scratch that, we'll be 5 instead", "party"),
        ("move it to Sunday - no, actually, just cancel it", "cancel"),
    ],
)
def test_an_action_taken_back_in_the_same_breath_gives_way_to_the_later_one(
    text: str, action: str
) -> None:
    assert actions(text) == [action]


def test_an_apology_takes_no_action_back() -> None:
    assert set(actions("move it to 8, sorry, and one of us can't come")) == {"move", "party"}


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("we won't need the table on Friday after all", "cancel"),
        ("we have to give up our Saturday table", "cancel"),
        ("We're no longer able to come on Saturday", "cancel"),
        ("Can you cancel tonight's?", "cancel"),
        ("Hi, could we possibly have a later slot for our Friday booking?", "move"),
        ("could you put us down for 8 instead", "move"),
        ("Just ringing to confirm tomorrow", "check"),
        ("calling to double-check our table", "check"),
    ],
)
def test_more_everyday_words_for_an_existing_booking(text: str, action: str) -> None:
    intent = booking_intent(text)
    assert intent is not None and intent.action == action


@pytest.mark.parametrize(
    "text",
    [
        "I'm calling to check if you have a table tonight",
        "calling to confirm you are open on Sunday",
        "I don't need the table by the window",
    ],
)
def test_availability_and_seating_words_are_no_check_or_cancel(text: str) -> None:
    assert not {"check", "cancel"} & set(actions(text))


@pytest.mark.parametrize(
    "text",
    [
        "I'd like a table",
        "Hi, I'd love a table tonight",
        "Could I grab a table?",
        "I'm looking for a table on Saturday",
        "Table please",
        "A table tomorrow, if you can",
    ],
)
def test_asking_for_a_table_in_other_words_is_booking(text: str) -> None:
    assert "book" in classify(text).found


@pytest.mark.parametrize(
    "text", ["The table was lovely last time", "Is the table by the window nice?"]
)
def test_a_table_talked_about_is_not_booking(text: str) -> None:
    assert "book" not in classify(text).found


@pytest.mark.parametrize(
    "text",
    [
        "hi, I lost my confirmation code for thursday, can you give it to me?",
        "what's my booking code",
        "I need the confirmation number for friday",
        "can you tell me my reservation code?",
    ],
)
def test_asking_for_the_code_is_a_check_of_the_booking(text: str) -> None:
    from resvoice.agent.booking_intents import actions

    assert actions(text)[:1] == ["check"]
