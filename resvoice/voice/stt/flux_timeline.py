"""Where a time reported by a streaming recogniser lies in the audio the caller pushed.

A streaming socket reports times from the start of the audio it received. That differs from the
caller's own timeline when the stream reconnected (a new socket starts at zero), dropped audio
from a full buffer, or sent keep-alive silence between the caller's chunks. `Timeline` records
each piece sent on the current socket and maps socket time back to pushed time.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


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
