"""What a voice replay runs with: its options, the recogniser and voices (`VoiceProviders`),
and which voice speaks each transcript's caller (eSpeak NG voices and Piper's, fixed by the
transcript's name so runs compare call by call)."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from resvoice.audio import INTERNAL_RATE
from resvoice.replay.noise import NoiseKind
from resvoice.runtime import Runtime
from resvoice.voice.stt.base import STT
from resvoice.voice.stt.vad import SegmenterConfig
from resvoice.voice.tts.base import TTS

__all__ = [
    "CALLER_VOICES",
    "PIPER_CALLER",
    "CallerVoices",
    "VoiceProviders",
    "VoiceReplayOptions",
    "caller_voice",
    "voice_providers",
]

CALLER_VOICES = ("en-us+m3", "en-gb-x-rp", "en-us+f2", "en-us+m1", "en+klatt4")
"""eSpeak voices the callers use, one per transcript (by name); none is the agent's voice (Piper
joe, Deepgram, or eSpeak's plain en-us with `--tts espeak`)."""

PIPER_CALLER = "piper"
"""The caller voice that is Piper's (joe), a natural voice beside eSpeak's robotic ones."""

CallerVoices = Literal["espeak", "piper", "mixed"]

PIPER_SHARE = 3
"""With `mixed` callers, one transcript in this many (by name) has Piper's voice."""


def caller_voice(transcript_name: str, voices: CallerVoices) -> str:
    """The voice that speaks a transcript's caller, fixed by its name. With `mixed`, about one
    caller in `PIPER_SHARE` is Piper's and the others keep the eSpeak voice `espeak` gives them,
    so the two runs compare call by call."""
    key = zlib.crc32(transcript_name.encode())
    if voices == "piper" or (voices == "mixed" and _piper_draw(transcript_name) == 0):
        return PIPER_CALLER
    return CALLER_VOICES[key % len(CALLER_VOICES)]


def _piper_draw(transcript_name: str) -> int:
    """A second hash of the name, independent of the one choosing the eSpeak voice."""
    return int(hashlib.sha256(transcript_name.encode()).hexdigest(), 16) % PIPER_SHARE


@dataclass(frozen=True)
class VoiceReplayOptions:
    fast: bool = False
    """Push audio as fast as the recogniser takes it instead of in real time. With `noise`, the
    line keeps its clock: the caller's line (noise, nods) runs on while the agent speaks and
    the agent's audio counts as played once the line has carried it, so barge-in and resume
    happen as in real time."""
    record_dir: Path | None = None
    """Write one stereo WAV per call here (caller left, agent right)."""
    noise: NoiseKind | None = None
    """A noisy line (`--noise`): street, babble or hum on the caller's audio throughout."""
    noise_db: float = 10.0
    """The noise's level: this many dB below the caller's speech (`--noise-db`)."""
    turn_timeout_s: float = 60.0
    trailing_silence_ms: float = SegmenterConfig().unfinished_silence_ms + 700.0
    """Silence after each caller line (`--fast`): enough for the recogniser to end the turn
    even when the words sound unfinished and it holds the longest silence, with the VAD's own
    lag on top; any less and such a turn never ends."""
    callers: CallerVoices = "mixed"
    """Which voices speak the callers: eSpeak's, Piper's, or both (one per transcript)."""
    phone_line: bool = False
    """Put the caller's audio through an 8 kHz mu-law line, as a Twilio call carries it."""
    correct: bool = True
    """A caller corrects a wrong read-back instead of agreeing (`CorrectingCaller`)."""


@dataclass
class VoiceProviders:
    stt: STT
    tts: TTS  # the agent's voice
    caller: Callable[[str], Awaitable[TTS]]  # a caller voice by name (`caller_voice`), 16 kHz


async def voice_providers(
    runtime: Runtime, *, stt: str | None, tts: str | None, whisper_model: Path | None
) -> VoiceProviders:
    """The recogniser and agent voice the settings (or `--stt`/`--tts`) name; eSpeak and Piper
    callers. The runtime owns (and closes) every one of them."""
    recogniser = await runtime.stt(stt, whisper_model)
    voice = await runtime.tts(tts, sample_rate=INTERNAL_RATE)

    async def caller(name: str) -> TTS:
        if name == PIPER_CALLER:
            return await runtime.tts("piper", sample_rate=INTERNAL_RATE)
        return await runtime.tts("espeak", sample_rate=INTERNAL_RATE, espeak_voice=name)

    await caller("en-us")  # fails now, with a clear message, when eSpeak is not installed
    return VoiceProviders(stt=recogniser, tts=voice, caller=caller)
