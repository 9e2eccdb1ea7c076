"""Score a slot extractor on task-oriented dialogue turns (the `../shared/eval/` JSONL format).

Scoring convention (the data set's README): each turn's `text` is read with `system_before` as
context and 2019-03-01 as today, without a dinner-only bias. Per slot:

- a turn whose `gold` has the slot counts once in `gold`; a prediction there counts in
  `predicted`, and in `correct` when it equals the gold value;
- a turn that informed no value for the slot turns any prediction into a false positive
  (counted in `predicted`, never in `correct`);
- a turn that informed a value `gold` could not normalise (a relative date such as
  "next Friday") is not scored for that slot.

The extractor's date is the day a caller *names*. A same-day word ("tonight", "this evening
7:15", "for today") fills the notepad's date with today in the product, but it names no day:
the data set's services take today as the date when none is given (their confirmations say
"for today" where the caller informed no date), so its annotators seldom mark these words as
informing one. Such turns predict no date and are counted apart, in `same_day`, so a report
can show the figures both ways.

precision = correct / predicted, recall = correct / gold, accuracy = share of scored turns whose
prediction equals the expectation (a value or nothing). A turn is jointly correct when every
slot scored on it is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TypedDict

from pydantic import BaseModel, ConfigDict, ValidationError

from resvoice.errors import ConfigError, FixtureError

SlotName = Literal["party_size", "date", "time"]
SLOTS: tuple[SlotName, ...] = ("party_size", "date", "time")
EVAL_TODAY = dt.date(2019, 3, 1)

__all__ = [
    "EVAL_TODAY",
    "SLOTS",
    "DialogueTurn",
    "EvalReport",
    "RulesExtractor",
    "SlotError",
    "SlotExtractor",
    "SlotScore",
    "evaluate",
    "extractor_for",
    "load_turns",
]


class DialogueTurn(BaseModel):
    """One caller turn of the data set; fields it does not use are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    dialogue_id: str
    turn_idx: int
    text: str
    system_before: str = ""
    informed: dict[str, str] = {}
    gold: dict[str, int | str] = {}


class Prediction(TypedDict, total=False):
    """One turn's slots, valued as in `gold`; `same_day` marks a same-day word read as today."""

    party_size: int
    date: str
    time: str
    same_day: bool


class SlotExtractor(Protocol):
    """Reads the slots of one caller turn; values as in `gold` (int, ISO date, HH:MM)."""

    name: str

    async def extract(self, turn: DialogueTurn, today: dt.date) -> Prediction: ...


class RulesExtractor:
    """The slot extractor (`language.slots`), with the data set's convention (no evening bias)."""

    name = "rules"

    async def extract(self, turn: DialogueTurn, today: dt.date) -> Prediction:
        return await asyncio.to_thread(self.extract_now, turn, today)

    def extract_now(self, turn: DialogueTurn, today: dt.date) -> Prediction:
        from resvoice.language.slots import extract_slots

        found = extract_slots(
            turn.text, today=today, system_before=turn.system_before or None, evening_bias=False
        )
        out: Prediction = {}
        if found.party_size is not None:
            out["party_size"] = found.party_size
        if found.date_same_day:
            out["same_day"] = True
        elif found.date is not None:
            out["date"] = found.date.isoformat()
        if found.time is not None:
            out["time"] = found.time.strftime("%H:%M")
        return out


def extractor_for(brain: str) -> SlotExtractor:
    """The extractor a brain captures the notepad with."""
    if brain == "rules":
        return RulesExtractor()
    raise ConfigError(f"no dialogue extractor for the {brain!r} brain yet; use --brain rules")


