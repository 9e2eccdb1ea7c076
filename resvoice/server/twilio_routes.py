"""Twilio's HTTP webhooks: the incoming call (or, past the call limit, the lines-busy answer and
its callback message), call status, the transfer's dial outcome and the voicemail. Every one is
signature-checked (403 otherwise) unless `--insecure-dev`."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from resvoice.server import twiml
from resvoice.server.calls import mask_phone
from resvoice.server.context import ServerContext
from resvoice.server.signature import Forbidden
from resvoice.server.transfer import record_dial_outcome
from resvoice.storage.records import EscalationRecord

log = logging.getLogger(__name__)

ENDED_STATUSES = ("completed", "failed", "busy", "no-answer", "canceled")


def _xml(body: str) -> Response:
    return Response(body, media_type="application/xml")


def _ctx(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


async def _form(request: Request) -> dict[str, str] | Response:
    try:
        return await _ctx(request).signatures.form(request)
    except Forbidden as exc:
        log.warning("twilio webhook refused", extra={"path": request.url.path, "why": str(exc)})
        # the unread body is not drained: the connection ends with the answer
        return Response("forbidden", status_code=403, headers={"Connection": "close"})


def _base(ctx: ServerContext, request: Request) -> str:
    """Where Twilio reaches us: PUBLIC_URL, or the scheme and host of this request."""
    if ctx.signatures.public_url:
        return ctx.signatures.public_url
    parts = urlsplit(str(request.url))
    return f"{parts.scheme}://{parts.netloc}"


class BadId(ValueError):
    """An `escalation=` query parameter that is not a storage id."""


def _escalation_id(request: Request) -> int | None:
    """The `escalation=` id our own TwiML put in the URL; None when absent, `BadId` when it
    is not a positive 64-bit integer in ASCII digits."""
    raw = request.query_params.get("escalation")
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not 0 < int(raw) < 2**63:
        raise BadId(raw[:40])
    return int(raw)


async def voice(request: Request) -> Response:
    """The incoming call: connect a media stream with the call's parameters and a token."""
    form = await _form(request)
    if isinstance(form, Response):
        return form
    ctx = _ctx(request)
    call_sid = form.get("CallSid", "")
    if ctx.calls.draining or not call_sid:
        return _xml(twiml.busy())
    base = _base(ctx, request)
    if ctx.at_capacity:
        return _xml(await _lines_busy(ctx, call_sid, form.get("From", ""), base))
    stream_url = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    token = ctx.tokens.issue(call_sid, base)
    log.info("incoming call", extra={"call_sid": call_sid, "caller": mask_phone(form.get("From"))})
    parameters = {"callSid": call_sid, "from": form.get("From", ""), "token": token}
    return _xml(twiml.connect_stream(f"{stream_url}/twilio/stream", parameters))


async def status(request: Request) -> Response:
    """Call status callbacks: a call that ended or failed closes its session."""
    form = await _form(request)
    if isinstance(form, Response):
        return form
    ctx = _ctx(request)
    call = ctx.calls.calls.get(form.get("CallSid", ""))
    state = form.get("CallStatus", "")
    if call is not None and state in ENDED_STATUSES:
        await call.end(f"status_{state}")
    return Response(status_code=204)


async def dial(request: Request) -> Response:
    """The transfer's `<Dial action>`: record who answered; take a voicemail if nobody did."""
    form = await _form(request)
    if isinstance(form, Response):
        return form
    ctx = _ctx(request)
    try:
        escalation_id = _escalation_id(request)
    except BadId:
        return Response("bad escalation id", status_code=400)
    answered = await record_dial_outcome(
        ctx.runtime.storage, ctx.metrics, escalation_id, form.get("DialCallStatus", "")
    )
    await _publish(ctx, escalation_id)
    query = f"?escalation={escalation_id}" if escalation_id is not None else ""
    return _xml(twiml.after_dial(answered, f"{_base(ctx, request)}/twilio/voicemail{query}"))


async def voicemail(request: Request) -> Response:
    """The caller left a voicemail after an unanswered transfer: attach it to the escalation."""
    form = await _form(request)
    if isinstance(form, Response):
        return form
    ctx = _ctx(request)
    try:
        escalation_id = _escalation_id(request)
    except BadId:
        return Response("bad escalation id", status_code=400)
    if escalation_id is not None:
        recording = form.get("RecordingUrl", "")
        await ctx.runtime.storage.record_transfer_outcome(
            escalation_id, "callback", f"nobody answered; voicemail {recording}".strip()
        )
        await _publish(ctx, escalation_id)
    return _xml(twiml.goodbye())


async def busy_message(request: Request) -> Response:
    """The message a caller left when all lines were busy: attach it to their callback row."""
    form = await _form(request)
    if isinstance(form, Response):
        return form
    ctx = _ctx(request)
    escalation_id = _escalation_id(request)
    if escalation_id is not None:
        recording = form.get("RecordingUrl", "")
        await ctx.runtime.storage.record_transfer_outcome(
            escalation_id, "callback", f"all lines were busy; message {recording}".strip()
        )
        await _publish(ctx, escalation_id)
    return _xml(twiml.goodbye())


async def _lines_busy(ctx: ServerContext, call_sid: str, caller: str, base: str) -> str:
    """Past the call limit: a callback row for staff, and the busy answer with a message."""
    ctx.metrics.lines_busy.inc()
    log.warning(
        "all lines busy: callback offered",
        extra={"call_sid": call_sid, "caller": mask_phone(caller), "max_calls": ctx.max_calls},
    )
    row = await ctx.runtime.storage.create_escalation(
        EscalationRecord(
            conversation_id=call_sid,
            reason="lines_busy",
            detail=f"all {ctx.max_calls} lines were busy: call the guest back",
            status="callback",
            notepad={"phone": caller} if caller else {},
        )
    )
    await _publish(ctx, row.id)
    return twiml.lines_busy(f"{base}/twilio/busy-message?escalation={row.id}")


async def _publish(ctx: ServerContext, escalation_id: int | None) -> None:
    from resvoice.server.board import escalation_view

    if escalation_id is None:
        return
    for row in await ctx.runtime.storage.escalations():
        if row.id == escalation_id:
            ctx.hub.publish("escalation", escalation_view(row))


routes = [
    Route("/twilio/voice", voice, methods=["POST"]),
    Route("/twilio/status", status, methods=["POST"]),
    Route("/twilio/dial", dial, methods=["POST"]),
    Route("/twilio/voicemail", voicemail, methods=["POST"]),
    Route("/twilio/busy-message", busy_message, methods=["POST"]),
]
