"""The rules brain never says a line twice running; relative changes read against a booking;
a delay is noted where staff read a booking's notes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from resvoice.agent.brains.rules.manage_phrasing import (
    BookingWords,
    ask_new_value_again,
    confirm_again,
)
from resvoice.agent.brains.rules.manage_values import arrival_delay, party_from, shifted
from resvoice.agent.brains.rules.manage_words import what_moves
from resvoice.agent.brains.rules.phrasing import sentence_case
from resvoice.agent.brains.rules.repeats import OFFER_A_PERSON, vary_repeat
from resvoice.agent.brains.rules.staff_matters import TRANSFER_OFFERED
from resvoice.agent.desk import late_note

BOOKING = {"date": "2026-03-07", "time": "18:30", "party_size": 4}


def test_a_repeated_line_is_never_said_the_same_way_twice() -> None:
    state: dict[str, object] = {}
    line = ["What day and time would you like instead?"]
    said = " ".join(line)
    for _ in range(5):
        out = vary_repeat(list(line), said, state)
        assert " ".join(out) != said
        said = " ".join(out)
        said = " ".join(vary_repeat(list(line), said, state))  # the plain line again is new
    assert vary_repeat(list(line), "something else", state) == line


def test_the_second_repeat_offers_a_person_and_a_yes_takes_it() -> None:
    state: dict[str, object] = {}
    line = ["What day and time would you like instead?"]
    first = vary_repeat(list(line), line[0], state)
    assert first[0].startswith("Sorry") and TRANSFER_OFFERED not in state
    second = vary_repeat(list(line), line[0], state)
    assert second[-1] == OFFER_A_PERSON and state[TRANSFER_OFFERED] is True


def test_a_yes_no_question_is_not_followed_by_an_offer_a_yes_could_take() -> None:
    state: dict[str, object] = {"repeats": 1}
    out = vary_repeat(["Shall I cancel it?"], "Shall I cancel it?", state)
    assert OFFER_A_PERSON not in out and TRANSFER_OFFERED not in state


def test_a_waiting_change_is_asked_again_in_other_words() -> None:
    asked = "Just to confirm: move your table to 8 PM? Shall I make that change?"
    lines = [confirm_again(asked, n) for n in range(4)]
    assert lines[0] == "Thank you. Shall I make that change?"
    assert "member of our team" in lines[1]
    assert all(a != b for a, b in itertools.pairwise(lines))


def test_a_new_value_asked_again_offers_a_person_the_second_time() -> None:
    assert "for example" in ask_new_value_again("move", 0)
    assert "member of our team" not in ask_new_value_again("move", 0)
    assert "member of our team" in ask_new_value_again("party", 1)


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("push it back by an hour", {"time": "19:30"}),
        ("half an hour earlier", {"time": "18:00"}),
        ("the day after, same time", {"date": "2026-03-08"}),
        ("a week later", {"date": "2026-03-14"}),
        ("the Sunday after", {"date": "2026-03-08"}),
        ("move it to 8", {}),
    ],
)
def test_moves_said_relative_to_the_booking(text: str, args: dict[str, str]) -> None:
    assert shifted(text, BOOKING) == args


def test_head_counts_and_arrival_times_read_against_the_booking() -> None:
    assert party_from("one of us can't make it", 4) == 3
    assert arrival_delay("we'll be there around 6:50", BOOKING) == 20
    assert arrival_delay("we'll get there at ten to seven", BOOKING) == 20
    assert arrival_delay("we'll be there at 6", BOOKING) is None  # early is not late


def test_a_delay_is_noted_on_the_booking_once() -> None:
    assert late_note(None, 20) == "running about 20 minutes late"
    noted = late_note("window seat", 20)
    assert noted == "window seat; running about 20 minutes late"
    assert late_note(noted, 30) == "window seat; running about 30 minutes late"


def test_a_spoken_date_keeps_its_capitals() -> None:
    assert sentence_case("saturday, March 14th") == "Saturday, March 14th"


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("could we push our Friday table back a bit?", "time"),
        ("can we bring it forward?", "time"),
        ("could we possibly have a later slot?", "time"),
        ("we'd like to come a little earlier", "time"),
        ("can we move it to another day?", "day"),
        ("could we do it next week instead", "day"),
        ("I need to change my booking", None),
        ("can we move it", None),
    ],
)
def test_what_a_move_without_its_target_changes(text: str, moves: str | None) -> None:
    assert what_moves(text) == moves


def test_a_time_only_move_asks_for_a_time_alone() -> None:
    words = BookingWords(dt.date(2026, 2, 2))
    line = words.ask_new_value(BOOKING, "move", "time")
    assert line.endswith("What time would you like instead?") and "guests" not in line
    assert "Which day" in words.ask_new_value(BOOKING, "move", "day")
    assert "how many guests" in words.ask_new_value(BOOKING, "move", None)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (
            "hi! it's my girlfriend's birthday on sunday when we come in, could you note that"
            " down?",
            "my girlfriend's birthday on sunday when we come in",
        ),
        ("We're celebrating our anniversary, can you make a note of that?", "celebrating"),
        ("my mum uses a wheelchair, can you note that on the booking please", "wheelchair"),
        ("Could you note that my son has a peanut allergy", "my son has a peanut allergy"),
    ],
)
def test_a_note_asked_for_after_the_words_holds_those_words(text: str, note: str) -> None:
    from resvoice.agent.brains.rules.manage_words import note_text

    found = note_text(text)
    assert found is not None and note in found and "down" not in found


def test_a_request_to_note_with_nothing_before_it_has_no_note() -> None:
    from resvoice.agent.brains.rules.manage_words import note_text

    assert note_text("can you note it down") is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "hi i'd like to change my booking to 8pm please it's under julia stone for thursday",
            "julia stone for thursday",
        ),
        ("Can I move my Friday booking to 8? The name is Julia Stone.", "Julia Stone"),
        ("Could we switch it to 9, it's booked under Okafor", "Okafor"),
    ],
)
def test_a_name_given_after_the_new_time_still_identifies_the_booking(text: str, kept: str) -> None:
    from resvoice.agent.brains.rules.manage_words import identifying_part, target_part

    assert kept in identifying_part(text, "move")
    assert "8" not in identifying_part(text, "move").replace("Friday", "")
    assert any(n in target_part(text) for n in ("8", "9"))
