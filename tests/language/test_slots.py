"""extract_slots: all slots at once, context from the agent's question, corrections."""

import datetime as dt

import pytest

from resvoice.language.slots import (
    Extraction,
    expecting_from_prompt,
    extract_slots,
    is_correction,
    special_requests,
)

TODAY = dt.date(2019, 3, 1)


def test_everything_in_one_breath() -> None:
    ex = extract_slots(
        "John Smith, party of four, Saturday at seven. My number is 415-555-0134.",
        today=TODAY,
    )
    assert ex.name == "John Smith"
    assert ex.party_size == 4
    assert ex.date == dt.date(2019, 3, 2)
    assert ex.date_relative
    assert ex.time == dt.time(19, 0)
    assert ex.phone == "+14155550134"


def test_sgd_style_turn_without_evening_bias() -> None:
    ex = extract_slots(
        "Yes, I need to book it for 3 persons on the 5th at 1:30 in the afternoon.",
        today=TODAY,
        evening_bias=False,
    )
    assert (ex.party_size, ex.date, ex.time) == (3, dt.date(2019, 3, 5), dt.time(13, 30))


def test_party_and_time_told_apart() -> None:
    ex = extract_slots("a table for 2 at 7", today=TODAY)
    assert (ex.party_size, ex.time) == (2, dt.time(19, 0))
    ex = extract_slots("table for 7 tonight", today=TODAY)
    assert ex.party_size == 7 and ex.date == TODAY and ex.time is None
    ex = extract_slots("make it for 1 at evening 5:30", today=TODAY)
    assert (ex.party_size, ex.time) == (1, dt.time(17, 30))


@pytest.mark.parametrize(
    ("expecting", "party", "time"),
    [
        (frozenset({"party_size"}), 4, None),
        (frozenset({"time"}), None, dt.time(16, 0)),
        (frozenset(), None, None),
    ],
)
def test_bare_number_follows_the_question(
    expecting: frozenset[str], party: int | None, time: dt.time | None
) -> None:
    ex = extract_slots("four", today=TODAY, expecting=expecting)
    assert (ex.party_size, ex.time) == (party, time)


def test_system_before_infers_expecting() -> None:
    ex = extract_slots("seven", today=TODAY, system_before="Great. For how many people?")
    assert ex.party_size == 7 and ex.time is None
    ex = extract_slots("seven", today=TODAY, system_before="And what time would you like?")
    assert ex.time == dt.time(19, 0) and ex.party_size is None


@pytest.mark.parametrize(
    ("prompt", "slots"),
    [
        ("For how many people?", {"party_size"}),
        ("What time?", {"time"}),
        ("Which day would you like?", {"date"}),
        ("Can I get a name for the reservation?", {"name"}),
        ("What's the best phone number to reach you?", {"phone"}),
        ("Your table is booked.", set()),
    ],
)
def test_expecting_from_prompt(prompt: str, slots: set[str]) -> None:
    assert expecting_from_prompt(prompt) == frozenset(slots)


def test_phone_digits_when_asked() -> None:
    ex = extract_slots(
        "five five five one two three four", today=TODAY, expecting=frozenset({"phone"})
    )
    assert ex.phone == "5551234"
    assert ex.party_size is None and ex.time is None


def test_date_error_is_reported() -> None:
    ex = extract_slots("February 30th at 7pm for 2", today=TODAY)
    assert ex.date is None
    assert ex.date_error == "February has no 30th"
    assert ex.time == dt.time(19, 0) and ex.party_size == 2


def test_email_and_name_when_asked() -> None:
    ex = extract_slots(
        "it's jane dot doe at gmail dot com", today=TODAY, expecting=frozenset({"email"})
    )
    assert ex.email == "jane.doe@gmail.com"
    ex = extract_slots("Priya Patel", today=TODAY, system_before="What name is it under?")
    assert ex.name == "Priya Patel"


@pytest.mark.parametrize(
    "text",
    [
        "actually make it five",
        "no, I said 7:30",
        "change it to Friday",
        "sorry, 6 people",
        "Make it March 8th instead",
    ],
)
def test_corrections(text: str) -> None:
    assert is_correction(text)
    assert extract_slots(text, today=TODAY).is_correction


@pytest.mark.parametrize("text", ["a table for four at seven", "yes please", "Saturday"])
def test_not_corrections(text: str) -> None:
    assert not is_correction(text)


@pytest.mark.parametrize(
    ("text", "requests"),
    [
        ("it's our anniversary", ("anniversary",)),
        ("we need a high chair", ("high chair",)),
        ("my mother needs wheelchair access", ("wheelchair access",)),
        ("my son is allergic to nuts", ("allergy: nuts",)),
        ("could we get a window seat", ("window seat",)),
        ("two vegetarians and a birthday", ("birthday",)),
        ("one of us is vegan and it's a birthday", ("birthday", "vegan")),
        ("table for two at seven", ()),
        ("could we sit by the window", ("window seat",)),
        ("for 2 at 7, by the window, and it's a birthday", ("birthday", "window seat")),
        ("can we sit at the bar", ("bar seat",)),
        ("we'd love to sit outdoors", ("outside seating",)),
    ],
)
def test_special_requests(text: str, requests: tuple[str, ...]) -> None:
    assert special_requests(text) == requests


def test_extraction_special_requests_joined() -> None:
    ex = extract_slots("window seat please, it's our anniversary", today=TODAY)
    assert ex.special_requests == "anniversary, window seat"
    assert extract_slots("hello", today=TODAY).special_requests is None


