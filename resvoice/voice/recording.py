"""A recorded call: caller left, agent right, on one timeline, as the caller heard it.

`CallRecording` is fed the caller's audio as it arrives (the line's clock: a phone line never
stops carrying audio) and the agent's audio as it is sent; the agent's goes where the line is
now, or after what it is still saying. A barge-in `clear` drops what was sent but not yet
played, so the right channel holds only what was actually played. `RecordedOutput` wraps any
`AudioOutput` so every front end records the same way. The WAV is written at the end of the
call; a caller who asks not to be recorded has it stopped and deleted (`discard`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.resample import Resampler
from resvoice.audio.wav import write_wav
from resvoice.voice.transport import AudioOutput

__all__ = ["CallRecording", "RecordedOutput", "recording_for"]

log = logging.getLogger(__name__)


def recording_for(folder: Path | None, conversation_id: str) -> CallRecording | None:
    """The call's recording in `folder` (None: calls are not recorded), named by call id."""
    if folder is None:
        return None
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in conversation_id)
    return CallRecording(folder / f"{safe}.wav")


class CallRecording:
    """Two tracks of PCM16 at 16 kHz; written as a stereo WAV to `path` by `save()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.caller_track = bytearray()
        self.agent_track = bytearray()
        self.declined = False
        self._cursor = 0  # bytes: where the line is now
        self._agent_end = 0

    def caller(self, pcm: bytes) -> None:
        if self.declined:
            return
        _place(self.caller_track, self._cursor, pcm)
        self._cursor += len(pcm)

    def agent(self, pcm: bytes) -> None:
        if self.declined:
            return
        start = max(self._agent_end, self._cursor)
        _place(self.agent_track, start, pcm)
        self._agent_end = start + len(pcm)

    def cleared(self) -> None:
        """A barge-in: what the agent had sent but not yet played never reached the line."""
        del self.agent_track[self._cursor :]
        self._agent_end = min(self._agent_end, self._cursor)

    def discard(self) -> None:
        """The caller asked not to be recorded: stop, and delete anything written."""
        self.declined = True
        self.caller_track.clear()
        self.agent_track.clear()
        self.path.unlink(missing_ok=True)

    def stereo(self) -> np.ndarray:
        left = np.frombuffer(bytes(self.caller_track), dtype="<i2")
        right = np.frombuffer(bytes(self.agent_track), dtype="<i2")
        out = np.zeros((max(len(left), len(right)), 2), dtype="<i2")
        out[: len(left), 0] = left
        out[: len(right), 1] = right
        return out

    def save(self) -> Path | None:
        """Write the WAV (None when the caller declined, or nothing was heard)."""
        if self.declined or not (self.caller_track or self.agent_track):
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_wav(self.path, self.stereo().tobytes(), INTERNAL_RATE, channels=2)
        log.info("call recorded", extra={"path": str(self.path)})
        return self.path


class RecordedOutput:
    """An `AudioOutput` that records what goes through it (at 16 kHz) and passes it on."""

    def __init__(self, inner: AudioOutput, recording: CallRecording) -> None:
        self.sample_rate = inner.sample_rate
        self._inner = inner
        self._recording = recording
        self._resampler = Resampler(inner.sample_rate, INTERNAL_RATE)

    async def write(self, pcm: bytes) -> None:
        self._recording.agent(self._resampler.process(pcm))
        await self._inner.write(pcm)

    async def mark(self, name: str) -> None:
        await self._inner.mark(name)

    async def clear(self) -> None:
        self._recording.cleared()
        await self._inner.clear()


def _place(track: bytearray, at: int, pcm: bytes) -> None:
    if len(track) < at:
        track.extend(bytes(at - len(track)))
    track[at : at + len(pcm)] = pcm
