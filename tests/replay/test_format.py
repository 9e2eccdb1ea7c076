"""The transcript format is a contract: unknown keys are errors with a line number."""

from __future__ import annotations

import pytest

from resvoice.errors import FixtureError
from resvoice.replay.format import Transcript
from resvoice.yamlfile import parse_yaml_model


def parse(text: str) -> Transcript:
    return parse_yaml_model(text, Transcript, "call.yaml")


def test_full_example_parses() -> None:
    transcript = parse(
        'name: x\ntoday: "2026-02-02T15:30"\ncaller: "+15551230000"\nbrain: rules\n'
        "turns:\n  - user: hi\n    expect:\n      reply_contains: [phone]\n"
        '  - dtmf: "0"\n  - user: ""\nexpect:\n  escalated: true\n'
        "  escalation_reason: user_requested\n  reservation: none\n"
    )
    assert [t.dtmf for t in transcript.turns] == [None, "0", None]
    assert transcript.turns[2].user == ""
    assert transcript.expect is not None and transcript.expect.reservation == "none"


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("name: x\nturns:\n  - user: hi\n    expcet: {}\n", 4, "expcet"),
        ("name: x\nturns:\n  - user: hi\nexpect:\n  notepad: {colour: red}\n", 5, "colour"),
        ("name: x\nturns:\n  - user: hi\n    dtmf: '0'\n", 3, "exactly one"),
        ("name: x\nbrain: gpt\nturns:\n  - user: hi\n", 2, "brain"),
        ("name: x\nturns: []\n", 2, "turns"),
    ],
)
def test_bad_transcripts_name_the_line(text: str, line: int, needle: str) -> None:
    with pytest.raises(FixtureError) as caught:
        parse(text)
    assert caught.value.line == line
    assert needle in str(caught.value)
