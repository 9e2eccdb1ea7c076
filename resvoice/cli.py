"""The `resvoice` command line: composes the command modules in `resvoice.commands` into one
app. Each command composes the core; none re-implements it."""

from __future__ import annotations

import typer

from resvoice.commands import bookings, db, evaluation, sessions
from resvoice.commands.replay import replay
from resvoice.commands.seed import seed
from resvoice.commands.serve import serve
from resvoice.commands.stats import stats
from resvoice.commands.talk import talk

app = typer.Typer(
    name="resvoice",
    help="A voice agent that answers a restaurant's phone.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# `--help` lists the commands, then the groups, each in the order they are added here.
app.command()(seed)
app.command()(replay)
app.command()(talk)
app.command()(stats)
app.command()(serve)
app.add_typer(bookings.app, name="bookings")
app.add_typer(sessions.app, name="sessions")
app.add_typer(db.app, name="db")
app.add_typer(evaluation.app, name="eval")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
