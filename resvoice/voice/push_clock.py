"""When caller audio reached us: the wall time of each push, by the audio position it ended at.
Lets an STT's audio-time (end of speech) be turned into the wall time latency counts from."""

from __future__ import annotations

KEEP = 512  # recent pushes remembered (about 10 s of 20 ms frames)


class PushClock:
    """Audio received so far, and when each recent push arrived."""

    def __init__(self) -> None:
        self.audio_ms = 0.0
        self._pushes: list[tuple[float, float]] = []  # (audio end ms, wall time)

    def pushed(self, pcm: bytes, at: float) -> float:
        """Record a push of PCM16 mono 16 kHz audio at wall time `at`; the audio's end in ms."""
        self.audio_ms += len(pcm) / 32
        self._pushes.append((self.audio_ms, at))
        del self._pushes[:-KEEP]
        return self.audio_ms

    def wall_time(self, audio_ms: float) -> float | None:
        """When the audio at `audio_ms` reached us: the time of the push that carried it."""
        for end_ms, at in self._pushes:
            if end_ms >= audio_ms:
                return at
        return None
