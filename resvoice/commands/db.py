"""`resvoice db status|migrate|export|import`: the schema and moving data between databases."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from resvoice.commands.shared import DbOption, err, load_settings, open_db, out, run

app = typer.Typer(
    help="Show, apply and move the database: migrations, export and import (either backend).",
    no_args_is_help=True,
)


@app.command("status")
def db_status(db: DbOption = None) -> None:
    """Show which schema migrations are applied and which are pending (writes nothing)."""
    settings = load_settings()

    async def work() -> int:
        from resvoice.storage.maintenance import migration_status

        status = await migration_status(db or settings.database_url)
        out.print(f"{status.backend} database {status.database}", highlight=False, markup=False)
        for done in status.applied:
            out.print(
                f"  applied  {done.version:04d}_{done.name}  {done.applied_at:%Y-%m-%d %H:%M}"
            )
        for todo in status.pending:
            out.print(f"  pending  {todo.version:04d}_{todo.name}")
        if status.newer_than_code:
            err.print(
                f"[red]error:[/red] database schema v{status.current} is newer than this "
                f"resvoice (v{status.latest}); upgrade resvoice",
                highlight=False,
                soft_wrap=True,
            )
            return 2
        out.print(f"schema v{status.current} of v{status.latest}", highlight=False)
        return 0

    raise typer.Exit(run(work()))


@app.command("migrate")
def db_migrate(db: DbOption = None) -> None:
    """Apply pending schema migrations (also done on every start); refuses a newer database."""
    settings = load_settings()

    async def work() -> None:
        from resvoice.storage.maintenance import apply_migrations

        applied = await apply_migrations(db or settings.database_url)
        for migration in applied:
            out.print(f"applied {migration.version:04d}_{migration.name}")
        if not applied:
            out.print("up to date: nothing to apply")

    run(work())


@app.command("export")
def db_export(
    file: Annotated[
        Path | None, typer.Argument(help="Where to write JSON lines; stdout when omitted.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the restaurant, knowledge, reservations, calls and escalations as JSON lines."""
    settings = load_settings()

    async def work() -> None:
        from resvoice.storage.export import export_lines

        async with open_db(db, settings, create=False) as storage:
            lines = [line async for line in export_lines(storage)]
        text = "".join(f"{line}\n" for line in lines)
        if file is None:
            sys.stdout.write(text)
        else:
            await asyncio.to_thread(file.write_text, text, encoding="utf-8")
            err.print(f"exported {len(lines) - 1} records to {file}", highlight=False, markup=False)

    run(work())


@app.command("import")
def db_import(
    file: Annotated[Path, typer.Argument(help="A `resvoice db export` file (JSON lines).")],
    db: DbOption = None,
) -> None:
    """Load an export into an empty database of either backend (e.g. SQLite -> Postgres)."""
    settings = load_settings()

    async def work() -> None:
        from resvoice.errors import FixtureError
        from resvoice.storage.export import import_lines, parse_lines

        try:
            text = await asyncio.to_thread(file.read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FixtureError(str(file), f"cannot read it: {exc}") from None
        lines = parse_lines(text.splitlines(), str(file))  # a bad line: nothing opened
        url = db or settings.database_url
        fresh = await asyncio.to_thread(_new_sqlite_file, url)
        try:
            async with open_db(db, settings) as storage:
                summary = await import_lines(storage, lines)
        except BaseException:
            if fresh is not None:  # a failed import into a new file leaves no file behind
                await asyncio.to_thread(_remove_sqlite, fresh)
            raise
        out.print(
            f"imported {summary.documents} documents, {summary.reservations} reservations, "
            f"{summary.sessions} calls, {summary.escalations} escalations and "
            f"{summary.texts} texts"
        )

    run(work())


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file `url` names when it does not exist yet (an import will create it)."""
    from resvoice.storage.url import parse_database_url

    parsed = parse_database_url(url)
    if parsed.backend != "sqlite" or parsed.path in (None, ":memory:"):
        return None
    path = Path(parsed.path).expanduser()
    return None if path.exists() else path


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
