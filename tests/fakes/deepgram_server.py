"""A local Deepgram for tests: Flux (`/v2/listen`) and Aura (`/v1/speak`) on a real websocket.

It speaks the documented wire formats so the real `deepgram-sdk` can be pointed at it:
- every connection must carry `Authorization: Token <key>` (else HTTP 401, as Deepgram does);
  the query string the SDK sent is recorded per connection for tests to check;
- Flux: `Connected` on open, then whatever the test's script sends (`TurnInfo` with its
  events, `Error`, raw junk, an abrupt drop); binary frames are audio, recorded per socket;
  a `CloseStream` message ends the socket after the script has finished;
- Aura: `Metadata` on open; `Speak` text accumulates; `Flush` synthesises it into binary audio
  (`fake_speech(text)`, several frames) followed by `Flushed`; `Clear` drops what is pending and
  answers `Cleared`; `Close` closes. Encoding `mulaw` gets mu-law bytes.

Scripts are async functions taking a `FluxSocket`; one is consumed per Flux connection, in order.
"""

from __future__ import annotations

import asyncio
import functools
import json
import math
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

API_KEY = "test-deepgram-key"
FLUX_RATE = 16_000

FluxScript = Callable[["FluxSocket"], Awaitable[None]]


@dataclass
class Handshake:
    path: str
    query: dict[str, str]
    headers: Headers


@dataclass
class FluxSocket:
    """One Flux connection as the test's script sees it."""

    ws: ServerConnection
    handshake: Handshake
    audio: bytearray = field(default_factory=bytearray)
    frame_sizes: list[int] = field(default_factory=list)  # bytes per binary message
    controls: list[dict[str, Any]] = field(default_factory=list)
    turn_index: int = 0
    closed: bool = False
    _sequence: int = 0
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def audio_s(self) -> float:
        return len(self.audio) / 2 / FLUX_RATE

    async def wait_audio(self, n_bytes: int) -> None:
        """Until at least `n_bytes` of audio have arrived on this socket."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.closed or len(self.audio) >= n_bytes)

    async def wait_control(self, kind: str) -> None:
        """Until the client has sent a JSON message of this `type`."""
        async with self._changed:
            await self._changed.wait_for(
                lambda: self.closed or any(c.get("type") == kind for c in self.controls)
            )

    async def send(self, message: dict[str, Any]) -> None:
        message = {**message, "sequence_id": self._sequence}
        self._sequence += 1
        await self.ws.send(json.dumps(message))

    async def turn(self, event: str, transcript: str, *, eot_confidence: float = 0.5) -> None:
        """A `TurnInfo` message for the current turn; words are spread over the audio so far."""
        words = transcript.split()
        end = self.audio_s
        step = end / max(len(words), 1)
        await self.send(
            {
                "type": "TurnInfo",
                "request_id": self._request_id,
                "event": event,
                "turn_index": self.turn_index,
                "audio_window_start": 0.0,
                "audio_window_end": end,
                "transcript": transcript,
                "words": [
                    {"word": w, "confidence": 0.9, "start": i * step, "end": (i + 1) * step}
                    for i, w in enumerate(words)
                ],
                "end_of_turn_confidence": eot_confidence,
            }
        )
        if event == "EndOfTurn":
            self.turn_index += 1

    async def fatal(self, code: str, description: str) -> None:
        """Flux's fatal error (wire type `Error`), then the server closes the socket."""
        await self.send({"type": "Error", "code": code, "description": description})
        await self.ws.close(1011, description[:100])

    async def drop(self) -> None:
        """The network goes away: no close frame."""
        transport = self.ws.transport
        transport.abort()

    async def _record(self, message: str | bytes) -> None:
        async with self._changed:
            if isinstance(message, bytes):
                self.audio.extend(message)
                self.frame_sizes.append(len(message))
            else:
                self.controls.append(json.loads(message))
            self._changed.notify_all()


