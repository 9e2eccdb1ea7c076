"""The console's Bookings view: the day's book as JSON, staff changes, and its live feed.

`GET /console/bookings?date=YYYY-MM-DD` gives the day's reservations by time, each with its
history; `POST /console/bookings/{code}/cancel|move|note` changes one as staff through the
`StaffBook` (the rules and texts of `resvoice bookings`). `relay_reservations` publishes every
reservation any process books, changes or cancels (`Storage.watch_reservations`: NOTIFY on
Postgres, the change history polled on SQLite) to this process's console feed, so every
console shows it without a reload.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from resvoice.book.staff import BookError, StaffBook, StaffChange, UnknownCodeError
from resvoice.errors import StorageError
from resvoice.server.console import _bearer, _ctx, _refuse, _same_origin, _user
from resvoice.server.context import ServerContext
from resvoice.server.hub import Hub
from resvoice.storage.base import Storage

__all__ = ["relay_reservations", "relay_text_outcomes", "routes", "staff_book"]

log = logging.getLogger(__name__)

RELAY_RETRY_S = (0.5, 1.0, 2.0, 5.0)  # back-off after a lost feed, then every 5 s
MAX_BODY = 4096  # bytes of a staff change's JSON


class _Move(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: dt.date | None = None
    time: dt.time | None = None


class _Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(max_length=500)
    text: bool = True


class _Cancel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: bool = True


async def relay_reservations(book: StaffBook, storage: Storage, hub: Hub) -> None:
    """Publish each reservation any process books, changes or cancels, as it then stands.

    Runs until cancelled or the storage closes; a lost feed is logged and reopened after a
    back-off (a console reloads its day when the feed comes back)."""
    failures = 0
    while True:
        try:
            async for reservation_id in storage.watch_reservations():
                failures = 0
                reservation = await storage.reservation(reservation_id)
                if reservation is not None:
                    hub.publish("reservation", await book.view(reservation))
            return  # the storage was closed: the server is stopping
        except StorageError as exc:
            delay = RELAY_RETRY_S[min(failures, len(RELAY_RETRY_S) - 1)]
            failures += 1
            log.warning("reservation feed lost", extra={"error": str(exc), "retry_s": delay})
            await asyncio.sleep(delay)


async def relay_text_outcomes(book: StaffBook, texted: asyncio.Queue[int], hub: Hub) -> None:
    """Republish a reservation once a staff text about it has gone (or failed), so the
    consoles show its outcome. Runs until cancelled."""
    while True:
        reservation_id = await texted.get()
        reservation = await book.reservation(reservation_id)
        if reservation is not None:
            hub.publish("reservation", await book.view(reservation))


async def day(request: Request) -> Response:
    ctx = _ctx(request)
    if _user(request, ctx.console_auth, ctx.insecure) is None:
        return _refuse(ctx.console_auth)
    book = staff_book(ctx)
    raw = request.query_params.get("date")
    try:
        shown = dt.date.fromisoformat(raw) if raw else book.today()
    except ValueError:
        return JSONResponse({"error": f"{raw!r} is not a date (YYYY-MM-DD)"}, status_code=400)
    reservations = await book.between(shown, shown)
    return JSONResponse(
        {
            "date": shown.isoformat(),
            "today": book.today().isoformat(),
            "reservations": [await book.view(r) for r in reservations],
        }
    )


async def cancel(request: Request) -> Response:
    return await _change(request, "cancel")


async def move(request: Request) -> Response:
    return await _change(request, "move")


async def note(request: Request) -> Response:
    return await _change(request, "note")


routes = [
    Route("/console/bookings", day, methods=["GET"]),
    Route("/console/bookings/{code}/cancel", cancel, methods=["POST"]),
    Route("/console/bookings/{code}/move", move, methods=["POST"]),
    Route("/console/bookings/{code}/note", note, methods=["POST"]),
]


# helpers -------------------------------------------------------------------------------------
def staff_book(ctx: ServerContext) -> StaffBook:
    """The server's staff book, made once."""
    if ctx.staff_book is None:
        ctx.staff_book = ctx.runtime.staff_book()
    return ctx.staff_book


async def _change(request: Request, action: str) -> Response:
    """One staff change: 200 with the reservation and its text; 404 for an unknown code; 409
    with the reason when the rules refuse it; 400 for a malformed request."""
    ctx = _ctx(request)
    user = _user(request, ctx.console_auth, ctx.insecure)
    if user is None:
        return _refuse(ctx.console_auth)
    if not _from_our_page(request, ctx):
        log.warning("staff change refused: not from the console's origin")
        return JSONResponse({"error": "cross-origin request refused"}, status_code=403)
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse({"error": "request too large"}, status_code=413)
    code = request.path_params["code"]
    book = staff_book(ctx)
    try:
        change = await _apply(book, action, code, body or b"{}")
    except ValidationError as exc:
        problem = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        return JSONResponse({"error": f"{where}: {problem['msg']}"}, status_code=400)
    except UnknownCodeError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    except BookError as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    view = await book.view(change.reservation)
    ctx.hub.publish("reservation", view)  # this server's consoles at once; the feed follows
    log.info("booking changed by staff", extra={"action": action, "by": user})
    text = change.text
    return JSONResponse(
        {
            "reservation": view,
            "text": None if text is None else {"sent": text.sent, "error": text.error},
        }
    )


def _from_our_page(request: Request, ctx: ServerContext) -> bool:
    """The claims' rule: a change carried by a browser's cookie or saved basic credentials must
    come from the console's own page; a bearer token is sent by a script on purpose."""
    return _bearer(request, ctx.console_auth) or _same_origin(request, ctx.signatures.public_url)


async def _apply(book: StaffBook, action: str, code: str, body: bytes) -> StaffChange:
    if action == "cancel":
        return await book.cancel(code, text=_Cancel.model_validate_json(body).text)
    if action == "move":
        where = _Move.model_validate_json(body)
        return await book.move(code, day=where.date, time=where.time)
    wanted = _Note.model_validate_json(body)
    return await book.note(code, wanted.note, text=wanted.text)
