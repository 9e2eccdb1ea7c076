"""`resvoice bookings`: the restaurant's book - list it, and cancel, move or note a booking as
staff (recorded as by staff, texted to the guest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from resvoice.commands.shared import DbOption, errors_exit_2, load_settings, out, run
from resvoice.config import Settings
from resvoice.errors import ConfigError

if TYPE_CHECKING:  # the book's modules load only when a command runs
    from resvoice.book.staff import StaffBook

app = typer.Typer(
    help="The restaurant's book: list reservations; cancel, move or note one as staff.",
    invoke_without_command=True,
)

DateOption = Annotated[
    str | None, typer.Option("--date", help="One day (YYYY-MM-DD).", show_default=False)
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="First day (YYYY-MM-DD).", show_default=False)
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")]
CodeArgument = Annotated[str, typer.Argument(metavar="CODE", help="The confirmation code.")]


@app.callback()
def bookings(
    ctx: typer.Context,
    date: DateOption = None,
    first: FromOption = None,
    last: ToOption = None,
    every: Annotated[bool, typer.Option("--all", help="Every reservation, past ones too.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List reservations (default: today and the coming days)."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = db  # `bookings --db X cancel CODE` means that database too
        return
    from resvoice.commands.book_tables import print_book

    with errors_exit_2():
        span = _span(date, first, last, every)

    async def work(book: StaffBook) -> None:
        await print_book(out, book, span, as_json=as_json)

    _on_book(db or ctx.obj, work)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    code: CodeArgument,
    no_text: Annotated[bool, typer.Option("--no-text", help="Do not text the guest.")] = False,
    db: DbOption = None,
) -> None:
    """Cancel a booking as staff; the guest is texted unless --no-text."""
    from resvoice.commands.book_tables import print_change

    async def work(book: StaffBook) -> None:
        print_change(out, "cancelled", await book.cancel(code, text=not no_text))

    _on_book(db or ctx.obj, work)


@app.command("move")
def move(
    ctx: typer.Context,
    code: CodeArgument,
    date: DateOption = None,
    time: Annotated[
        str | None, typer.Option("--time", help="New time (HH:MM).", show_default=False)
    ] = None,
    db: DbOption = None,
) -> None:
    """Move a booking to another day and/or time, if a table is free then; texts the guest."""
    from resvoice.commands.book_tables import print_change

    with errors_exit_2():
        day = _day(date, "--date") if date else None
        at = _time(time) if time else None

    async def work(book: StaffBook) -> None:
        print_change(out, "moved", await book.move(code, day=day, time=at))

    _on_book(db or ctx.obj, work)


@app.command("note")
def note(
    ctx: typer.Context,
    code: CodeArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note (a special request).")],
    db: DbOption = None,
) -> None:
    """Set a booking's note (special request) as staff; texts the guest."""
    from resvoice.commands.book_tables import print_change

    async def work(book: StaffBook) -> None:
        print_change(out, "noted", await book.note(code, text))

    _on_book(db or ctx.obj, work)


# helpers -------------------------------------------------------------------------------------
def _on_book(db: str | None, work: Callable[[StaffBook], Awaitable[None]]) -> None:
    """Run `work` on the staff book of the database `--db` names, then wait for its texts."""
    settings = load_settings()

    async def opened() -> None:
        async with _book(db, settings) as book:
            try:
                await work(book)
            finally:
                await book.settle()

    run(opened())


@asynccontextmanager
async def _book(db: str | None, settings: Settings) -> AsyncIterator[StaffBook]:
    from resvoice.runtime import Runtime

    async with await Runtime.open(settings, db) as runtime:
        yield runtime.staff_book()


def _span(
    date: str | None, first: str | None, last: str | None, every: bool
) -> tuple[dt.date | None, dt.date | None] | None:
    """(first, last) days to list; None for the default (today on)."""
    if sum((date is not None, first is not None or last is not None, every)) > 1:
        raise ConfigError("give one of --date, --from/--to or --all")
    if every:
        return (None, None)
    if date is not None:
        day = _day(date, "--date")
        return (day, day)
    if first is None and last is None:
        return None
    start = _day(first, "--from") if first else None
    end = _day(last, "--to") if last else None
    if start and end and end < start:
        raise ConfigError(f"--to {end} is before --from {start}")
    return (start, end)


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option} {value!r} is not a date; write YYYY-MM-DD") from None


def _time(value: str) -> dt.time:
    try:
        return dt.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise ConfigError(f"--time {value!r} is not a time; write HH:MM (24-hour)") from None
