"""`resvoice sessions list|show`: the saved calls of talk, serve and replay."""

from __future__ import annotations

from typing import Annotated

import typer

from resvoice.commands.shared import DbOption, out, run_on_db

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
