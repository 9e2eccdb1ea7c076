"""`resvoice sessions list|show|purge`: the saved calls of talk, serve and replay."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from resvoice.commands.shared import DbOption, errors_exit_2, load_settings, out, run_on_db
from resvoice.errors import ConfigError

app = typer.Typer(help="Saved calls: list them, or show one in full.", no_args_is_help=True)


@app.command("list")
def sessions_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="How many calls, newest first.")] = 20,
) -> None:
    """List saved calls (talk, serve and replay), newest first."""
    from resvoice.commands.session_tables import print_session_list

    run_on_db(db, lambda storage: print_session_list(out, storage, limit), create=False)


@app.command("show")
def sessions_show(
    conversation_id: Annotated[str, typer.Argument(metavar="ID", help="A call's id.")],
    db: DbOption = None,
) -> None:
    """Show one saved call: notepad, transcript and escalation."""
    from resvoice.commands.session_tables import print_session

    run_on_db(db, lambda storage: print_session(out, storage, conversation_id), create=False)


@app.command("purge")
def sessions_purge(
    before: Annotated[
        str, typer.Option(metavar="DATE", help="Delete calls started before this (YYYY-MM-DD).")
    ],
    db: DbOption = None,
) -> None:
    """Delete saved calls started before DATE: transcripts, and recordings with them."""
    from resvoice.commands.purge import purge_before

    settings = load_settings()
    with errors_exit_2():
        day = _day(before)  # a bad date is told before the database is looked for
    run_on_db(db, lambda storage: purge_before(out, storage, settings, day), create=False)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--before {text!r}: give a date as YYYY-MM-DD") from None
