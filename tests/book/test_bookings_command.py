"""`resvoice bookings`: the book listed and changed as staff, through the CLI, on both backends.

Days are taken relative to the restaurant's today (the staff's clock), a week or more ahead,
so every change is allowed by the booking window; a past booking is placed in storage directly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.storage.records import Reservation, ReservationRequest

runner = CliRunner()
PHONE = "+14155550177"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def next_weekday(weekday: int, weeks_ahead: int = 1) -> dt.date:
    """A day of the given weekday (Monday 0) at least `weeks_ahead` weeks after the
    restaurant's today."""
    today = dt.datetime.now(ZoneInfo("America/New_York")).date()
    day = today + dt.timedelta(weeks=weeks_ahead)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


WEDNESDAY = next_weekday(2)


def book(url: str, **fields: object) -> Reservation:
    values: dict[str, object] = {
        "conversation_id": "CA-test",
        "name": "Nora Quinn",
        "phone": PHONE,
        "party_size": 2,
        "date": WEDNESDAY,
        "time": dt.time(19, 30),
        "sitting_minutes": 90,
        **fields,
    }

    async def place() -> Reservation:
        async with await Runtime.open(Settings(), url) as runtime:
            result = await runtime.storage.book(ReservationRequest.model_validate(values))
            assert result.reservation is not None
            return result.reservation

    return asyncio.run(place())


def fill(url: str, day: dt.date, at: dt.time) -> None:
    """Book every table at `day` `at`."""

    async def place() -> None:
        async with await Runtime.open(Settings(), url) as runtime:
            for n in range(100):
                request = ReservationRequest(
                    conversation_id=None, name=f"Guest {n}", phone=PHONE, party_size=1,
                    date=day, time=at, sitting_minutes=90,
                )  # fmt: skip
                if (await runtime.storage.book(request)).reservation is None:
                    return
            raise AssertionError("the restaurant never filled up")

    asyncio.run(place())


def listed(url: str, *args: str) -> list[dict[str, object]]:
    code, output = invoke("bookings", "--json", "--db", url, *args)
    assert code == 0, output
    payload = json.loads(output)
    assert set(payload) == {"reservations"}
    reservations: list[dict[str, object]] = payload["reservations"]
    return reservations


def test_list_shows_the_coming_book_and_json_has_the_documented_shape(
    seeded_database_url: str, settings: Settings
) -> None:
    nora = book(seeded_database_url, special_requests="window seat")
    later = book(seeded_database_url, name="Ada Byron", date=WEDNESDAY + dt.timedelta(days=7))
    old = book(seeded_database_url, name="Old Guest", date=dt.date(2026, 1, 6))
    code, output = invoke("bookings", "--db", seeded_database_url)
    assert code == 0, output
    assert "Nora Quinn" in output and "Ada Byron" in output and "Old Guest" not in output
    assert PHONE not in output and "+*********77" in output  # masked in the table
    assert nora.code in output and "window seat" in output and "phone" in output
    [only] = listed(seeded_database_url, "--date", WEDNESDAY.isoformat())
    assert set(only) == {
        "id", "code", "status", "name", "phone", "party_size", "date", "time", "table",
        "special_requests", "changes",
    }  # fmt: skip
    assert (only["id"], only["code"], only["phone"], only["status"]) == (
        nora.id, nora.code, PHONE, "booked",
    )  # fmt: skip
    assert (only["date"], only["time"], only["party_size"]) == (WEDNESDAY.isoformat(), "19:30", 2)
    assert only["special_requests"] == "window seat" and only["table"] == nora.table.name
    [booked] = only["changes"]  # type: ignore[misc]
    assert booked["kind"] == "book" and booked["by"] == "caller" and booked["call"] == "CA-test"
    span = listed(
        seeded_database_url, "--from", WEDNESDAY.isoformat(), "--to", later.date.isoformat()
    )
    assert [r["id"] for r in span] == [nora.id, later.id]
    assert [r["id"] for r in listed(seeded_database_url, "--all")] == [old.id, nora.id, later.id]


