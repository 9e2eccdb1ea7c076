"""One call's Deepgram Flux socket: audio out in 80 ms messages, Flux's turn messages in.

The only place that knows Flux's message shapes: `TurnInfo` (`StartOfTurn`, `Update`,
`EagerEndOfTurn`, `TurnResumed`, `EndOfTurn`) is mapped onto the project's `STTEvent`s. A stream
survives a dropped socket: it reconnects with backoff while `push()` keeps buffering (bounded,
oldest audio dropped first), then sends what it buffered. During gaps in the caller's audio it
sends 80 ms of silence every `keepalive_s` seconds, because Flux closes a socket that receives
no audio.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from resvoice.errors import VoiceProviderError
from resvoice.voice.stt.base import (
    EagerEndOfTurn,
    STTEvent,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)
from resvoice.voice.stt.socket_audio import Outbox, Timeline

if TYPE_CHECKING:
    from deepgram import AsyncDeepgramClient
    from deepgram.listen.v2.socket_client import AsyncV2SocketClient

__all__ = ["CHUNK_MS", "DeepgramFluxStream"]

CHUNK_MS = 80  # Flux's recommended audio message length
log = logging.getLogger(__name__)


class DeepgramFluxStream:
    """One call's Flux socket (reconnected as needed) and the events it produced."""

    def __init__(
        self,
        client: AsyncDeepgramClient,
        params: dict[str, Any],
        *,
        sample_rate: int,
        keepalive_s: float,
        max_buffer_bytes: int,
        max_reconnects: int,
        reconnect_delay_s: float,
        on_close: Callable[[DeepgramFluxStream], None] | None = None,
    ) -> None:
        self._client = client
        self._params = params
        self._rate = sample_rate
        self._keepalive_s = keepalive_s
        self._max_reconnects = max_reconnects
        self._reconnect_delay_s = reconnect_delay_s
        self._on_close = on_close
        self._events: asyncio.Queue[STTEvent | None] = asyncio.Queue()
        self._outbox = Outbox(sample_rate, max_buffer_bytes)
        self._audio_ready = asyncio.Event()
        self._input_ended = False
        self._closed = False
        self._failure: VoiceProviderError | None = None
        self._first_connection: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._timeline = Timeline(sample_rate)
        self._in_turn = False
        self._text = ""
        self._last_audio_ms = 0.0
        self.errors = 0
        self.reconnects = 0
        self.last_error: str | None = None

    @property
    def dropped_ms(self) -> float:
        """Caller audio dropped because a reconnect outlasted the buffer."""
        return self._outbox.dropped_ms

    async def start(self) -> None:
        self._first_connection = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._run(), name="deepgram-flux")
        await asyncio.shield(self._first_connection)

    async def push(self, pcm: bytes) -> None:
        if self._input_ended or self._closed or not pcm:
            return
        self._outbox.put(bytes(pcm))
        self._audio_ready.set()

    async def end_input(self) -> None:
        self._input_ended = True
        self._audio_ready.set()

    async def events(self) -> AsyncIterator[STTEvent]:
        while (event := await self._events.get()) is not None:
            yield event
        if self._failure is not None:
            raise self._failure

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        while not self._events.empty():  # stop at once: nothing queued is delivered
            self._events.get_nowait()
        self._events.put_nowait(None)
        if self._on_close is not None:
            self._on_close(self)

    # -- connection lifecycle -------------------------------------------------------------

    async def _run(self) -> None:
        from deepgram.core.api_error import ApiError

        failures = 0
        try:
            while True:
                try:
                    failures = await self._connection(failures)
                except ApiError as exc:
                    refused = getattr(exc, "status_code", None) in (401, 403)
                    if refused or not self._connected_once():
                        raise self._fail(_api_error_message(exc)) from exc
                    self._note_error(_api_error_message(exc))
                except Exception as exc:  # refused, timed out, bad handshake: all retried
                    reason = "cannot reach Deepgram" if isinstance(exc, OSError) else "failed"
                    self._note_error(f"{reason}: {type(exc).__name__}: {exc}")
                    if not self._connected_once():
                        raise self._fail(self.last_error or "") from exc
                if self._input_ended and not self._outbox:
                    break
                failures += 1
                if failures > self._max_reconnects:
                    raise self._fail(f"gave up after {failures - 1} reconnects: {self.last_error}")
                self._end_open_turn()
                await asyncio.sleep(min(self._reconnect_delay_s * 2 ** (failures - 1), 2.0))
                self.reconnects += 1
                log.info("deepgram flux reconnecting attempt=%d", failures)
        except VoiceProviderError as exc:
            self._failure = exc
            if self._first_connection is not None and not self._first_connection.done():
                self._first_connection.set_exception(exc)
        finally:
            if self._first_connection is not None and not self._first_connection.done():
                self._first_connection.set_exception(self._fail("the stream ended unexpectedly"))
            if not self._closed:
                self._end_open_turn()
                self._events.put_nowait(None)

    async def _connection(self, failures: int) -> int:
        """Serve one socket until it closes; returns the consecutive-failure count."""
        async with self._client.listen.v2.connect(**_query(self._params)) as socket:
            if self._first_connection is not None and not self._first_connection.done():
                self._first_connection.set_result(None)
            self._timeline.new_connection()
            sender = asyncio.create_task(self._send_loop(socket))
            try:
                return await self._receive_loop(socket, failures)
            finally:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await sender

    async def _send_loop(self, socket: AsyncV2SocketClient) -> None:
        """Send audio in 80 ms messages (Flux's recommendation); a shorter remainder goes when no
        more audio came for one chunk's time; silence when none came for `keepalive_s`."""
        chunk_bytes = CHUNK_MS * self._rate // 1000 * 2
        send_partial = False
        while True:
            outbox = self._outbox
            if outbox.size >= chunk_bytes or (outbox and (send_partial or self._input_ended)):
                start, chunk = outbox.take(chunk_bytes)
                self._timeline.sent_audio(start, len(chunk))
                try:
                    await socket.send_media(chunk)
                except Exception:
                    outbox.give_back(chunk)  # resent on the next socket
                    raise
                send_partial = False
            elif self._input_ended:
                await socket.send_close_stream()
                return
            else:
                self._audio_ready.clear()
                wait = CHUNK_MS / 1000 if outbox else self._keepalive_s
                try:
                    await asyncio.wait_for(self._audio_ready.wait(), wait)
                except TimeoutError:
                    if outbox:
                        send_partial = True
                        continue
                    silence = bytes(chunk_bytes)
                    self._timeline.sent_silence(outbox.pushed, len(silence))
                    await socket.send_media(silence)

    async def _receive_loop(self, socket: AsyncV2SocketClient, failures: int) -> int:
        from websockets.exceptions import ConnectionClosed, ConnectionClosedOK

        fatal = False  # after Flux's own Error message the close that follows is expected
        while True:
            try:
                message = await socket.recv()
            except ConnectionClosedOK:
                return failures
            except ConnectionClosed as exc:
                if not fatal:
                    code = exc.rcvd.code if exc.rcvd else 1006
                    self._note_error(f"socket dropped (code {code})")
                return failures
            except ValueError as exc:  # not JSON
                self._note_error(f"unreadable Flux message: {exc}")
                continue
            fatal = fatal or getattr(message, "type", None) == "Error"
            if self._handle(message):
                failures = 0

    # -- mapping Flux messages onto STTEvents ----------------------------------------------

    def _handle(self, message: Any) -> bool:
        """Map one parsed server message; True when it carried recognition (a healthy socket)."""
        kind = getattr(message, "type", None)
        if kind == "TurnInfo":
            self._turn_info(message)
            return True
        if kind == "Error":
            code = getattr(message, "code", "?")
            self._note_error(f"Flux error {code}: {getattr(message, 'description', '')}")
        elif kind in ("Connected", "ConfigureSuccess"):
            log.debug("deepgram flux %s request_id=%s", kind, getattr(message, "request_id", ""))
        elif kind in ("Warning", "ConfigureFailure"):
            log.warning(
                "deepgram flux %s code=%s description=%s",
                kind,
                getattr(message, "code", ""),
                getattr(message, "description", ""),
            )
        elif message is None:  # the SDK could not match the message to any type it knows
            self._note_error("unrecognised Flux message (a type deepgram-sdk does not know)")
        elif not isinstance(message, bytes):
            self._note_error(f"unrecognised Flux message: {str(message)[:80]!r}")
        return False

    def _turn_info(self, info: Any) -> None:
        event = str(getattr(info, "event", ""))
        text = str(getattr(info, "transcript", "") or "")
        words = list(getattr(info, "words", None) or [])
        start = self._audio_ms(float(getattr(info, "audio_window_start", 0.0) or 0.0))
        end = self._audio_ms(float(getattr(info, "audio_window_end", 0.0) or 0.0))
        self._last_audio_ms = max(self._last_audio_ms, end)
        if not self._in_turn:
            first = getattr(words[0], "start", None) if words else None
            self._in_turn = True
            self._text = ""
            self._emit(TurnStarted(self._audio_ms(first) if first is not None else start))
        if event == "EndOfTurn":
            self._in_turn = False
            last = getattr(words[-1], "end", None) if words else None
            confidences = [float(getattr(w, "confidence", 0.0)) for w in words]
            self._emit(
                TurnEnded(
                    text=text,
                    audio_ms=end,
                    speech_end_ms=self._audio_ms(last) if last is not None else None,
                    confidence=sum(confidences) / len(confidences) if confidences else None,
                )
            )
            return
        if text and text != self._text:
            self._text = text
            self._emit(TranscriptUpdate(text, end))
        if event == "EagerEndOfTurn":
            self._emit(EagerEndOfTurn(text, end))
        elif event == "TurnResumed":
            self._emit(TurnResumed(end))

    def _end_open_turn(self) -> None:
        """A socket closed mid-turn: end the turn with the words heard so far."""
        if self._in_turn:
            self._in_turn = False
            self._emit(TurnEnded(self._text, self._last_audio_ms))

    def _emit(self, event: STTEvent) -> None:
        if not self._closed:
            self._events.put_nowait(event)

    def _audio_ms(self, seconds: float) -> float:
        return self._timeline.pushed_ms(seconds)

    def _note_error(self, message: str) -> None:
        self.errors += 1
        self.last_error = message
        log.warning("deepgram flux error=%s count=%d", message, self.errors)

    def _fail(self, message: str) -> VoiceProviderError:
        return VoiceProviderError(f"Deepgram STT: {message}")

    def _connected_once(self) -> bool:
        return self._first_connection is not None and self._first_connection.done()


def _query(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


def _api_error_message(exc: Any) -> str:
    status = getattr(exc, "status_code", None)
    if status == 401:
        return "the server refused the API key (401): check DEEPGRAM_API_KEY"
    return f"the server refused the connection ({status}): check RESVOICE_DEEPGRAM_URL"
