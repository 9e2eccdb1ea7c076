"""The human-readable replay report."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as _escape

from resvoice.replay.runner import ReplayResult, VoiceStats
from resvoice.terminal import printable


def print_result(console: Console, result: ReplayResult) -> None:
    mark = "[green]PASS[/]" if result.passed else "[red]FAIL[/]"
    console.print(f"{mark} {escape(result.name)}  [dim]{escape(result.file)}[/]")
    for turn in result.turns:
        who = "caller[/] [dim](corrects)[/]" if turn.correction else "caller[/]"
        console.print(f"  [cyan]{who} {escape(turn.user)}")
        if turn.heard is not None:
            console.print(f"  [cyan]heard[/]  {escape(turn.heard)}")
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
    for index, given in enumerate(result.given_reservations, start=1):
        shown = ", ".join(f"{k} {v}" for k, v in given.items() if v is not None)
        console.print(f"  [dim]given reservation {index}: {escape(shown)}[/]")
    for message in result.messages:
        console.print(f"  [dim]text to {escape(message['to'])}: {escape(message['body'])}[/]")
    if result.voice is not None:
        v = result.voice
        console.print(
            f"  [dim]voice: WER {_show(v.wer)} | end of speech -> first audio p50 "
            f"{_show(v.turn_latency_ms_p50)} ms, p95 {_show(v.turn_latency_ms_p95)} ms"
            f" | corrections {', '.join(v.corrections) or 'none'}"
            f" | barge-ins {v.barge_ins}, resumed {v.resumed}, held {v.held}"
            f"{f' | said again unheard {v.said_again}' if v.said_again else ''}[/]"
        )
    for failure in result.failures:
        console.print(f"  [red]✗ {escape(failure)}[/]")


def voice_summary(calls: list[VoiceStats]) -> str:
    """One line over a voice replay's calls: mean WER (of the calls that had words), and the
    barge-ins, resumed sentences and held protected speech in all."""
    wers = [c.wer for c in calls if c.wer is not None]
    mean = f"{sum(wers) / len(wers):.3f}" if wers else "-"
    return (
        f"voice: mean WER {mean} over {len(wers)} calls | barge-ins "
        f"{sum(c.barge_ins for c in calls)}, resumed {sum(c.resumed for c in calls)}, "
        f"held {sum(c.held for c in calls)}"
    )


def escape(text: str) -> str:
    """Caller or file text as console markup: no markup of its own, no terminal control."""
    return _escape(printable(text))


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