def test_cancel_as_staff_is_in_the_history_and_no_text_when_asked(
    seeded_database_url: str, settings: Settings
) -> None:
    nora = book(seeded_database_url)
    code, output = invoke(
        "bookings", "cancel", nora.code.lower(), "--no-text", "--db", seeded_database_url
    )
    assert code == 0, output
    assert f"{nora.code} cancelled" in output and "no text sent" in output
    [now] = listed(seeded_database_url, "--date", WEDNESDAY.isoformat())
    assert now["status"] == "cancelled"
    assert [(c["kind"], c["by"]) for c in now["changes"]] == [  # type: ignore[attr-defined]
        ("book", "caller"),
        ("cancel", "staff"),
    ]
    code, output = invoke("bookings", "cancel", nora.code, "--db", seeded_database_url)
    assert code == 2 and "cancelled" in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_move_and_note_as_staff(seeded_database_url: str, settings: Settings) -> None:
    nora = book(seeded_database_url)
    thursday = WEDNESDAY + dt.timedelta(days=1)
    code, output = invoke(
        "bookings", "move", nora.code, "--date", thursday.isoformat(), "--time", "18:00",
        "--db", seeded_database_url,
    )  # fmt: skip
    assert code == 0, output
    assert f"{nora.code} moved" in output and "18:00" in output
    code, output = invoke(  # --db before the subcommand names the database too
        "bookings", "--db", seeded_database_url, "note", nora.code, "high chair please"
    )
    assert code == 0 and "high chair please" in output, output
    [now] = listed(seeded_database_url, "--date", thursday.isoformat())
    assert (now["id"], now["code"], now["time"]) == (nora.id, nora.code, "18:00")
    assert now["special_requests"] == "high chair please"
    kinds = [(c["kind"], c["by"]) for c in now["changes"]]  # type: ignore[attr-defined]
    assert kinds == [("book", "caller"), ("move", "staff"), ("note", "staff")]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--date", "MONDAY"), "closed"),  # the demo restaurant is closed on Mondays
        (("--time", "23:30"), "we seat guests from"),
        (("--time", "19:30", "--date", "TAKEN"), "free"),
    ],
    ids=["closed-day", "outside-hours", "taken"],
)
def test_a_refused_move_is_one_line_exit_2_and_changes_nothing(
    seeded_url: str, settings: Settings, args: tuple[str, ...], reason: str
) -> None:
    nora = book(seeded_url)
    taken_day = WEDNESDAY + dt.timedelta(days=7)
    fill(seeded_url, taken_day, dt.time(19, 30))
    monday = WEDNESDAY + dt.timedelta(days=5)
    values = {"MONDAY": monday.isoformat(), "TAKEN": taken_day.isoformat()}
    code, output = invoke(
        "bookings", "move", nora.code, *(values.get(a, a) for a in args), "--db", seeded_url
    )
    assert code == 2, output
    assert len(output.strip().splitlines()) == 1 and "Traceback" not in output
    assert "not moved" in output and reason in output, output
    [now] = listed(seeded_url, "--date", WEDNESDAY.isoformat())
    assert (now["time"], now["status"], len(now["changes"])) == ("19:30", "booked", 1)  # type: ignore[arg-type]


def test_unknown_codes_past_bookings_and_bad_options_are_one_line_exit_2(
    seeded_url: str, settings: Settings
) -> None:
    old = book(seeded_url, date=dt.date(2026, 1, 6))
    for args in (
        ("cancel", "ZZZZZZ"),
        ("cancel", "not-a-code"),
        ("note", "ACDEFH", "hello"),
        ("cancel", old.code),
        ("move", old.code, "--time", "18:00"),
        ("move", old.code),
        ("--date", "tomorrow"),
        ("--date", "2026-01-01", "--all"),
        ("move", "ACDEFH", "--time", "7pm"),
    ):
        code, output = invoke("bookings", *args, "--db", seeded_url)
        assert code == 2, (args, output)
        assert len(output.strip().splitlines()) == 1 and "Traceback" not in output, output
    code, output = invoke("bookings", "cancel", "ZZZZZZ", "--db", seeded_url)
    assert "no booking has the code 'ZZZZZZ'" in output
    code, output = invoke("bookings", "cancel", old.code, "--db", seeded_url)
    assert "has passed" in output
