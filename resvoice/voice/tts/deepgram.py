"""Deepgram Aura 2 speech synthesis over the speak websocket, through `deepgram-sdk`.

Why the websocket and not REST per sentence: both start speaking after the model's first-byte
time, but REST pays an HTTP request per sentence while a websocket that is already open pays
nothing, and the websocket has `Clear` for barge-in. So sockets are kept warm in a small pool:
a sentence takes an idle socket (or opens one), sends `Speak` + `Flush`, yields the binary audio
until `Flushed`, and gives the socket back. A sentence abandoned mid-way (barge-in) hands its
socket to a background task that sends `Clear` and drains it to `Cleared` before reuse, so stale
audio never reaches the next sentence. Deepgram allows 20 flushes a minute per socket, so a
socket that has used them up is retired and a fresh one opened. Only this module knows Aura's
message shapes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from resvoice.errors import ConfigError, VoiceProviderError
from resvoice.voice.deepgram_client import make_client
from resvoice.voice.tts.base import AudioChunk

if TYPE_CHECKING:
    from deepgram import AsyncDeepgramClient
    from deepgram.speak.v1.socket_client import AsyncV1SocketClient

__all__ = ["AURA_MODEL", "DeepgramAuraTTS"]

AURA_MODEL = "aura-2-thalia-en"
FLUSHES_PER_MINUTE = 20  # Deepgram's documented limit per socket
MAX_TEXT = 2000  # characters per Speak message
LINEAR16_RATES = (8000, 16000, 24000, 32000, 48000)
MULAW_RATES = (8000, 16000)
log = logging.getLogger(__name__)


class DeepgramAuraTTS:
    """Aura 2 TTS; one instance serves every call of a process (sockets are pooled).

    Args:
        api_key: the Deepgram key (sent as `Authorization: Token ...`).
        base_url: a self-hosted Deepgram or a test fake (`RESVOICE_DEEPGRAM_URL`).
        model: an Aura voice, `aura-2-thalia-en` by default.
        sample_rate: rate of the chunks produced.
        encoding: `linear16`, or `mulaw` (8 or 16 kHz) to have Deepgram produce exactly the
            G.711 a Twilio call carries; chunks are still PCM16 (`AudioChunk`'s contract),
            decoded here, so the transport's mu-law encoding gives back Deepgram's bytes.
        max_idle_sockets: warm sockets kept open between sentences.
        response_timeout_s: a sentence whose socket stays silent this long has failed.
    """

    name = "deepgram"

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        *,
        model: str = AURA_MODEL,
        sample_rate: int = 24000,
        encoding: Literal["linear16", "mulaw"] = "linear16",
        max_idle_sockets: int = 4,
        response_timeout_s: float = 10.0,
    ) -> None:
        rates = MULAW_RATES if encoding == "mulaw" else LINEAR16_RATES
        if sample_rate not in rates:
            raise ConfigError(f"Deepgram Aura {encoding} takes sample_rate in {rates}")
        self.sample_rate = sample_rate
        self.encoding = encoding
        self._client: AsyncDeepgramClient = make_client(api_key, base_url)
        self._params = {"model": model, "encoding": encoding, "sample_rate": sample_rate}
        self._idle: deque[_Socket] = deque()
        self._max_idle = max_idle_sockets
        self._response_timeout_s = response_timeout_s
        self._cleanups: set[asyncio.Task[None]] = set()
        self._closed = False
        self.errors = 0
        self.last_error: str | None = None

    async def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        """Speak one sentence; chunks arrive as Deepgram sends them."""
        if not text.strip():
            return
        for attempt in (1, 2):
            socket = await self._acquire()
            produced = False
            finished = False
            try:
                async with contextlib.aclosing(self._speak(socket, text)) as chunks:
                    async for chunk in chunks:
                        produced = True
                        yield chunk
                finished = True
            except _SocketClosed as exc:
                await socket.close()
                if produced or attempt == 2:
                    raise self._failure(f"socket closed mid-sentence ({exc})") from exc
                continue  # an idle socket the server had closed: once more on a fresh one
            finally:
                if finished:
                    self._release(socket)
                elif not socket.closed:
                    self._clear_later(socket)
            return

    async def aclose(self) -> None:
        self._closed = True
        for task in list(self._cleanups):
            task.cancel()
        await asyncio.gather(*self._cleanups, return_exceptions=True)
        while self._idle:
            await self._idle.popleft().close()

    # -- one sentence on one socket -------------------------------------------------------

    async def _speak(self, socket: _Socket, text: str) -> AsyncGenerator[AudioChunk, None]:
        from deepgram.speak.v1.types import SpeakV1Text

        try:
            for start in range(0, len(text), MAX_TEXT):
                await socket.ws.send_text(SpeakV1Text(text=text[start : start + MAX_TEXT]))
            await socket.ws.send_flush()
        except Exception as exc:
            raise _SocketClosed(str(exc)) from exc
        socket.flushes.append(time.monotonic())
        carry = b""
        while True:
            try:
                async with asyncio.timeout(self._response_timeout_s):
                    message = await socket.receive()
            except TimeoutError as exc:
                raise _SocketClosed(f"no answer for {self._response_timeout_s:g} s") from exc
            if isinstance(message, bytes):
                pcm, carry = self._decode(carry + message)
                if pcm:
                    yield AudioChunk(pcm, self.sample_rate)
            elif _kind(message) == "Flushed":
                return
            else:
                self._note(message)

    def _decode(self, data: bytes) -> tuple[bytes, bytes]:
        """Wire bytes -> (PCM16, leftover odd byte)."""
        if self.encoding == "mulaw":
            return mulaw_to_pcm16(data), b""
        cut = len(data) - len(data) % 2
        return data[:cut], data[cut:]

    def _note(self, message: Any) -> None:
        kind = _kind(message)
        if kind == "Warning":
            self.errors += 1
            code, description = getattr(message, "code", "?"), getattr(message, "description", "")
            self.last_error = f"{code}: {description}"
            log.warning("deepgram aura warning=%s count=%d", self.last_error, self.errors)
        elif kind == "Metadata":
            log.debug("deepgram aura model=%s", getattr(message, "model_name", ""))
        elif kind != "Cleared":
            self.errors += 1
            self.last_error = f"unrecognised Aura message: {str(message)[:80]!r}"
            log.warning("deepgram aura error=%s", self.last_error)

    # -- the socket pool ------------------------------------------------------------------

    async def _acquire(self) -> _Socket:
        while self._idle:
            socket = self._idle.popleft()
            if socket.flushes_left() > 0:
                return socket
            await socket.close()  # used up its flushes for this minute
        return await self._open()

    async def _open(self) -> _Socket:
        from deepgram.core.api_error import ApiError

        stack = AsyncExitStack()
        try:
            ws = await stack.enter_async_context(self._client.speak.v1.connect(**self._params))
        except ApiError as exc:
            await stack.aclose()
            status = getattr(exc, "status_code", None)
            hint = "check DEEPGRAM_API_KEY" if status == 401 else "check RESVOICE_DEEPGRAM_URL"
            raise self._failure(f"the server refused the connection ({status}): {hint}") from exc
        except OSError as exc:
            await stack.aclose()
            raise self._failure(f"cannot reach Deepgram: {exc}") from exc
        return _Socket(ws, stack)

    def _release(self, socket: _Socket) -> None:
        if socket.closed:
            return
        if self._closed or len(self._idle) >= self._max_idle:
            self._clean_up(socket.close())
        else:
            self._idle.append(socket)

    def _clear_later(self, socket: _Socket) -> None:
        self._clean_up(self._clear(socket))

    async def _clear(self, socket: _Socket) -> None:
        """Drop what the socket still had to say, then make it idle again."""
        try:
            await socket.ws.send_clear()
            async with asyncio.timeout(5.0):
                while _kind(await socket.receive()) != "Cleared":
                    pass
        except (Exception, TimeoutError):
            await socket.close()
            return
        self._release(socket)

    def _clean_up(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    def _failure(self, message: str) -> VoiceProviderError:
        self.errors += 1
        self.last_error = message
        return VoiceProviderError(f"Deepgram TTS: {message}")


@dataclass
class _Socket:
    ws: AsyncV1SocketClient
    stack: AsyncExitStack
    flushes: deque[float] = field(default_factory=deque)
    closed: bool = False

    def flushes_left(self) -> int:
        cutoff = time.monotonic() - 60.0
        while self.flushes and self.flushes[0] < cutoff:
            self.flushes.popleft()
        return FLUSHES_PER_MINUTE - len(self.flushes)

    async def receive(self) -> Any:
        from websockets.exceptions import ConnectionClosed

        try:
            return await self.ws.recv()
        except ConnectionClosed as exc:
            self.closed = True
            raise _SocketClosed(str(exc)) from exc

    async def close(self) -> None:
        self.closed = True
        with contextlib.suppress(Exception):
            await self.ws.send_close()
        with contextlib.suppress(Exception):
            await self.stack.aclose()


class _SocketClosed(Exception):
    pass


def _kind(message: Any) -> str | None:
    kind = getattr(message, "type", None)
    return str(kind) if kind is not None else None


def _mulaw_table() -> tuple[bytes, ...]:
    table = []
    for code in range(256):
        value = ~code & 0xFF
        magnitude = (((value & 0x0F) << 3) + 0x84) << ((value & 0x70) >> 4)
        sample = 0x84 - magnitude if value & 0x80 else magnitude - 0x84
        table.append(sample.to_bytes(2, "little", signed=True))
    return tuple(table)


_MULAW = _mulaw_table()


def mulaw_to_pcm16(data: bytes) -> bytes:
    """G.711 mu-law -> PCM16 little-endian."""
    return b"".join(_MULAW[code] for code in data)
