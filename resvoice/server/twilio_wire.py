"""Twilio Media Streams wire format: the only module that knows Twilio's websocket JSON shapes.

Inbound (Twilio -> us): `connected`, `start`, `media`, `mark`, `dtmf`, `stop`, parsed into the
small frozen dataclasses below. Outbound (us -> Twilio): `media`, `mark`, `clear`, built by the
`*_frame` functions. Anything malformed raises `WireError` with a one-line reason, so the
stream handler can log it and carry on with the call.
"""

from __future__ import annotations

import binascii
import json
import math
from dataclasses import dataclass, field
from typing import Any

try:  # the serve extra brings orjson: ~4x faster than json on a media frame
    import orjson

    _loads: Any = orjson.loads
    _DECODE_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError, UnicodeDecodeError)
except ImportError:  # pragma: no cover - json is the fallback, with the bounds as hooks
    _DECODE_ERRORS = (json.JSONDecodeError, UnicodeDecodeError)

    def _loads(text: str | bytes) -> Any:
        # the hooks run only on numbers and constants, so a normal frame pays nearly nothing
        return json.loads(
            text, parse_constant=_no_constant, parse_int=_bounded_int, parse_float=_bounded_float
        )


MAX_FRAME_CHARS = 64 * 1024  # a 20 ms mu-law frame is ~250 characters; nothing sane is larger
MAX_NUMBER_CHARS = 20  # Twilio's numbers (chunk, timestamp, sample rate) fit an int64


class WireError(ValueError):
    """A frame that is not a valid Twilio Media Streams message; `kind` names the fault
    (too_large, json, base64, unknown_event, shape) for logs and metrics."""

    def __init__(self, message: str, kind: str = "shape") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Connected:
    protocol: str


@dataclass(frozen=True)
class Start:
    stream_sid: str
    call_sid: str
    account_sid: str
    parameters: dict[str, str] = field(default_factory=dict)
    encoding: str = "audio/x-mulaw"
    sample_rate: int = 8000


@dataclass(frozen=True, slots=True)
class Media:
    """Caller audio: mu-law 8 kHz bytes (already base64-decoded)."""

    payload: bytes
    track: str = "inbound"
    chunk: int = 0
    timestamp_ms: int = 0


@dataclass(frozen=True)
class Mark:
    """Twilio played everything sent before the mark with this name."""

    name: str


@dataclass(frozen=True)
class Dtmf:
    digit: str


@dataclass(frozen=True)
class Stop:
    call_sid: str


Inbound = Connected | Start | Media | Mark | Dtmf | Stop


def parse(text: str | bytes) -> Inbound:
    """One websocket message from Twilio -> an event; `WireError` for anything malformed."""
    if len(text) > MAX_FRAME_CHARS:
        raise WireError(f"frame of {len(text)} bytes exceeds {MAX_FRAME_CHARS}", "too_large")
    try:
        # orjson bounds what it reads itself (depth 1024, no NaN/Infinity, a number that would
        # not fit a double is an error), in C; json needs the hooks (see `_loads`)
        message = _loads(text)
    except _DECODE_ERRORS as exc:
        raise WireError(f"not JSON: {exc}", "json") from None
    except RecursionError:
        raise WireError("JSON nested too deeply", "json") from None
    except ValueError as exc:  # a number or constant refused by a hook
        raise WireError(str(exc), "json") from None
    if not isinstance(message, dict):
        raise WireError("frame is not a JSON object")
    event = message.get("event")
    try:
        if event == "media":
            return _media(message)
        if event == "mark":
            return Mark(name=_str(_obj(message, "mark"), "name"))
        if event == "dtmf":
            return Dtmf(digit=_str(_obj(message, "dtmf"), "digit"))
        if event == "start":
            start = _obj(message, "start")
            params = start.get("customParameters") or {}
            fmt = start.get("mediaFormat") or {}
            if not isinstance(params, dict) or not isinstance(fmt, dict):
                raise WireError("start: customParameters and mediaFormat must be objects")
            return Start(
                stream_sid=str(message.get("streamSid") or _str(start, "streamSid")),
                call_sid=_str(start, "callSid"),
                account_sid=str(start.get("accountSid", "")),
                parameters={str(k): str(v) for k, v in params.items()},
                encoding=str(fmt.get("encoding", "audio/x-mulaw")),
                sample_rate=int(fmt.get("sampleRate", 8000)),
            )
        if event == "stop":
            stop = message.get("stop") or {}
            return Stop(call_sid=str(stop.get("callSid", "")) if isinstance(stop, dict) else "")
        if event == "connected":
            return Connected(protocol=str(message.get("protocol", "")))
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        if isinstance(exc, WireError):
            raise
        raise WireError(f"{event}: {exc}") from None
    raise WireError(f"unknown event {str(event)[:40]!r}", "unknown_event")


def media_frame(stream_sid: str, mulaw: bytes) -> str:
    """Agent audio (mu-law 8 kHz) for Twilio to play."""
    return media_prefix(stream_sid) + media_text(mulaw)


def media_prefix(stream_sid: str) -> str:
    """The constant head of a stream's `media` frames (build it once per stream)."""
    return '{"event":"media","streamSid":' + json.dumps(stream_sid) + ',"media":{"payload":"'


def media_text(mulaw: bytes) -> str:
    """The tail of a `media` frame after `media_prefix`: the base64 payload, closed."""
    return binascii.b2a_base64(mulaw, newline=False).decode("ascii") + '"}}'


def mark_frame(stream_sid: str, name: str) -> str:
    """Ask Twilio to echo `name` back once everything sent before it has been played."""
    return json.dumps({"event": "mark", "streamSid": stream_sid, "mark": {"name": name}})


def clear_frame(stream_sid: str) -> str:
    """Drop Twilio's buffered, unplayed audio (barge-in)."""
    return json.dumps({"event": "clear", "streamSid": stream_sid})


def _media(message: dict[str, Any]) -> Media:
    media = message.get("media")
    if not isinstance(media, dict):
        raise WireError("media: missing object 'media'")
    payload = media.get("payload")
    if not isinstance(payload, str):
        raise WireError("missing string 'payload'")
    timestamp = media.get("timestamp", 0)
    return Media(
        payload=_b64(payload),
        track=str(media.get("track", "inbound")),
        chunk=int(media.get("chunk", 0)),
        timestamp_ms=timestamp if type(timestamp) is int else int(timestamp),
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number Twilio sends")


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(digits)} digits")
    return int(digits)


def _bounded_float(digits: str) -> float:
    value = float(digits)
    if len(digits) > MAX_NUMBER_CHARS * 2 or not math.isfinite(value):
        raise ValueError(f"number {digits[:20]!r} out of range")
    return value


def _obj(message: dict[str, Any], key: str) -> dict[str, Any]:
    value = message.get(key)
    if not isinstance(value, dict):
        raise WireError(f"{message.get('event')}: missing object {key!r}")
    return value


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise WireError(f"missing string {key!r}")
    return value


def _b64(payload: str) -> bytes:
    try:
        return binascii.a2b_base64(payload, strict_mode=True)
    except (binascii.Error, ValueError):
        raise WireError("media payload is not valid base64", "base64") from None