class FakeDeepgram:
    """The fake server; `async with FakeDeepgram() as dg:` then `dg.url`."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.flux_scripts: deque[FluxScript] = deque()
        self.flux_sockets: list[FluxSocket] = []
        self.speak_handshakes: list[Handshake] = []
        self.speak_sockets: list[ServerConnection] = []
        self.speak_messages: list[dict[str, Any]] = []
        self.rejected: list[Handshake] = []
        self.speak_gate: asyncio.Event | None = None  # when set: hold audio after 1st frame
        self.speak_warning: dict[str, str] | None = None  # sent once after the next Flush
        self.accept_gate: asyncio.Event | None = None  # when set: hold handshakes until set
        self._server: Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = next(iter(self._server.sockets)).getsockname()[:2]
        return f"http://{host}:{port}"

    def flux(self, *scripts: FluxScript) -> None:
        """Queue one script per coming Flux connection."""
        self.flux_scripts.extend(scripts)

    async def __aenter__(self) -> FakeDeepgram:
        self._server = await serve(
            self._handle, "127.0.0.1", 0, process_request=self._check_request
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _check_request(
        self, connection: ServerConnection, request: Request
    ) -> Response | None:
        if self.accept_gate is not None:
            await self.accept_gate.wait()
        handshake = _handshake(request)
        if request.headers.get("Authorization") != f"Token {self.api_key}":
            self.rejected.append(handshake)
            return connection.respond(401, "invalid credentials\n")
        if handshake.path not in ("/v2/listen", "/v1/speak"):
            self.rejected.append(handshake)
            return connection.respond(404, "unknown endpoint\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        handshake = _handshake(ws.request)
        if handshake.path == "/v2/listen":
            await self._flux(ws, handshake)
        else:
            await self._speak(ws, handshake)

    async def _flux(self, ws: ServerConnection, handshake: Handshake) -> None:
        socket = FluxSocket(ws, handshake)
        self.flux_sockets.append(socket)
        script = self.flux_scripts.popleft() if self.flux_scripts else None
        await socket.send({"type": "Connected", "request_id": socket._request_id})
        reader = asyncio.create_task(_read_into(socket))
        try:
            if script is not None:
                await script(socket)
            await socket.wait_control("CloseStream")
            await ws.close()
        except ConnectionClosed:
            pass
        finally:
            reader.cancel()

    async def close_speak_sockets(self) -> None:
        """Close every open speak socket from the server side (an idle timeout)."""
        for ws in self.speak_sockets:
            await ws.close(1000, "idle")

    async def _speak(self, ws: ServerConnection, handshake: Handshake) -> None:
        self.speak_handshakes.append(handshake)
        self.speak_sockets.append(ws)
        mulaw = handshake.query.get("encoding") == "mulaw"
        rate = int(handshake.query.get("sample_rate", "24000"))
        sequence = 0
        pending: list[str] = []
        await ws.send(
            json.dumps(
                {
                    "type": "Metadata",
                    "request_id": str(uuid.uuid4()),
                    "model_name": handshake.query.get("model", "aura-2-thalia-en"),
                    "model_version": "fake",
                    "model_uuid": str(uuid.uuid4()),
                }
            )
        )
        try:
            async for raw in ws:
                message = json.loads(raw)
                self.speak_messages.append(message)
                kind = message.get("type")
                if kind == "Speak":
                    pending.append(message["text"])
                elif kind == "Flush":
                    audio = fake_speech("".join(pending), rate, mulaw=mulaw)
                    pending.clear()
                    for i, frame in enumerate(_frames(audio, 3)):
                        await ws.send(frame)
                        if i == 0 and self.speak_gate is not None:
                            await self.speak_gate.wait()
                    if self.speak_warning is not None:
                        await ws.send(json.dumps({"type": "Warning", **self.speak_warning}))
                        self.speak_warning = None
                    await ws.send(json.dumps({"type": "Flushed", "sequence_id": sequence}))
                    sequence += 1
                elif kind == "Clear":
                    pending.clear()
                    await ws.send(json.dumps({"type": "Cleared", "sequence_id": sequence}))
                    sequence += 1
                elif kind == "Close":
                    await ws.close()
                    return
        except ConnectionClosed:
            pass


@functools.lru_cache(maxsize=64)
def fake_speech(text: str, rate: int, *, mulaw: bool = False) -> bytes:
    """Deterministic 'speech' for `text`: 20 ms of tone per character, pitch from the char."""
    samples: list[int] = []
    per_char = rate // 50
    for char in text:
        freq = 200 + (ord(char) % 40) * 10
        samples.extend(int(8000 * math.sin(2 * math.pi * freq * n / rate)) for n in range(per_char))
    if mulaw:
        return bytes(_mulaw(s) for s in samples)
    return b"".join(s.to_bytes(2, "little", signed=True) for s in samples)


def _mulaw(sample: int) -> int:
    """G.711 mu-law encode one PCM16 sample (reference algorithm)."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), clip) + bias
    exponent = max(0, magnitude.bit_length() - 8)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _frames(audio: bytes, count: int) -> list[bytes]:
    size = max(2, -(-len(audio) // count) // 2 * 2)
    return [audio[i : i + size] for i in range(0, len(audio), size)]


async def _read_into(socket: FluxSocket) -> None:
    try:
        async for message in socket.ws:
            await socket._record(message)
    except ConnectionClosed:
        pass
    finally:
        async with socket._changed:
            socket.closed = True
            socket._changed.notify_all()


def _handshake(request: Request) -> Handshake:
    parts = urlsplit(request.path)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return Handshake(parts.path, query, request.headers)
