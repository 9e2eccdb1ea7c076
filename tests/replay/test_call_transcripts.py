"""Contract v2: the shipped calls about existing bookings pass on both backends, and the v2
keys (`given`, `expect.given_reservations`, `expect.messages`, the `--json` additions) behave as
the contract says, including their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.errors import FixtureError
from resvoice.replay.format import Transcript
from resvoice.replay.own_book import own_book
from resvoice.replay.runner import replay_file
from resvoice.runtime import Runtime
from resvoice.yamlfile import parse_yaml_model
from tests.conftest import CALL_TRANSCRIPTS, RESTAURANT

runner = CliRunner()


def test_at_least_20_call_transcripts_ship() -> None:
    assert len(CALL_TRANSCRIPTS) >= 20


async def test_call_transcripts_all_pass(any_runtime: Runtime, backend: str) -> None:
    assert any_runtime.storage.backend == backend
    failures: list[str] = []
    for path in CALL_TRANSCRIPTS:
        async with own_book(any_runtime.storage):  # each file on the book as it was
            result = await replay_file(any_runtime, path)
        assert not result.unreadable, result.failures
        failures += [f"{path.name}: {f}" for f in result.failures]
    assert failures == []


GIVEN = (
    'name: x\ntoday: "2026-02-02T15:30"\ncaller: "+14155550100"\n'
    "given:\n  reservations:\n"
    '    - {name: Maria Lopez, phone: "+14155550100", party_size: 4, date: "2026-02-06", '
    'time: "19:00"}\n'
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "call.yaml"
    path.write_text(text)
    return path


async def test_results_show_given_reservations_and_messages(
    runtime: Runtime, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        GIVEN + 'turns:\n  - user: "cancel my booking on Friday"\n  - user: "yes"\n'
        "expect:\n  given_reservations:\n    - {status: booked}\n"
        "  messages:\n    - {to: '+14155550199', contains: [moved]}\n",
    )
    result = await replay_file(runtime, path)
    assert result.given_reservations[0]["status"] == "cancelled"
    assert result.given_reservations[0]["code"]
    assert [m["to"] for m in result.messages] == ["+14155550100"]
    assert "cancelled" in result.messages[0]["body"]
    assert result.failures == [
        "end of call: given reservation 1: status is 'cancelled', expected 'booked'",
        "end of call: message 1 went to '+14155550100', expected '+14155550199'",
        "end of call: message 1 does not contain 'moved': " + repr(result.messages[0]["body"]),
    ]


async def test_an_empty_messages_list_checks_none_was_sent(
    runtime: Runtime, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        GIVEN + 'turns:\n  - user: "cancel my booking on Friday"\n  - user: "yes"\n'
        "expect:\n  messages: []\n",
    )
    result = await replay_file(runtime, path)
    assert len(result.failures) == 1 and "1 text messages sent, expected 0" in result.failures[0]


async def test_a_given_booking_on_a_closed_day_makes_the_file_unreadable(
    runtime: Runtime, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        GIVEN.replace("2026-02-06", "2026-02-09") + 'turns:\n  - user: "hi"\n',
    )
    result = await replay_file(runtime, path)
    assert result.unreadable
    assert "given.reservations[1] cannot be booked: we're closed on Mondays" in (result.failures[0])


async def test_a_given_booking_with_no_free_table_is_unreadable(
    runtime: Runtime, tmp_path: Path
) -> None:
    eight = GIVEN.replace("party_size: 4", "party_size: 8")
    path = write(tmp_path, eight + eight.split("reservations:\n")[1] + 'turns:\n  - user: "hi"\n')
    result = await replay_file(runtime, path)
    assert result.unreadable and "given.reservations[2]" in result.failures[0]
    assert "no table for 8" in result.failures[0]


async def test_a_given_booking_outside_the_hours_is_unreadable(
    runtime: Runtime, tmp_path: Path
) -> None:
    path = write(tmp_path, GIVEN.replace('"19:00"', '"23:30"') + 'turns:\n  - user: "hi"\n')
    result = await replay_file(runtime, path)
    assert result.unreadable and "we seat guests from 5 PM to 9:30 PM" in result.failures[0]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (GIVEN.replace("party_size: 4", "party_size: 4, colour: red") + "turns:\n  - user: hi\n",
         "colour"),
        (GIVEN.replace("name: Maria Lopez, ", "") + "turns:\n  - user: hi\n", "name"),
        (GIVEN + "turns:\n  - user: hi\n    expect:\n      messages: []\n", "call-level expect"),
        (GIVEN + "turns:\n  - user: hi\nexpect:\n  given_reservations:\n    - {status: gone}\n",
         "status"),
        (GIVEN + "turns:\n  - user: hi\nexpect:\n  given_reservations:\n    - {}\n    - {}\n",
         "lists 2 reservations but given has 1"),
        (GIVEN + "turns:\n  - user: hi\nexpect:\n  messages:\n    - {contains: [x]}\n", "to"),
    ],
)  # fmt: skip
def test_bad_v2_keys_are_errors(text: str, needle: str) -> None:
    with pytest.raises(FixtureError) as caught:
        parse_yaml_model(text, Transcript, "call.yaml")
    assert needle in str(caught.value)


def test_replay_json_reports_given_reservations_and_messages(
    tmp_path: Path, settings: object
) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert runner.invoke(app, ["seed", "--db", db, "--file", str(RESTAURANT)]).exit_code == 0
    cancel = CALL_TRANSCRIPTS[0]
    result = runner.invoke(app, ["replay", "--db", db, "--json", str(cancel)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[0])
    assert line["given_reservations"][0]["status"] == "cancelled"
    assert line["messages"][0]["to"] == "+14155550101"
    assert "cancelled" in line["messages"][0]["body"]
