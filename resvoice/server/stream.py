"""One Twilio media stream = one phone call: frames in, a `VoiceSession` in the middle, the
agent's voice out through `TwilioOutput`.

The stream is accepted only with the one-time token the signed webhook issued for this call.
Malformed frames are logged, counted and skipped; the call carries on. Whatever ends the call
(Twilio's `stop`, the socket dropping, the agent hanging up, a transfer, shutdown), the session
is hung up, which persists it under the CallSid.

The route is a raw ASGI endpoint (`StreamEndpoint`): starlette's `WebSocket` does the handshake
and the close, while the frames (50 a second each way per call) are read from `receive` and
written to `send` directly, without a wrapper's state checks and coroutine per message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from resvoice.agent.events import Escalated, TurnCompleted
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.telephone import PairedDecoder
from resvoice.server import twilio_wire as wire
from resvoice.server.calls import LiveCall, mask_phone
from resvoice.server.context import ServerContext
from resvoice.server.transfer import CallTransfer
from resvoice.server.transport import TWILIO_RATE, TwilioOutput
from resvoice.voice.events import StateChanged, TurnLatency

log = logging.getLogger(__name__)

PUBLISHED = ("TurnCompleted", "NotepadUpdated", "CallerSpeech", "AgentSpeech", "BargeIn")
WARNINGS_PER_STREAM = 10  # then one line saying the rest are only counted


class Warnings:
    """Per-connection warning budget: a flood of junk frames writes a few lines, not one each
    (every bad frame is still counted on /metrics)."""

    def __init__(self, budget: int = WARNINGS_PER_STREAM) -> None:
        self.budget = budget
        self.given = 0

    def warn(self, message: str, extra: dict[str, Any]) -> None:
        self.given += 1
        if self.given <= self.budget:
            log.warning(message, extra=extra)
        elif self.given == self.budget + 1:
            log.warning("further warnings on this stream suppressed", extra=extra)


class StreamEndpoint:
    """`/twilio/stream` as an ASGI app (starlette routes to it without a session wrapper)."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await handle_stream(WebSocket(scope, receive, send), self.ctx, receive, send)


async def handle_stream(ws: WebSocket, ctx: ServerContext, receive: Receive, send: Send) -> None:
    """One media stream: `ws` (over `receive` and `send`) accepts and closes it, the frames go
    through `receive` and `send` themselves."""
    if ctx.calls.draining:
        await ws.close(code=1013)  # try again later
        return
    await ws.accept()
    warnings = Warnings()
    try:
        start = await asyncio.wait_for(_await_start(receive, ctx, warnings), ctx.start_timeout_s)
    except TimeoutError:
        ctx.metrics.rejected_streams.inc()
        warnings.warn("media stream closed: no start in time", {"after_s": ctx.start_timeout_s})
        await _close(ws, 1008)
        return
    if start is None:
        return
    callback_base = _admit(start, ctx, ws)
    if callback_base is None:
        ctx.metrics.rejected_streams.inc()
        log.warning("media stream refused: no valid token", extra={"call_sid": start.call_sid})
        await _close(ws, 1008)
        return
    if start.call_sid in ctx.calls.calls:  # one live stream per call (a replayed webhook)
        ctx.metrics.rejected_streams.inc()
        log.warning(
            "media stream refused: call already streaming", extra={"call_sid": start.call_sid}
        )
        await _close(ws, 1008)
        return
    await _Call(ws, receive, send, ctx, start, callback_base, warnings).serve()


async def _close(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):  # the peer may be gone already
        await ws.close(code=code)


async def _receive(receive: Receive) -> str | bytes | None:
    """The next message's text (or bytes); None when the peer closed."""
    try:
        message = await receive()
    except (WebSocketDisconnect, RuntimeError, OSError):
        return None
    return _content(message)


def _content(message: Message) -> str | bytes | None:
    """A websocket message's text (or bytes); None for the end of the stream."""
    text: str | bytes | None = message.get("text")
    if text is None:
        if message["type"] != "websocket.receive":  # websocket.disconnect
            return None
        text = message.get("bytes") or b""
    return text


def _parse(
    raw: str | bytes, ctx: ServerContext, call_sid: str | None, warnings: Warnings
) -> wire.Inbound | None:
    try:
        return wire.parse(raw)
    except wire.WireError as exc:
        ctx.metrics.bad_frames.labels(kind=exc.kind).inc()
        warnings.warn(
            "bad media-stream frame skipped",
            {"call_sid": call_sid, "kind": exc.kind, "error": str(exc)[:200]},
        )
        return None


