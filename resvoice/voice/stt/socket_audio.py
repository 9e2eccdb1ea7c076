"""Caller audio on its way to a streaming recogniser's socket, and where its times fall.

`Outbox` holds pushed audio until the socket takes it: bounded (the oldest audio goes first when
a reconnect takes too long), and a chunk whose send failed goes back to the front for the next
socket. `Timeline` maps times back: a socket reports times from the start of the audio it
received, which differs from the caller's own timeline when the stream reconnected (a new socket
starts at zero), dropped audio from a full buffer, or sent keep-alive silence between the
caller's chunks.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass

log = logging.getLogger(__name__)


class Outbox:
    """Pushed PCM16 waiting to be sent; positions are byte offsets in everything pushed."""

    def __init__(self, rate: int, max_bytes: int) -> None:
        self._rate = rate
        self._max_bytes = max_bytes
        self._chunks: deque[bytes] = deque()
        self._bytes = 0
        self.pushed = 0  # bytes pushed so far
        self.dropped_ms = 0.0
        self._drops = 0
        self._drops_at_take = 0
        self._last_dropped = 0

    def __bool__(self) -> bool:
        return self._bytes > 0

    @property
    def size(self) -> int:
        """Bytes waiting."""
        return self._bytes

    def put(self, pcm: bytes) -> None:
        """Queue audio; beyond the bound the oldest chunks are dropped (and counted)."""
        self._chunks.append(pcm)
        self._bytes += len(pcm)
        self.pushed += len(pcm)
        while self._bytes > self._max_bytes and len(self._chunks) > 1:
            self._drop(self._chunks.popleft())
            self._bytes -= self._last_dropped

    def take(self, max_bytes: int) -> tuple[int, bytes]:
        """Up to `max_bytes` of the oldest audio, and its position in the pushed audio."""
        position = self.pushed - self._bytes
        parts: list[bytes] = []
        wanted = max_bytes
        while wanted > 0 and self._chunks:
            chunk = self._chunks.popleft()
            if len(chunk) > wanted:
                self._chunks.appendleft(chunk[wanted:])
                chunk = chunk[:wanted]
            parts.append(chunk)
            wanted -= len(chunk)
        data = b"".join(parts)
        self._bytes -= len(data)
        self._drops_at_take = self._drops
        return position, data

    def give_back(self, data: bytes) -> None:
        """Audio whose send failed: first in line for the next socket, unless newer audio has
        been dropped meanwhile (then this older audio goes too, keeping the rest contiguous)."""
        if self._drops != self._drops_at_take:
            self._drop(data)
            return
        self._chunks.appendleft(data)
        self._bytes += len(data)

    def _drop(self, data: bytes) -> None:
        self._drops += 1
        self._last_dropped = len(data)
        self.dropped_ms += len(data) / 2 / self._rate * 1000
        log.warning("stt outbox full, dropped_ms=%.0f", self.dropped_ms)


@dataclass(frozen=True)
class _Segment:
    socket_pos: int  # byte offset in the audio sent on this socket
    pushed_pos: int  # byte offset in the audio the caller pushed
    silence: bool  # keep-alive filler: pushed time stands still across it


class Timeline:
    """Socket-time -> pushed-time mapping for one socket at a time (PCM16 mono at `rate`)."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._segments: list[_Segment] = []
        self._sent = 0

    def new_connection(self) -> None:
        """A fresh socket: its times start again from zero."""
        self._segments = []
        self._sent = 0

    def sent_audio(self, pushed_pos: int, n_bytes: int) -> None:
        """`n_bytes` of pushed audio starting at `pushed_pos` went out on the socket."""
        last = self._segments[-1] if self._segments else None
        contiguous = (
            last is not None
            and not last.silence
            and last.pushed_pos + (self._sent - last.socket_pos) == pushed_pos
        )
        if not contiguous:
            self._segments.append(_Segment(self._sent, pushed_pos, silence=False))
        self._sent += n_bytes

    def sent_silence(self, pushed_pos: int, n_bytes: int) -> None:
        """Keep-alive silence went out while the pushed audio stood at `pushed_pos`."""
        self._segments.append(_Segment(self._sent, pushed_pos, silence=True))
        self._sent += n_bytes

    def pushed_ms(self, socket_seconds: float) -> float:
        """The pushed-audio position, in ms, of `socket_seconds` on the current socket."""
        socket_pos = round(socket_seconds * self._rate) * 2
        starts = [segment.socket_pos for segment in self._segments]
        index = bisect_right(starts, socket_pos) - 1
        if index < 0:
            return self._ms(socket_pos)
        segment = self._segments[index]
        offset = 0 if segment.silence else socket_pos - segment.socket_pos
        return self._ms(segment.pushed_pos + offset)

    def _ms(self, n_bytes: int) -> float:
        return n_bytes / 2 / self._rate * 1000
