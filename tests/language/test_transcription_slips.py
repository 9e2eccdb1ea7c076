"""What speech-to-text and typed names do to numbers, and the dev-set slips the extractor fixed.

Whisper writes "seven thirty" as "730" or "7.30" and "four" as "for"; typed place names carry
number words ("Picnic on Third", "At Seven Restaurant"). Cases come from the SGD train/dev turns
(`../shared/eval/sgd_restaurant_turns.jsonl`) and the voice pipeline's known slips.
"""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.language.numbers import sound_alike_numbers, words_to_digits
from resvoice.language.slots import extract_slots

TODAY = dt.date(2019, 3, 1)  # a Friday
T = dt.time


@pytest.mark.parametrize(
    ("text", "asked", "party", "time"),
    [
        ("a table for four at 730", "", 4, T(19, 30)),
        ("a table for four at 7.30", "", 4, T(19, 30)),
        ("table for for at 730", "", 4, T(19, 30)),
        ("party of for at 7.30 please", "", 4, T(19, 30)),
        ("for people at 730", "", 4, T(19, 30)),
        ("there will be for of us", "", 4, None),
        ("for", "How many people?", 4, None),
        ("uh for please", "How many people will be dining?", 4, None),
        ("730", "What time would you like?", None, T(19, 30)),
        ("7.30 for 2", "", 2, T(19, 30)),
        ("at for 30", "", None, T(16, 30)),
        ("at for pm", "", None, T(16, 0)),
        ("we could come at for", "What time would you like?", None, T(16, 0)),
    ],
)
def test_whisper_numbers_in_context(
    text: str, asked: str, party: int | None, time: dt.time | None
) -> None:
    ex = extract_slots(text, today=TODAY, system_before=asked or None)
    assert (ex.party_size, ex.time) == (party, time)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("I am looking for a table for tomorrow", ""),
        ("for tomorrow please", "How many people?"),
        ("that is for me", "Who is the booking for?"),
        ("we are for it", ""),
        ("can we come for dinner", "What time would you like?"),
    ],
)
def test_the_word_for_stays_a_word(text: str, asked: str) -> None:
    ex = extract_slots(text, today=TODAY, system_before=asked or None)
    assert ex.party_size is None and ex.time is None


def test_sound_alike_rewrite_only_where_a_number_fits() -> None:
    assert sound_alike_numbers("a table for for") == "a table for 4"
    assert sound_alike_numbers("for for people") == "for 4 people"  # both readings meet here
    assert sound_alike_numbers("for", expect_party_size=True) == "4"
    assert sound_alike_numbers("for") == "for"
    assert sound_alike_numbers("for the kids") == "for the kids"


def test_number_words_inside_names_stay_words() -> None:
    ex = extract_slots(
        "It is for four. Have it start at 6:30 pm at Picnic on Third in San Francisco.",
        today=TODAY,
        evening_bias=False,
    )
    assert (ex.party_size, ex.date, ex.time) == (4, None, T(18, 30))
    assert extract_slots("In San Jose. At Seven Restaurant.", today=TODAY).time is None
    assert words_to_digits("Saturday the Third at Seven PM") == "Saturday the 3rd at 7 PM"
    assert words_to_digits("March Third") == "March 3rd"
    assert words_to_digits("Third of March works") == "3rd of March works"


def test_a_thank_you_for_today_names_no_date() -> None:
    ex = extract_slots(
        "No, you've done your job for today!", today=TODAY, system_before="Anything else?"
    )
    assert ex.date is None
    assert extract_slots("A table for today please", today=TODAY).date == TODAY


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Can I add one person on? I actually need to make it for three.", 3),  # SGD dev
        ("No, not 4, 5 people", 5),
        ("I meant 5 people not 4", 5),
        ("5 people instead of 4", 5),
        ("actually we are 6 of us, no wait, 7 people", 7),
        ("party of 4, actually at 7", 4),  # the correction is of the time
    ],
)
def test_a_corrected_party_is_the_one_after_the_correction(text: str, party: int) -> None:
    assert extract_slots(text, today=TODAY).party_size == party


