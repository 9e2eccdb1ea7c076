"""`resvoice eval dialogues`: the scoring convention, on a hand-made fixture with known answers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.insights.dialogues import (
    EVAL_TODAY,
    DialogueTurn,
    Prediction,
    RulesExtractor,
    evaluate,
    load_turns,
)

FIXTURE = Path(__file__).with_name("dialogues_fixture.jsonl")
runner = CliRunner()


class Scripted:
    """Predictions written by hand, keyed by dialogue and turn."""

    name = "scripted"

    def __init__(self, answers: dict[tuple[str, int], Prediction]) -> None:
        self.answers = answers

    async def extract(self, turn: DialogueTurn, today: dt.date) -> Prediction:
        assert today == EVAL_TODAY
        return self.answers.get((turn.dialogue_id, turn.turn_idx), {})


async def test_scoring_convention() -> None:
    turns = load_turns(FIXTURE)
    report = await evaluate(
        turns,
        Scripted(
            {
                ("t_1", 0): {"party_size": 2},  # right
                ("t_1", 2): {"time": "19:30", "party_size": 7},  # right, and a false party
                ("t_1", 4): {"date": "2019-03-09"},  # wrong value
                ("t_2", 0): {"party_size": 4, "date": "2019-03-15"},  # date not scorable
                ("t_3", 2): {"time": "18:00"},  # right
                # ("t_3", 4): the party of three is missed
            }
        ),
    )
    assert report.turns == 8
    party, date, time = (report.slots[s] for s in ("party_size", "date", "time"))
    assert (party.gold, party.predicted, party.correct) == (3, 3, 2)
    assert (date.gold, date.predicted, date.correct) == (1, 1, 0)  # next Friday is not scored
    assert (time.gold, time.predicted, time.correct) == (2, 2, 2)
    assert party.precision == pytest.approx(2 / 3) and party.recall == pytest.approx(2 / 3)
    assert (date.precision, date.recall) == (0.0, 0.0)
    assert (time.precision, time.recall) == (1.0, 1.0)
    # party is scored on every turn (8): t_1#2 (false positive) and t_3#4 (missed) are wrong
    assert party.accuracy == pytest.approx(6 / 8)
    assert date.accuracy == pytest.approx(6 / 7)  # 7 scored turns, t_1#4 wrong
    # jointly wrong: t_1#2, t_1#4, t_3#4
    assert report.joint_correct == 5 and report.joint_accuracy == pytest.approx(5 / 8)
    worst = report.worst_errors(10)
    assert worst[0].turn_idx == 2 and worst[0].slot == "party_size" and worst[0].expected is None
    assert {(e.dialogue_id, e.turn_idx, e.slot) for e in worst} == {
        ("t_1", 2, "party_size"),
        ("t_1", 4, "date"),
        ("t_3", 4, "party_size"),
    }


async def test_rules_extractor_on_the_fixture() -> None:
    report = await evaluate(load_turns(FIXTURE), RulesExtractor())
    data = report.as_dict()
    # By hand: both stated parties are read, the bare "Three." with no question is not; the
    # 8th is March 8th (today 2019-03-01); "tonight" names no day, so it is counted apart, not
    # as a date (counted, it would be a false one); "six thirty in the evening" reads 18:30
    # where the data set says 18:00.
    assert data["slots"]["party_size"] | {} == {
        "gold": 3, "predicted": 2, "correct": 2, "precision": 1.0, "recall": 0.6667,
        "accuracy": 0.875,
    }  # fmt: skip
    assert data["slots"]["date"] | {} == {
        "gold": 1, "predicted": 1, "correct": 1, "precision": 1.0, "recall": 1.0,
        "accuracy": 1.0, "same_day": 1, "same_day_uninformed": 1,
        "precision_with_same_day": 0.5,
    }  # fmt: skip
    assert data["slots"]["time"] | {} == {
        "gold": 2, "predicted": 2, "correct": 1, "precision": 0.5, "recall": 0.5,
        "accuracy": 0.875,
    }  # fmt: skip
    assert data["turns"] == 8 and data["joint_accuracy"] == 0.75


def test_cli_json_is_one_object_of_the_documented_shape(settings: object) -> None:
    result = runner.invoke(app, ["eval", "dialogues", str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # exactly one object: json.loads refuses trailing data
    assert set(data) == {"turns", "joint_accuracy", "slots"}
    assert set(data["slots"]) == {"party_size", "date", "time"}
    for slot in data["slots"].values():
        assert {"gold", "predicted", "correct", "precision", "recall"} <= set(slot)
    assert data["turns"] == 8


def test_cli_table_limit_and_errors(settings: object, tmp_path: Path) -> None:
    shown = runner.invoke(app, ["eval", "dialogues", str(FIXTURE), "--limit", "3"])
    assert shown.exit_code == 0, shown.output
    assert "3 turns" in shown.output and "joint accuracy: 100.0%" in shown.output
    full = runner.invoke(app, ["eval", "dialogues", str(FIXTURE)])
    assert "worst errors (2 of 2)" in full.output and "Six thirty" in full.output
    assert "not scored as a named date: 1 turn " in full.output
    assert "date precision would be 50.0%" in full.output

    bad = tmp_path / "bad.jsonl"
    bad.write_text(FIXTURE.read_text().splitlines()[0] + '\n{"dialogue_id": "x"}\n')
    failed = runner.invoke(app, ["eval", "dialogues", str(bad)])
    assert failed.exit_code == 2
    assert f"{bad}:2:" in failed.output and "Traceback" not in failed.output
    missing = runner.invoke(app, ["eval", "dialogues", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    other = runner.invoke(app, ["eval", "dialogues", str(FIXTURE), "--brain", "psychic"])
    assert other.exit_code == 2 and "--brain rules" in other.output
