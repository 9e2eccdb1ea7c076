"""A simulated Twilio: places a call on a `resvoice serve` the way Twilio does.

It posts the signed incoming-call webhook, reads the `<Connect><Stream>` TwiML, opens the media
websocket and speaks the Media Streams protocol with real frames (`connected`, `start`, 20 ms
base64 mu-law `media`, `dtmf`, `stop`). For the agent's side it behaves like Twilio's player:
audio it receives is "played" in real time from its arrival, each `mark` is echoed once the audio
before it has played, and `clear` drops unplayed audio and echoes the pending marks.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets
from twilio.request_validator import RequestValidator
from websockets.frames import Frame, Opcode

from resvoice.audio.codec import pcm16_to_mulaw

FRAME_BYTES = 160  # 20 ms of mu-law at 8 kHz
SILENCE_FRAME = b"\xff" * FRAME_BYTES


@dataclass
class Played:
    """What the caller heard: agent frames, marks in order, clears."""

    frames: int = 0
    marks: list[str] = field(default_factory=list)
    clears: int = 0
    frames_after_clear: int = 0
    log: list[tuple[str, Any]] = field(default_factory=list)


class TwilioPeer:
    def __init__(self, ws: websockets.ClientConnection, call_sid: str, stream_sid: str) -> None:
        self.ws = ws
        self.call_sid = call_sid
        self.stream_sid = stream_sid
        self.played = Played()
        self._sequence = 0
        self._chunk = 0
        self._sent_ms = 0
        self._playout_end = 0.0  # monotonic time the buffered agent audio finishes playing
        self._pending_marks: list[tuple[float, str]] = []
        self._changed = asyncio.Condition()
        self._watchers = 0  # callers of `until` waiting now; nobody to wake, no notify
        self._reader: asyncio.Task[None] | None = None
        self._marker: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    # --- placing the call -----------------------------------------------------------------

    @classmethod
    async def call(
        cls,
        base_url: str,
        *,
        call_sid: str,
        caller: str = "+14155550123",
        auth_token: str,
        public_url: str | None = None,
        account_sid: str = "AC" + "0" * 32,
    ) -> TwilioPeer:
        answer = await ring(
            base_url,
            call_sid=call_sid,
            caller=caller,
            auth_token=auth_token,
            public_url=public_url,
            account_sid=account_sid,
        )
        stream = answer.find("./Connect/Stream")
        if stream is None:
            raise AssertionError(f"no <Stream> in {ET.tostring(answer, encoding='unicode')}")
        parameters = {p.get("name", ""): p.get("value", "") for p in stream.findall("Parameter")}
        url = stream.get("url", "")
        if public_url:  # the TwiML names the public host; connect to the local one
            url = url.replace(public_url.replace("http", "ws", 1), base_url.replace("http", "ws"))
        return await cls.open(url, call_sid=call_sid, parameters=parameters)

    @classmethod
    async def open(
        cls, url: str, *, call_sid: str, parameters: dict[str, str], account_sid: str = "AC1"
    ) -> TwilioPeer:
        ws = await websockets.connect(url, max_size=None, compression=None)  # as Twilio
        peer = cls(ws, call_sid, "MZ" + call_sid[2:])
        await peer.send({"event": "connected", "protocol": "Call", "version": "1.0.0"})
        await peer.send(
            {
                "event": "start",
                "sequenceNumber": peer._next(),
                "start": {
                    "accountSid": account_sid,
                    "streamSid": peer.stream_sid,
                    "callSid": call_sid,
                    "tracks": ["inbound"],
                    "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
                    "customParameters": parameters,
                },
                "streamSid": peer.stream_sid,
            }
        )
        peer._reader = asyncio.create_task(peer._read())
        return peer

    # --- the caller's side ----------------------------------------------------------------

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def send_raw(self, data: str | bytes) -> None:
        await self.ws.send(data)

    @staticmethod
    def wire_text(text: str) -> bytes:
        """A text message as the bytes of one masked client frame, built ahead of time."""
        return Frame(Opcode.TEXT, text.encode()).serialize(mask=True)

    def write_wire(self, frame: bytes) -> bool:
        """Write a frame from `wire_text` straight to the socket (a load generator's fast path:
        no framing or masking per message); False once the connection is closing."""
        transport = self.ws.transport
        if transport.is_closing():
            return False
        transport.write(frame)
        return True

    async def say(self, pcm8k: bytes, *, realtime: bool = False, trailing_ms: int = 600) -> None:
        """Send PCM16 8 kHz speech as 20 ms mu-law frames, then `trailing_ms` of silence."""
        ulaw = pcm16_to_mulaw(pcm8k)
        frames = [ulaw[i : i + FRAME_BYTES] for i in range(0, len(ulaw), FRAME_BYTES)]
        frames += [SILENCE_FRAME] * (trailing_ms // 20)
        await self.media(frames, realtime=realtime)

    async def media(self, frames: list[bytes], *, realtime: bool = False) -> None:
        start = time.monotonic()
        for index, frame in enumerate(frames):
            if realtime:
                delay = start + index * 0.02 - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            self._chunk += 1
            self._sent_ms += 20
            await self.send(
                {
                    "event": "media",
                    "sequenceNumber": self._next(),
                    "media": {
                        "track": "inbound",
                        "chunk": str(self._chunk),
                        "timestamp": str(self._sent_ms),
                        "payload": base64.b64encode(frame.ljust(FRAME_BYTES, b"\xff")).decode(),
                    },
                    "streamSid": self.stream_sid,
                }
            )

    async def silence(self, ms: int, *, realtime: bool = False) -> None:
        await self.media([SILENCE_FRAME] * (ms // 20), realtime=realtime)

    async def dtmf(self, digit: str) -> None:
        await self.send(
            {
                "event": "dtmf",
                "streamSid": self.stream_sid,
                "sequenceNumber": self._next(),
                "dtmf": {"track": "inbound_track", "digit": digit},
            }
        )

    async def hang_up(self) -> None:
        """The caller hangs up: Twilio sends `stop` and closes the socket."""
        stop = {"accountSid": "AC1", "callSid": self.call_sid}
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.send(
                {
                    "event": "stop",
                    "sequenceNumber": self._next(),
                    "streamSid": self.stream_sid,
                    "stop": stop,
                }
            )
        await self.close()

    async def close(self) -> None:
        await self.ws.close()
        for task in (self._reader, self._marker):
            if task is not None:
                task.cancel()
        self.closed.set()

    # --- the agent's side -----------------------------------------------------------------

    async def until(self, predicate: Any, within: float = 30.0) -> None:
        """Wait until `predicate(self.played)` holds (a generous bound, not a timing check)."""
        self._watchers += 1
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: predicate(self.played))
        finally:
            self._watchers -= 1

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                event = message.get("event")
                assert message.get("streamSid") == self.stream_sid, message
                now = time.monotonic()
                if event == "media":  # any whole number of 20 ms frames, played in order
                    payload = base64.b64decode(message["media"]["payload"])
                    assert payload and len(payload) % FRAME_BYTES == 0, len(payload)
                    for start in range(0, len(payload), FRAME_BYTES):
                        self._playout_end = max(self._playout_end, now) + 0.02
                        self.played.frames += 1
                        if self.played.clears:
                            self.played.frames_after_clear += 1
                        self.played.log.append(("media", payload[start : start + FRAME_BYTES]))
                elif event == "mark":
                    name = message["mark"]["name"]
                    self.played.log.append(("mark", name))
                    self._pending_marks.append((max(self._playout_end, now), name))
                    self._schedule_marks()
                elif event == "clear":
                    self.played.clears += 1
                    self.played.frames_after_clear = 0
                    self.played.log.append(("clear", None))
                    self._playout_end = now
                    pending, self._pending_marks = self._pending_marks, []
                    for _, name in pending:  # Twilio echoes marks it dropped
                        await self._echo(name)
                else:
                    raise AssertionError(f"unexpected outbound event {message}")
                await self._notify()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed.set()
            await self._notify()

    def _schedule_marks(self) -> None:
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._play_marks())

    async def _play_marks(self) -> None:
        while self._pending_marks:
            due, name = self._pending_marks[0]
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
                continue  # a clear may have emptied the list meanwhile
            self._pending_marks.pop(0)
            self.played.marks.append(name)
            await self._echo(name)
            await self._notify()

    async def _echo(self, name: str) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.send(
                {
                    "event": "mark",
                    "sequenceNumber": self._next(),
                    "streamSid": self.stream_sid,
                    "mark": {"name": name},
                }
            )

    async def _notify(self) -> None:
        if not self._watchers:  # `until` tests its predicate before it waits: nothing is lost
            return
        async with self._changed:
            self._changed.notify_all()

    def _next(self) -> str:
        self._sequence += 1
        return str(self._sequence)


async def ring(
    base_url: str,
    *,
    call_sid: str,
    caller: str = "+14155550123",
    auth_token: str,
    public_url: str | None = None,
    account_sid: str = "AC" + "0" * 32,
) -> ET.Element:
    """Post the signed incoming-call webhook, as Twilio does when the phone rings; the TwiML
    answer, parsed (a `<Connect><Stream>`, or what a caller hears instead)."""
    params = {
        "CallSid": call_sid,
        "AccountSid": account_sid,
        "From": caller,
        "To": "+15550002222",
        "CallStatus": "ringing",
        "Direction": "inbound",
    }
    return await webhook(base_url, "/twilio/voice", params, auth_token, public_url)


async def webhook(
    base_url: str,
    path: str,
    params: dict[str, str],
    auth_token: str,
    public_url: str | None = None,
) -> ET.Element:
    """Post a signed Twilio webhook (`path` may carry a query, as TwiML `action` URLs do)."""
    signed_url = f"{public_url or base_url}{path}"
    signature = RequestValidator(auth_token).compute_signature(signed_url, params)
    async with httpx.AsyncClient(base_url=base_url) as http:
        answer = await http.post(path, data=params, headers={"X-Twilio-Signature": signature})
    answer.raise_for_status()
    return ET.fromstring(answer.text)
