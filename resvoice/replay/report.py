"""The human-readable replay report."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from resvoice.replay.runner import ReplayResult


def print_result(console: Console, result: ReplayResult) -> None:
    mark = "[green]PASS[/]" if result.passed else "[red]FAIL[/]"
    console.print(f"{mark} {escape(result.name)}  [dim]{escape(result.file)}[/]")
    for turn in result.turns:
        console.print(f"  [cyan]caller[/] {escape(turn.user)}")
        console.print(
            f"  [magenta]agent[/]  {escape(turn.reply)}  [dim]{turn.latency_ms:.1f} ms[/]"
        )
    if result.turns:
        facts = [
            f"notepad {result.notepad}",
            f"reservation {result.reservation or 'none'}",
            f"escalated {result.escalation_reason or 'no'}",
        ]
        console.print("  [dim]" + escape(" | ".join(facts)) + "[/]")
    for failure in result.failures:
        console.print(f"  [red]✗ {escape(failure)}[/]")
