"""The replayed call's audio: an `AudioOutput` for the agent's voice and a two-track tape.

The caller's track (left) and the agent's (right) share one timeline in samples at 16 kHz: the
caller's frames go where the line is now, the agent's audio after whatever it is still saying.
`ReplayOutput` reports marks as played at once (`instant`), when the audio would have finished
playing in real time (`wall`), or when the caller's line has carried the line to the mark
(`line`: a fast replay that keeps the line's clock, so speech over the agent overlaps it as it
would in real time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.wav import write_wav

_BYTES_PER_MS = INTERNAL_RATE * 2 // 1000

Pacing = Literal["instant", "wall", "line"]


class Tape:
    """Caller and agent audio of one call on one timeline (PCM16 mono at 16 kHz each)."""

    def __init__(self) -> None:
        self.caller_track = bytearray()
        self.agent_track = bytearray()
        self.cursor = 0  # bytes: where the line is now
        self.agent_end = 0

    def caller(self, pcm: bytes) -> None:
        _place(self.caller_track, self.cursor, pcm)
        self.cursor += len(pcm)

    def agent(self, pcm: bytes) -> None:
        start = max(self.agent_end, self.cursor)
        _place(self.agent_track, start, pcm)
        self.agent_end = start + len(pcm)

    def drop_unplayed(self) -> None:
        """A barge-in: what the agent had not said yet never reached the line."""
        del self.agent_track[self.cursor :]
        self.agent_end = min(self.agent_end, self.cursor)

    def caller_turn(self, gap_ms: float = 300) -> None:
        """The caller waits for the agent to finish, and a short pause, before speaking."""
        self.cursor = max(self.cursor, self.agent_end) + int(gap_ms) * _BYTES_PER_MS

    def write(self, path: Path) -> None:
        """A stereo WAV: caller left, agent right."""
        left = np.frombuffer(bytes(self.caller_track), dtype="<i2")
        right = np.frombuffer(bytes(self.agent_track), dtype="<i2")
        length = max(len(left), len(right))
        stereo = np.zeros((length, 2), dtype="<i2")
        stereo[: len(left), 0] = left
        stereo[: len(right), 1] = right
        write_wav(path, stereo.tobytes(), INTERNAL_RATE, channels=2)


class ReplayOutput:
    """The agent's voice in a replayed call: onto the tape, marks played at once or paced."""

    sample_rate = INTERNAL_RATE

    def __init__(self, tape: Tape, *, pacing: Pacing) -> None:
        self.tape = tape
        self.pacing = pacing
        self.on_mark: Callable[[str], None] | None = None
        self.written = asyncio.Event()
        """Set whenever agent audio is written (the line has something to carry)."""
        self._play_end = 0.0
        self._timers: list[asyncio.TimerHandle] = []
        self._on_line: list[tuple[int, str]] = []  # (tape position, mark) not yet reached

    async def write(self, pcm: bytes) -> None:
        self.tape.agent(pcm)
        now = asyncio.get_running_loop().time()
        self._play_end = max(self._play_end, now) + len(pcm) / (2 * self.sample_rate)
        self.written.set()

    async def mark(self, name: str) -> None:
        if self.on_mark is None:
            return
        if self.pacing == "instant":
            self.on_mark(name)
        elif self.pacing == "line":
            self._on_line.append((self.tape.agent_end, name))
            self.line_moved()
        else:
            loop = asyncio.get_running_loop()
            self._timers.append(loop.call_at(self._play_end, self.on_mark, name))

    def line_moved(self) -> None:
        """The caller's line moved on (`line` pacing): the marks it has reached are played."""
        while self._on_line and self._on_line[0][0] <= self.tape.cursor:
            _, name = self._on_line.pop(0)
            if self.on_mark is not None:
                self.on_mark(name)

    @property
    def audible(self) -> bool:
        """The agent's audio is still ahead of the line's position (it is being heard)."""
        return self.tape.agent_end > self.tape.cursor

    async def clear(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._on_line.clear()
        self._play_end = 0.0
        self.tape.drop_unplayed()


def _place(track: bytearray, at: int, pcm: bytes) -> None:
    if len(track) < at:
        track.extend(bytes(at - len(track)))
    track[at : at + len(pcm)] = pcm
