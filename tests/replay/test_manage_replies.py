"""Calls about an existing booking, each phrasing run as a small v2 transcript: a change read
back is made on any agreement ("lovely, yes"), not only on a leading "yes"; a day said only to
name the booking is not taken for a new day."""

from __future__ import annotations

from pathlib import Path

import pytest

from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime

CALLER = "+14155550190"


def call(
    tmp_path: Path,
    turns: list[str],
    date: str = "2026-02-06",
    today: str = "2026-02-02T15:30",
    caller: str = CALLER,
) -> Path:
    """A call about the caller's table for 2 at 7 PM on `date` (a Friday), booked with CALLER."""
    given = (
        f'name: x\ntoday: "{today}"\ncaller: "{caller}"\n'
        "given:\n  reservations:\n"
        '    - {name: Ada Byron, phone: "' + CALLER + '", party_size: 2, date: "' + date + '", '
        'time: "19:00"}\n'
    )
    path = tmp_path / "call.yaml"
    lines = "".join(f'  - user: "{t}"\n' for t in turns)
    path.write_text(given + "turns:\n" + lines)
    return path


@pytest.mark.parametrize(
    "agreement",
    ["lovely, yes", "brilliant, go ahead", "that sounds perfect", "oh great, please do", "sure"],
)
async def test_a_read_back_move_is_made_on_any_agreement(
    runtime: Runtime, tmp_path: Path, agreement: str
) -> None:
    path = call(tmp_path, ["could we move our Friday table to 8:30?", agreement])
    result = await replay_file(runtime, path)
    assert not result.unreadable, result.failures
    assert result.given_reservations[0]["time"] == "20:30"
    assert [m["to"] for m in result.messages] == [CALLER]


@pytest.mark.parametrize("answer", ["actually no, leave it", "no thanks", "lovely, but no"])
async def test_a_read_back_move_is_not_made_on_a_no(
    runtime: Runtime, tmp_path: Path, answer: str
) -> None:
    path = call(tmp_path, ["could we move our Friday table to 8:30?", answer])
    result = await replay_file(runtime, path)
    assert result.given_reservations[0]["time"] == "19:00"
    assert result.messages == []


@pytest.mark.parametrize(
    "words",
    [
        "it's about our booking on Friday, my mum's coming too now",
        "our Friday booking, my brother is joining us",
        "we have a table on Friday and one more person is coming",
        "about the reservation for Friday: there'll be 3 of us now",
    ],
)
async def test_the_day_that_names_the_booking_is_not_a_move(
    runtime: Runtime, tmp_path: Path, words: str
) -> None:
    # booked for the Friday after next: "Friday" alone reads as the nearer one
    path = call(tmp_path, [words, "yes"], date="2026-02-13")
    result = await replay_file(runtime, path)
    assert not result.unreadable, result.failures
    booking = result.given_reservations[0]
    assert (booking["date"], booking["time"], booking["party_size"]) == ("2026-02-13", "19:00", 3)


async def test_a_head_count_with_a_new_day_still_moves_it(runtime: Runtime, tmp_path: Path) -> None:
    path = call(
        tmp_path, ["one more person is coming, and can we make it Saturday instead?", "yes"]
    )
    result = await replay_file(runtime, path)
    booking = result.given_reservations[0]
    assert (booking["date"], booking["party_size"]) == ("2026-02-07", 3)


@pytest.mark.parametrize(
    "words",
    [
        "could we move our Friday table to quarter to seven?",
        "can we move my booking to 7:15?",
        "could our Friday reservation be at 6:45 instead?",
    ],
)
async def test_a_move_between_seatings_never_offers_the_time_already_booked(
    runtime: Runtime, tmp_path: Path, words: str
) -> None:
    path = call(tmp_path, [words])
    result = await replay_file(runtime, path)
    reply = result.turns[0].reply
    assert "every 30 minutes" in reply and "I could do" in reply
    offer = reply.split("I could do", 1)[1]
    assert "7 PM" not in offer and ("6:30 PM" in offer or "7:30 PM" in offer)
    assert result.given_reservations[0]["time"] == "19:00"


@pytest.mark.parametrize(
    "first",
    [
        "we're running about 20 minutes late, the booking's under Byron",
        "Hi, it's under Byron, we'll be twenty minutes late",
        "running 20 mins behind, table under Byron",
    ],
)
async def test_a_delay_said_before_the_booking_is_found_is_noted_once_it_is(
    runtime: Runtime, tmp_path: Path, first: str
) -> None:
    # from another phone: the name alone finds nothing, the number on the booking does
    turns = [first, "the number on it is 415 555 0190"]
    path = call(tmp_path, turns, today="2026-02-06T18:30", caller="+12125550100")
    result = await replay_file(runtime, path)
    assert "7 PM" not in result.turns[0].reply
    assert "20 minutes" in result.turns[1].reply
    booking = result.given_reservations[0]
    assert booking["time"] == "19:00" and "20 minutes late" in booking["special_requests"]
    assert result.messages == []


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("Yuki Tanaka", "Tanaka, 415 555 0190"),
        ("Sam Fisher", "it's Fisher, and the number is 415 555 0190"),
        ("Ana Romero", "Ana Romero, 415 555 0190"),
        ("Joe Bishop", "Bishop. 415 555 0190"),
    ],
)
async def test_a_six_letter_surname_asked_for_with_the_code_is_a_name_not_a_code(
    runtime: Runtime, tmp_path: Path, name: str, answer: str
) -> None:
    path = call(tmp_path, ["I'd like to cancel my booking please", answer, "yes"], caller="")
    path.write_text(path.read_text().replace("Ada Byron", name).replace('caller: ""\n', ""))
    result = await replay_file(runtime, path)
    assert not result.unreadable, result.failures
    assert "Friday" in result.turns[1].reply and "7 PM" in result.turns[1].reply
    assert result.given_reservations[0]["status"] == "cancelled"