def load_turns(path: Path, limit: int | None = None) -> list[DialogueTurn]:
    """Read a JSONL file of turns; a malformed line is a `FixtureError` naming file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise FixtureError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    turns: list[DialogueTurn] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            turns.append(DialogueTurn.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or None
            raise FixtureError(str(path), first["msg"], number, where) from None
        if limit is not None and len(turns) >= limit:
            break
    if not turns:
        raise FixtureError(str(path), "holds no dialogue turns")
    return turns


@dataclass
class SlotScore:
    gold: int = 0
    predicted: int = 0
    correct: int = 0
    scored: int = 0
    matched: int = 0  # scored turns whose prediction equals the expectation

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def accuracy(self) -> float:
        return self.matched / self.scored if self.scored else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "accuracy": round(self.accuracy, 4),
        }


@dataclass(frozen=True)
class SlotError:
    """One slot the extractor got wrong on one turn; `expected` None means it should be empty."""

    dialogue_id: str
    turn_idx: int
    system_before: str
    text: str
    slot: SlotName
    expected: str | int | None
    predicted: str | int | None


@dataclass
class EvalReport:
    extractor: str
    turns: int = 0
    joint_correct: int = 0
    same_day: int = 0  # turns whose only date was a same-day word, read as today, not scored
    same_day_uninformed: int = 0  # of those, turns the data set marks as informing no date
    slots: dict[SlotName, SlotScore] = field(
        default_factory=lambda: {slot: SlotScore() for slot in SLOTS}
    )
    errors: list[list[SlotError]] = field(default_factory=list)  # per turn with an error

    @property
    def joint_accuracy(self) -> float:
        return self.joint_correct / self.turns if self.turns else 0.0

    @property
    def date_precision_with_same_day(self) -> float:
        """Date precision had same-day words counted as predictions of today."""
        date = self.slots["date"]
        predicted = date.predicted + self.same_day_uninformed
        return date.correct / predicted if predicted else 0.0

    @property
    def error_count(self) -> int:
        """Wrong slots over all turns."""
        return sum(len(errs) for errs in self.errors)

    def worst_errors(self, n: int = 10) -> list[SlotError]:
        """Errors of the turns with the most wrong slots first (file order among equals)."""
        ranked = sorted(self.errors, key=lambda errs: -len(errs))
        return [error for errs in ranked for error in errs][:n]

    def as_dict(self) -> dict[str, Any]:
        """The `--json` object: turns, joint accuracy and per-slot counts and ratios."""
        return {
            "turns": self.turns,
            "joint_accuracy": round(self.joint_accuracy, 4),
            "slots": {slot: score.as_dict() for slot, score in self.slots.items()}
            | {"date": self.slots["date"].as_dict() | self._same_day_dict()},
        }

    def _same_day_dict(self) -> dict[str, Any]:
        return {
            "same_day": self.same_day,
            "same_day_uninformed": self.same_day_uninformed,
            "precision_with_same_day": round(self.date_precision_with_same_day, 4),
        }


def score_turn(report: EvalReport, turn: DialogueTurn, predicted: Prediction) -> None:
    """Add one turn's prediction to the report (see the module docstring for the rules)."""
    report.turns += 1
    if predicted.get("same_day"):
        report.same_day += 1
        report.same_day_uninformed += "date" not in turn.informed
    wrong: list[SlotError] = []
    for slot in SLOTS:
        score = report.slots[slot]
        value = predicted.get(slot)
        gold = turn.gold.get(slot)
        if gold is not None:
            expected: str | int | None = gold
            score.gold += 1
            score.predicted += value is not None
            score.correct += value == gold
        elif slot not in turn.informed:
            expected = None
            score.predicted += value is not None
        else:
            continue  # informed, but the data set could not normalise it
        score.scored += 1
        if value == expected:
            score.matched += 1
        else:
            wrong.append(
                SlotError(
                    turn.dialogue_id,
                    turn.turn_idx,
                    turn.system_before,
                    turn.text,
                    slot,
                    expected,
                    value,
                )
            )
    if wrong:
        report.errors.append(wrong)
    else:
        report.joint_correct += 1


async def evaluate(
    turns: Sequence[DialogueTurn] | Iterable[DialogueTurn],
    extractor: SlotExtractor,
    *,
    today: dt.date = EVAL_TODAY,
) -> EvalReport:
    """Run the extractor over every turn and score it."""
    report = EvalReport(extractor=extractor.name)
    for turn in turns:
        score_turn(report, turn, await extractor.extract(turn, today))
    return report
