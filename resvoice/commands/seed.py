"""`resvoice seed`: load a restaurant's data file into the database, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from resvoice.commands.shared import DbOption, err, load_settings, open_db, out, run


def seed(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Restaurant data file (YAML), the same as --file.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            help="Restaurant data file (YAML); default: the demo restaurant shipped with resvoice.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    embedder: Annotated[
        str | None,
        typer.Option(help="auto | hashing | minilm | sentence-transformers | openai"),
    ] = None,
) -> None:
    """Load a restaurant's menu, policies, FAQ, tables and hours (safe to run again)."""
    if path is not None and file is not None and path != file:
        raise typer.BadParameter("give the restaurant file once: as an argument or as --file")
    file = file or path
    settings = load_settings()

    async def work() -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        from resvoice.demo import restaurant_file
        from resvoice.restaurant.loader import load_profile
        from resvoice.runtime import embedder_from_settings
        from resvoice.seeding import seed_restaurant

        profile = load_profile(file or restaurant_file())
        chosen = embedder_from_settings(settings, embedder)
        async with open_db(db, settings) as storage:
            with Progress(
                TextColumn("embedding with [bold]{task.fields[embedder]}[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("embed", total=None, embedder=chosen.name)
                summary = await seed_restaurant(
                    storage,
                    profile,
                    chosen,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        out.print(
            f"Seeded [bold]{escape(profile.restaurant.name)}[/]: {summary.tables} tables, "
            f"{summary.documents} documents ({summary.embedded} embedded with {chosen.name}, "
            f"{summary.removed} removed)."
        )

    run(work())
