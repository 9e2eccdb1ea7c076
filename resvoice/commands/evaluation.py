"""`resvoice eval dialogues`: measure the notepad extractor on dialogue data nobody here wrote."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from resvoice.commands.shared import out, run

app = typer.Typer(help="Measure the agent on data nobody here wrote.", no_args_is_help=True)


@app.command("dialogues")
def eval_dialogues(
    file: Annotated[Path, typer.Argument(help="Dialogue turns, JSONL (see ../shared/eval).")],
    brain: Annotated[str, typer.Option(help="Whose extractor to measure.")] = "rules",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N turns.", show_default=False)
    ] = None,
    errors: Annotated[int, typer.Option(min=0, help="How many of the worst errors to show.")] = 10,
) -> None:
    """Party size, date and time precision/recall/accuracy and joint accuracy per turn."""

    async def work() -> None:
        from resvoice.insights.dialogues import evaluate, extractor_for, load_turns
        from resvoice.insights.eval_report import print_eval

        extractor = extractor_for(brain)
        turns = await asyncio.to_thread(load_turns, file, limit)
        report = await evaluate(turns, extractor)
        if as_json:
            sys.stdout.write(json.dumps(report.as_dict()) + "\n")
        else:
            print_eval(out, report, source=file.name, errors=errors)

    run(work())
