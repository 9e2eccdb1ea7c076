"""`resvoice replay A B`: files share the book, as the transcript contract says (a booking one
file makes takes that table for later files); with `--each-alone` each file is one call on the
book as it stood before the run, and the calls themselves stay saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.replay.own_book import own_book
from resvoice.runtime import Runtime
from resvoice.storage.records import ReservationRequest

ONLY_EIGHT_TOP = """\
name: {name}
today: "2026-02-02T15:30"
turns:
  - user: "A table for 8 on Saturday March 14th at 7pm, under {name}, number {phone}"
    expect:
      notepad: {{party_size: 8, time: "19:00"}}
  - user: "Yes"
expect:
  reservation: booked
"""


def _two_eight_tops(tmp_path: Path) -> list[str]:
    # the demo has one eight-seat table: two calls each want it at 7 PM on the same night
    files = []
    for name, phone in (("Nguyen", "555 313 2020"), ("Okafor", "555 313 2121")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(ONLY_EIGHT_TOP.format(name=name, phone=phone))
        files.append(str(path))
    return files


def test_files_replayed_together_share_the_book(seeded_url: str, tmp_path: Path) -> None:
    replayed = CliRunner().invoke(app, ["replay", "--db", seeded_url, *_two_eight_tops(tmp_path)])
    assert replayed.exit_code == 1, replayed.output  # the second call finds the table taken
    assert "1 of 2 transcripts passed" in replayed.output
    assert "taken" in replayed.output


def test_each_alone_runs_every_file_on_the_book_as_it_was(seeded_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    files = _two_eight_tops(tmp_path)
    replayed = runner.invoke(app, ["replay", "--each-alone", "--db", seeded_url, *files])
    assert replayed.exit_code == 0, replayed.output
    assert "2 of 2 transcripts passed" in replayed.output
    listed = runner.invoke(app, ["sessions", "list", "--db", seeded_url])
    assert listed.exit_code == 0 and listed.output.count("replay-") >= 2  # the calls are kept


async def test_own_book_takes_off_only_what_the_body_added(any_runtime: Runtime) -> None:
    storage = any_runtime.storage

    def request(name: str, time: str) -> ReservationRequest:
        return ReservationRequest(
            conversation_id=None, name=name, phone="+15553132020", party_size=2,
            date=dt.date(2026, 3, 14), time=dt.time.fromisoformat(time), sitting_minutes=90,
        )  # fmt: skip

    kept = (await storage.book(request("Before", "19:00"))).reservation
    assert kept is not None
    async with own_book(storage):
        added = (await storage.book(request("During", "19:00"))).reservation
        assert added is not None
    ids = [r.id for r in await storage.all_reservations()]
    assert kept.id in ids and added.id not in ids
