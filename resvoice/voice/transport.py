"""The `AudioOutput` protocol: where the agent's voice goes.

A Twilio media stream, the laptop's speakers and a test recorder all implement it. The voice
session writes PCM16 mono at `sample_rate` sentence by sentence, asks for a mark after each
utterance and clears on barge-in. A transport that plays the audio itself (speakers) or is told
by its peer (Twilio `mark` echoes) reports each mark back with `VoiceSession.mark_played(name)`,
which is how the session knows what the caller actually heard.
"""

from __future__ import annotations

from typing import Protocol


class AudioOutput(Protocol):
    sample_rate: int

    async def write(self, pcm: bytes) -> None:
        """Queue audio for playback. Pacing (real time) is the transport's job, not the caller's."""
        ...

    async def mark(self, name: str) -> None:
        """Ask to be told, via `VoiceSession.mark_played(name)`, when all audio written before
        this call has been played to the caller."""
        ...

    async def clear(self) -> None:
        """Drop every queued, unplayed sample at once (barge-in). Pending marks are not reported
        as played."""
        ...
