"""Render a dialogue evaluation as rich tables: per-slot figures, joint accuracy, worst errors."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from resvoice.insights.dialogues import EvalReport
from resvoice.terminal import printable


def print_eval(console: Console, report: EvalReport, *, source: str, errors: int = 10) -> None:
    """Per-slot precision, recall and accuracy, then a sample of the worst errors."""
    table = Table(title=f"{source}: {report.turns} turns, {report.extractor} extractor")
    for column in ("slot", "gold", "predicted", "correct", "precision", "recall", "accuracy"):
        table.add_column(column, justify="left" if column == "slot" else "right")
    for slot, score in report.slots.items():
        table.add_row(
            slot,
            str(score.gold),
            str(score.predicted),
            str(score.correct),
            _pct(score.precision),
            _pct(score.recall),
            _pct(score.accuracy),
        )
    console.print(table)
    console.print(
        f"joint accuracy: [bold]{_pct(report.joint_accuracy)}[/] "
        f"({report.joint_correct} of {report.turns} turns)"
    )
    if report.same_day:
        console.print(
            f"same-day words read as today, not scored as a named date: {report.same_day} "
            f"turn{'s' if report.same_day != 1 else ''} "
            f"({report.same_day_uninformed} informing no date in the data set; counted as "
            f"predictions, date precision would be {_pct(report.date_precision_with_same_day)})",
            highlight=False,
        )
    worst = report.worst_errors(errors)
    if not worst:
        return
    console.print(f"\n[bold]worst errors[/] ({len(worst)} of {report.error_count}):")
    for error in worst:
        expected = "nothing" if error.expected is None else str(error.expected)
        got = "nothing" if error.predicted is None else str(error.predicted)
        console.print(
            f"{error.dialogue_id}#{error.turn_idx} {error.slot}: expected {expected}, got {got}",
            highlight=False,
        )
        if error.system_before:
            console.print(
                f"    agent:  {printable(error.system_before)}", highlight=False, markup=False
            )
        console.print(f"    caller: {printable(error.text)}", highlight=False, markup=False)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"