def test_empty() -> None:
    assert extract_slots("hello there", today=TODAY).empty
    assert Extraction().empty


def test_corrections_zero_parties_and_name_cues() -> None:
    today = dt.date(2026, 2, 2)
    sorry = extract_slots("Sorry, three", today=today, expecting=frozenset({"party_size"}))
    assert sorry.party_size == 3
    make_it = extract_slots(
        "Actually, make it five", today=today, expecting=frozenset({"party_size"})
    )
    assert make_it.party_size == 5 and make_it.is_correction
    zero = extract_slots("Book a table for zero people on Friday", today=today)
    assert zero.party_size == 0  # kept, so validation can tell the caller why
    named = extract_slots("Table for 4 Friday at 7, name Carlos Mendez", today=today)
    assert named.name == "Carlos Mendez"


@pytest.mark.parametrize(
    ("text", "time", "date"),
    [
        ("move it to eight, no sorry, eight thirty", dt.time(20, 30), None),
        ("at 8, no wait, 8:30", dt.time(20, 30), None),
        ("Friday at 7, sorry, half seven", dt.time(19, 30), dt.date(2026, 2, 6)),
        ("to Friday, sorry, I mean Saturday", None, dt.date(2026, 2, 7)),
        ("the 14th - I mean the 15th - at 8", dt.time(20, 0), dt.date(2026, 2, 15)),
        ("seven o'clock, or rather quarter past seven", dt.time(19, 15), None),
    ],
)
def test_a_value_corrected_in_the_same_breath_is_the_later_one(
    text: str, time: dt.time | None, date: dt.date | None
) -> None:
    slots = extract_slots(text, today=dt.date(2026, 2, 2), expecting=frozenset({"time"}))
    assert slots.time == time
    assert slots.date == date


@pytest.mark.parametrize(
    "text", ["at 7, sorry, is there parking?", "7 pm on Friday, sorry for the noise"]
)
def test_an_apology_without_a_new_value_keeps_the_first(text: str) -> None:
    slots = extract_slots(text, today=dt.date(2026, 2, 2))
    assert slots.time == dt.time(19, 0)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (
            "Can I book a table for four on Saturday at seven? Actually no, sorry, make that "
            "three, my brother can't come.",
            3,
        ),
        ("A table for 5 on Friday at 8. Sorry, make it six, my cousin is coming too", 6),
        ("Table for four on Saturday. Actually, make that 3, one of my friends dropped out", 3),
        ("Party of two tomorrow. No wait, make it three, my sister's joining us", 3),
    ],
)
def test_a_bare_corrected_count_beside_someone_dropping_out_or_joining(
    text: str, size: int
) -> None:
    assert extract_slots(text, today=TODAY).party_size == size


def test_a_bare_correction_without_a_head_count_change_keeps_the_first_party() -> None:
    # "make that 8" could be the hour: the party said outright stands
    assert extract_slots("table for 2 at 7, actually make that 8", today=TODAY).party_size == 2


@pytest.mark.parametrize(
    ("text", "size", "time"),
    [
        ("Table. Two. Tomorrow, half seven.", 2, dt.time(19, 30)),
        ("Booking. Four. Saturday at 8pm.", 4, dt.time(20, 0)),
        ("table please, three, friday at seven", 3, dt.time(19, 0)),
        ("I want to book. Tomorrow at 7. Just 2.", 2, dt.time(19, 0)),
    ],
)
def test_a_lone_number_beside_a_time_in_a_table_request_is_the_party(
    text: str, size: int, time: dt.time
) -> None:
    ex = extract_slots(text, today=TODAY)
    assert (ex.party_size, ex.time) == (size, time)


@pytest.mark.parametrize("text", ["Saturday. Seven.", "Table for Saturday. 7.", "Two. At 7."])
def test_a_lone_number_without_another_time_or_table_word_is_no_party(text: str) -> None:
    assert extract_slots(text, today=TODAY).party_size is None


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("me and my partner, friday, around 7-ish", 2),
        ("my wife and I, Saturday at 8", 2),
        ("Me, my sister and her two kids, Sunday the 3rd", 4),
        ("my husband and my parents, tomorrow at six", 3),
    ],
)
def test_a_listed_party_beside_a_day_or_time_is_counted(text: str, size: int) -> None:
    assert extract_slots(text, today=TODAY).party_size == size


def test_a_listed_party_without_a_day_or_time_or_booking_is_not() -> None:
    assert extract_slots("my wife and I loved it", today=TODAY).party_size is None


@pytest.mark.parametrize(
    ("text", "time", "party"),
    [
        ("a table on Friday for 4 at 6th.", dt.time(18, 0), 4),
        ("for 2 at 7th please", dt.time(19, 0), 2),
    ],
)
def test_at_an_hour_heard_as_an_ordinal_is_the_time(text: str, time: dt.time, party: int) -> None:
    found = extract_slots(text, today=dt.date(2026, 12, 1))
    assert (found.time, found.party_size) == (time, party)
    assert found.date != dt.date(2026, 12, 6)


@pytest.mark.parametrize("text", ["at the 6th please", "at 6th of December", "at 6th December"])
def test_at_an_ordinal_with_its_month_or_the_stays_a_day(text: str) -> None:
    found = extract_slots(text, today=dt.date(2026, 12, 1))
    assert found.date == dt.date(2026, 12, 6)