@pytest.mark.parametrize(
    ("text", "asked", "party", "time"),
    [  # Whisper tiny.en on the voice replay's eSpeak callers
        ("We are 6 people Sunday, 530. Name is Grace.", "", 6, T(17, 30)),
        ("Table for 2 Friday 1045", "", 2, T(22, 45)),  # read as "10:45" is, evening bias
        ("Table 44 is Friday at 730 pm", "", 4, T(19, 30)),
        ("Can I book 4-8 people on March 14th at 7 pm?", "", 8, T(19, 0)),
        ("we'd like to look for a party on 12 next Saturday", "", 12, None),
        ("Sorry, free.", "For how many people?", 3, None),
    ],
)
def test_whisper_forms_of_counts_and_times(
    text: str, asked: str, party: int | None, time: dt.time | None
) -> None:
    ex = extract_slots(text, today=TODAY, system_before=asked or None)
    assert (ex.party_size, ex.time) == (party, time)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("730", ""),  # bare, nobody asked for a time: could be anything
        ("my room is 530 and it is a table for 2", ""),
        ("call me on 555 530 1234 about the table", ""),
        ("a table for 2, party of 530 is silly", ""),
        ("free parking?", "For how many people?"),  # "free" is three only as a bare answer
        ("is it free", ""),
        ("we are going to a party on 12th street", ""),
        ("table 4 at 7 pm", ""),  # no merged "for 4" to undo in a single digit
    ],
)
def test_look_alikes_that_stay_what_they_are(text: str, asked: str) -> None:
    ex = extract_slots(text, today=TODAY, system_before=asked or None)
    assert ex.time is None or ex.time == T(19, 0)
    assert ex.party_size in (None, 2, 4)
    assert ex.time != T(17, 30) and ex.time != T(19, 30)
    assert ex.party_size not in (3, 12)


def test_a_year_read_digit_by_digit_is_a_year() -> None:
    ex = extract_slots("a table for 3 on January 28th, 2 0 2 6.", today=dt.date(2026, 2, 2))
    assert ex.date == dt.date(2026, 1, 28)
    hyphens = extract_slots("a table for 3 on January 28th, 2-0-2-6.", today=dt.date(2026, 2, 2))
    assert hyphens.date == dt.date(2026, 1, 28)


def test_fine_among_phone_digits_is_five() -> None:
    ex = extract_slots("phone fine fine fine, 2 0 1, 7 7 8 9", today=TODAY)
    assert ex.phone is not None and ex.phone.endswith("5552017789")
    assert extract_slots("that's fine, 7 pm", today=TODAY).phone is None


def test_a_greeting_heard_as_high_is_not_a_name() -> None:
    ex = extract_slots("High, a table for 8 on Saturday, March 14th at 7 pm.", today=TODAY)
    assert ex.name is None and ex.party_size == 8


def test_more_whisper_forms_from_the_voice_replay() -> None:
    booking = "I need a table for 3 on Wednesday at 7 pm, names Tom Baker, number 5, 5, 5, 4"
    assert extract_slots(booking, today=TODAY).name == "Tom Baker"  # "name's" written "names"
    assert extract_slots("the names are on the list", today=TODAY).name is None
    assert extract_slots("No, change the time to 830.", today=TODAY).time == T(20, 30)
    recount = extract_slots(
        "Actually, make it fine.", today=TODAY, expecting=frozenset({"party_size"})
    )
    assert recount.party_size == 5
    assert (
        extract_slots("that's fine", today=TODAY, expecting=frozenset({"party_size"})).party_size
        is None
    )


@pytest.mark.parametrize(
    ("text", "time"),
    [("Actually, can we do 830 instead.", T(20, 30)), ("We'll come 745 then", T(19, 45))],
)
def test_a_glued_time_moving_a_booking_is_a_time(text: str, time: dt.time) -> None:
    assert extract_slots(text, today=TODAY).time == time


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("someone can't come, so we'll be free.", 3),
        ("a table for free please", 3),
        ("we'll be free at 7", None),
        ("are you free on Friday?", None),
        ("a table for 4? I could truly know, sorry, make that free. My brother can't come.", 3),
        ("can we make it free? we lost one", 3),
        ("make it free of charge", None),
    ],
)
def test_three_heard_as_free_ending_a_head_count(text: str, party: int | None) -> None:
    assert extract_slots(text, today=TODAY).party_size == party


def test_a_weekdays_day_written_as_a_year_is_that_day_and_no_time() -> None:
    """ "Wednesday the 18th" written "Wednesday, 2018": the 18th, and "2018" is no clock time
    even when the agent asked for one."""
    found = extract_slots("Wednesday, 2018.", today=TODAY, expecting=frozenset({"time"}))
    assert found.date is not None and found.date.day == 18 and found.time is None


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Oh and one of us is coeliac if that matters", None),
        ("one of us uses a wheelchair", None),
        ("one of us can't eat nuts, there'll be 4 of us", 4),
        ("just the two of us", 2),
    ],
)
def test_one_of_us_with_a_need_is_no_head_count(text: str, party: int | None) -> None:
    assert extract_slots(text, today=TODAY).party_size == party


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        (
            "Best number is 0 7 7 0 0 9 0 0 4 5 6... sorry, I mean my US cell, 646 555 0123",
            "+16465550123",
        ),
        ("415 555 0199, no wait, 415 555 0198", "+14155550198"),
        ("my number is 212 555 0100, sorry, and we are 4", "+12125550100"),
    ],
)
def test_a_number_taken_back_in_the_same_breath_gives_the_later_one(text: str, phone: str) -> None:
    found = extract_slots(text, today=TODAY, expecting=frozenset({"phone"}))
    assert found.phone == phone
