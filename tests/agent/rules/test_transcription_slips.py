"""What speech-to-text and typed names do to numbers, and the dev-set slips the extractor fixed.

Whisper writes "seven thirty" as "730" or "7.30" and "four" as "for"; typed place names carry
number words ("Picnic on Third", "At Seven Restaurant"). Cases come from the SGD train/dev turns
(`../shared/eval/sgd_restaurant_turns.jsonl`) and the voice pipeline's known slips.
"""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.agent.brains.rules.extract import extract_slots
from resvoice.agent.brains.rules.numbers import sound_alike_numbers, words_to_digits

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
