"""`resvoice stats`: how the agent is doing, from the stored calls (table, JSON or HTML)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from resvoice.commands.shared import DbOption, load_settings, open_db, out, run
from resvoice.errors import ResvoiceError


def stats(
    db: DbOption = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only calls from this day on (YYYY-MM-DD, UTC).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    html_file: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained report page with charts."),
    ] = None,
) -> None:
    """How the agent is doing: captured data, escalations, completed calls and latency."""
    settings = load_settings()

    async def work() -> None:
        from resvoice.insights.html import render_html
        from resvoice.insights.report import print_stats
        from resvoice.insights.stats import load_stats, parse_since

        start = parse_since(since) if since else None
        async with open_db(db, settings, create=False) as storage:
            figures = await load_stats(storage, start)
        if html_file is not None:
            page = render_html(figures)
            try:
                await asyncio.to_thread(html_file.write_text, page, encoding="utf-8")
            except OSError as exc:
                raise ResvoiceError(f"cannot write {html_file}: {exc.strerror or exc}") from None
        if as_json:
            sys.stdout.write(json.dumps(figures.as_json()) + "\n")
        else:
            print_stats(out, figures)
            if html_file is not None:
                out.print(f"report written to {html_file}", markup=False)

    run(work())