async def _await_start(
    receive: Receive, ctx: ServerContext, warnings: Warnings
) -> wire.Start | None:
    while True:
        raw = await _receive(receive)
        if raw is None:
            return None
        event = _parse(raw, ctx, None, warnings)
        if isinstance(event, wire.Start):
            return event
        if event is not None and not isinstance(event, wire.Connected):
            warnings.warn("frame before start ignored", {"event": type(event).__name__})


def _admit(start: wire.Start, ctx: ServerContext, ws: WebSocket) -> str | None:
    """The callback base URL if the stream is one our signed webhook started."""
    token = start.parameters.get("token", "")
    base = ctx.tokens.redeem(token, start.call_sid)
    if base is None and ctx.insecure:
        scheme = "https" if ws.url.scheme == "wss" else "http"
        return ctx.signatures.public_url or f"{scheme}://{ws.url.netloc}"
    return base


class _Call:
    def __init__(
        self,
        ws: WebSocket,
        receive: Receive,
        send: Send,
        ctx: ServerContext,
        start: wire.Start,
        callback_base: str,
        warnings: Warnings,
    ) -> None:
        self.ws = ws
        self._receive = receive
        self._send = send
        self.warnings = warnings
        self.ctx = ctx
        self.sid = start.call_sid
        self.caller = start.parameters.get("from") or None
        self.output = TwilioOutput(self._send_text, start.stream_sid, ctx.metrics, clock=ctx.pacing)
        self.transfer: CallTransfer = ctx.call_transfer(self.sid, callback_base)
        self.agent = ctx.runtime.session(
            conversation_id=self.sid, caller_id=self.caller, transfer=self.transfer
        )
        self.agent.state.metadata.channel = "twilio"
        self.agent.state.metadata.stream_sid = start.stream_sid
        self.voice = ctx.voice_factory(self.agent, self.output)
        # two frames per decode and per hand-off to recognition: the caller's audio reaches the
        # recogniser up to 20 ms later, for about half the per-frame work behind the socket
        self.decoder = PairedDecoder(TWILIO_RATE, INTERNAL_RATE, frames=2)
        self.live = LiveCall(self.sid, self.caller, self.agent, self.voice, self.end)
        self.reason = "caller_hangup"
        self._closing = False
        self._punctual: float | None = None  # the least (arrival - timestamp) seen, in seconds
        self._errors_counted: dict[str, int] = {}  # provider -> errors already on /metrics

    async def serve(self) -> None:
        ctx = self.ctx
        ctx.calls.add(self.live)
        ctx.metrics.active_calls.inc()
        log.info("call started", extra={"call_sid": self.sid, "caller": mask_phone(self.caller)})
        self._publish()
        try:
            async with asyncio.TaskGroup() as group:
                watcher = group.create_task(self._watch())
                sender = group.create_task(self.output.run())
                runner = group.create_task(self._run_voice())
                await self._receive_loop()
                await self.end(self.reason)
                await runner
                self.output.close()
                await sender
                watcher.cancel()
        finally:
            ctx.calls.remove(self.sid)
            ctx.metrics.active_calls.dec()
            ctx.metrics.calls.labels(reason=self.reason).inc()
            self._count_errors()
            ctx.hub.publish("call_ended", {"call": self.sid, "reason": self.reason})
            log.info("call ended", extra={"call_sid": self.sid, "reason": self.reason})

    async def end(self, reason: str) -> None:
        """Hang the session up (persisting it) and close the stream; idempotent."""
        if self._closing:
            return
        self._closing = True
        self.reason = reason
        if not self.voice.ended:
            try:
                await self.voice.hangup(reason)
            except Exception:
                log.exception("hangup failed; persisting directly", extra={"call_sid": self.sid})
                await self.agent.end(reason)
        if self.ws.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _send_text(self, text: str) -> None:
        await self._send({"type": "websocket.send", "text": text})

    async def _run_voice(self) -> None:
        try:
            await self.voice.run()
        except Exception:
            log.exception("voice session failed", extra={"call_sid": self.sid})
            if not self._closing:
                await self.end("error")
            return
        # the agent ended the call itself (goodbye, transfer): closing the stream lets Twilio
        # move on to the next TwiML verb, or hang up when there is none
        reason = "transferred" if self.transfer.done else "agent_hangup"
        if not self._closing:
            await self.end(reason)

    async def _receive_loop(self) -> None:
        await self._receive_frames()
        await self._flush_audio()  # however the stream ended, the frames held back are heard

    async def _receive_frames(self) -> None:
        # the hot path: 50 frames a second per call; names bound once, media tested first
        clock = time.perf_counter
        handling = self.ctx.metrics.frame_seconds
        decoder = self.decoder
        decode = decoder.process
        push = self.voice.push_audio
        receive = self._receive
        while not self._closing:
            try:
                raw = _content(await receive())
            except (WebSocketDisconnect, RuntimeError, OSError):
                raw = None
            if raw is None:
                if not self._closing:
                    self.reason = "disconnected"
                return
            started = clock()
            event = _parse(raw, self.ctx, self.sid, self.warnings)
            if type(event) is wire.Media:
                if event.track in ("inbound", "inbound_track"):
                    self._observe_lag(started, event.timestamp_ms)
                    pcm = decode(event.payload)
                    if pcm is not None:
                        await push(pcm)
                    handling.observe(clock() - started)
                continue
            if event is not None and decoder.holding:
                await self._flush_audio()  # the session gets audio and events in their order
            if isinstance(event, wire.Mark):
                if self.output.played(event.name):
                    self.voice.mark_played(event.name)
            elif isinstance(event, wire.Dtmf):
                await self.voice.dtmf(event.digit)
            elif isinstance(event, wire.Stop):
                self.reason = "transferred" if self.transfer.done else "caller_hangup"
                return
            elif isinstance(event, wire.Start):
                self.warnings.warn("second start on one stream ignored", {"call_sid": self.sid})

    async def _flush_audio(self) -> None:
        pcm = self.decoder.flush()
        if pcm is not None:
            await self.voice.push_audio(pcm)

    def _observe_lag(self, arrival: float, timestamp_ms: int) -> None:
        # lag against the most punctual frame so far, not the first: a first frame that came
        # late would make every later frame look early (lag 0) and hide the real delays
        offset = arrival - timestamp_ms / 1000
        if self._punctual is None or offset < self._punctual:
            self._punctual = offset
        self.ctx.metrics.frame_lag.observe(offset - self._punctual)

    async def _watch(self) -> None:
        metrics = self.ctx.metrics
        async for event in self.voice.events():
            name = type(event).__name__
            self._count_errors()  # live: an error shows on /metrics with the call's next event
            if isinstance(event, StateChanged):
                self.live.observe_state(event.state)
                self._publish()
                if event.state in ("idle", "listening") and self.transfer.pending is not None:
                    await self._redirect()
            elif isinstance(event, TurnLatency):
                total = event.figures.get("end_of_speech_to_first_audio_ms")
                if total is not None:
                    metrics.turn_latency.observe(total / 1000)
            elif isinstance(event, Escalated):
                if event.state != "already_escalated":
                    metrics.escalations.labels(reason=event.reason).inc()
                    await self._publish_escalation(event.escalation_id)
                self._publish()
            elif isinstance(event, TurnCompleted) or name in PUBLISHED:
                self._publish()

    async def _redirect(self) -> None:
        """Once the hold line has been played, hand the call to Twilio's `<Dial>`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.output.drained(), 15.0)
        escalation = self.transfer.pending
        redirected = await self.transfer.redirect()
        if escalation is not None:
            await self._publish_escalation(escalation.id)
        if redirected:
            # the call now runs the <Dial>; Twilio stops this stream, and we need not wait
            await self.end("transferred")

    async def _publish_escalation(self, escalation_id: int | None) -> None:
        from resvoice.server.board import escalation_view

        rows = await self.ctx.runtime.storage.escalations(self.sid)
        for row in rows:
            if row.id == escalation_id:
                self.ctx.hub.publish("escalation", escalation_view(row))

    def _publish(self) -> None:
        self.ctx.hub.publish("call", self.live.view())

    def _count_errors(self) -> None:
        """Add the session's `voice_errors` not yet counted to the provider error counter."""
        for provider, count in self.agent.state.metadata.voice_errors.items():
            new = count - self._errors_counted.get(provider, 0)
            if new > 0:
                self.ctx.metrics.provider_errors.labels(provider=provider).inc(new)
                self._errors_counted[provider] = count
