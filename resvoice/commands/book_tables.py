"""The `bookings` command's output: the book as a table (phones masked) or one JSON object,
and one line per staff change."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from resvoice.agent.messenger import mask_phone
from resvoice.book.staff import StaffBook, StaffChange
from resvoice.book.views import made_by, reservation_view
from resvoice.storage.records import Reservation, ReservationChange
from resvoice.terminal import printable

Span = tuple[dt.date | None, dt.date | None] | None


async def print_book(console: Console, book: StaffBook, span: Span, *, as_json: bool) -> None:
    """The reservations of `span` (None: today and the coming days), each with its history."""
    first, last = span if span is not None else (book.today(), None)
    reservations = await book.between(first, last)
    history = await book.history()
    if as_json:
        payload = {
            "reservations": [reservation_view(r, history.get(r.id, [])) for r in reservations]
        }
        typer.echo(json.dumps(payload))
        return
    if not reservations:
        console.print("No reservations" + (" from today on." if span is None else " then."))
        return
    console.print(book_table(reservations, history))


def book_table(
    reservations: Sequence[Reservation], history: dict[int, list[ReservationChange]]
) -> Table:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1))
    for column in ("day", "time", "party", "name", "phone", "table", "status", "code"):
        table.add_column(column, no_wrap=column != "name")
    table.add_column("notes", ratio=2, overflow="fold")
    table.add_column("made", no_wrap=True)
    for r in reservations:
        changes = history.get(r.id, [])
        notes = r.special_requests or ""
        if r.late_minutes:
            notes = f"{notes}; {r.late_minutes} min late".lstrip("; ")
        edits = sum(1 for change in changes if change.kind != "book")
        made = made_by(changes) + (f", {edits} change{'s' if edits != 1 else ''}" if edits else "")
        status = Text(r.status, style="red" if r.status == "cancelled" else "green")
        table.add_row(
            f"{r.date:%a %Y-%m-%d}",
            f"{r.time:%H:%M}",
            str(r.party_size),
            printable(r.name),
            mask_phone(r.phone),
            r.table.name,
            status,
            r.code,
            printable(notes),
            made,
        )
    return table


def print_change(console: Console, verb: str, change: StaffChange) -> None:
    """One line: what was done, and whether the guest is being texted."""
    r = change.reservation
    line = (
        f"{r.code} {verb}: {r.name}, party of {r.party_size}, "
        f"{r.date:%a %Y-%m-%d} at {r.time:%H:%M}, table {r.table.name}"
    )
    if r.special_requests:
        line += f", note: {r.special_requests}"
    if change.text is None:
        line += "; no text sent"
    elif change.text.sent:
        line += f"; texting {mask_phone(r.phone)}"
    else:
        line += f"; no text ({change.text.error})"
    console.print(printable(line), highlight=False, soft_wrap=True, markup=False)
