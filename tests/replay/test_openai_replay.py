"""`resvoice replay` end to end with `brain: openai`: the CLI, the runtime's settings, the real
SDK and the fake OpenAI server, one phone call from greeting to booking."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from tests.conftest import TRANSCRIPTS
from tests.fakes.openai_server import Call, FakeOpenAI, Reply, Text

pytest.importorskip("openai")

runner = CliRunner()

CALL = """\
name: OpenAI brain books a table
today: "2026-02-02T15:30"
brain: openai
turns:
  - user: "Hi, I'd like a table for four this Saturday at 7pm"
    expect:
      notepad: {party_size: 4, date: "2026-02-07", time: "19:00"}
      reply_contains: ["name"]
  - user: "Ada Lovelace, 555 123 4567"
    expect:
      notepad: {name: Ada Lovelace, phone: "+15551234567"}
      reply_contains: ["shall I book"]
  - user: "Yes please"
    expect:
      reply_contains: ["booked"]
expect:
  data_complete: true
  reservation: booked
  escalated: false
"""

SCRIPT = (
    Reply(
        (
            Call(
                "capture_reservation_data",
                '{"party_size": 4, "date": "2026-02-07", "time": "19:00"}',
            ),
            Call("check_availability", "{}"),
        )
    ),
    Reply((Text("Saturday at seven for four is free. ", "What name is it under?"),)),
    Reply((Call("capture_reservation_data", '{"name": "Ada Lovelace", "phone": "555 123 4567"}'),)),
    Reply((Text("Ada Lovelace, four guests, Saturday at seven. Shall I book it?"),)),
    Reply((Call("book_reservation", "{}"),)),
    Reply((Text("You're booked. ", "See you on Saturday!"),)),
)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, settings: object) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key="sk-test") as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("RESVOICE_OPENAI_RETRIES", "0")
        yield server


@pytest.mark.parametrize(
    ("api", "path"), [("auto", "/v1/responses"), ("chat", "/v1/chat/completions")]
)
def test_a_call_books_a_table_through_the_model(
    fake: FakeOpenAI,
    seeded_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    api: str,
    path: str,
) -> None:
    monkeypatch.setenv("RESVOICE_OPENAI_API", api)
    transcript = tmp_path / "openai_call.yaml"
    transcript.write_text(CALL)
    fake.script(*SCRIPT)
    result = runner.invoke(
        app, ["replay", "--db", seeded_url, "--json", "--model", "gpt-replay", str(transcript)]
    )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["passed"] and outcome["reservation"] is not None
    assert outcome["turns"][2]["reply"] == "You're booked. See you on Saturday!"
    requests = fake.model_requests()
    assert len(requests) == len(SCRIPT)
    assert {r.body["model"] for r in requests} == {"gpt-replay"}
    assert {r.path for r in requests} == {path}


def test_a_shipped_call_still_passes_when_every_model_request_fails(
    fake: FakeOpenAI, seeded_url: str
) -> None:
    # nothing scripted: the fake answers 500 and the rules brain takes every turn
    shipped = next(p for p in TRANSCRIPTS if p.name.startswith("01_"))
    result = runner.invoke(app, ["replay", "--db", seeded_url, "--brain", "openai", str(shipped)])
    assert result.exit_code == 0, result.output
    assert len(fake.model_requests()) >= 3


def test_openai_brain_without_key_or_server_is_one_clear_error(
    settings: object, seeded_url: str
) -> None:
    shipped = TRANSCRIPTS[0]
    result = runner.invoke(app, ["replay", "--db", seeded_url, "--brain", "openai", str(shipped)])
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.output
    assert "Traceback" not in result.output
