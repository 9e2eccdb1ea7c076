"""Benchmark: do the restaurant's own words help Whisper as faster-whisper `hotwords`?

Every caller line of the shipped transcripts, spoken by its replay caller's voice (`--callers
mixed`: five eSpeak voices and Piper's joe), transcribed twice from the same audio at 16 kHz
with the style prompt and beam 5: without hotwords, and with the restaurant's name, its street
and its dish names as hotwords. Prints WER over all lines and over the lines that name a dish,
a diet or the street, and the load average.

Run: `python -m bench.hotwords`. Result (2026-12-07) in `docs/recognisers.md`: not kept.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.demo import restaurant_file
from resvoice.replay.format import load_transcript
from resvoice.replay.voice import PIPER_CALLER, caller_voice
from resvoice.replay.wer import caller_words, word_errors
from resvoice.restaurant.loader import load_profile
from resvoice.voice.stt.whisper_model import DEFAULT_PROMPT, SharedWhisper, bundled_model_dir
from resvoice.voice.tts.espeak import EspeakTTS
from resvoice.voice.tts.piper import PiperTTS

RESTAURANT_WORDS = ("pizza", "vegan", "menu", "dish", "olive", "harbor", "street", "gluten", "park")


async def caller_clips() -> list[tuple[str, bytes]]:
    """(line, PCM16 16 kHz) for every caller line of the shipped transcripts."""
    folder = Path(restaurant_file()).parent / "transcripts"
    voices: dict[str, Any] = {}
    clips: list[tuple[str, bytes]] = []
    for path in sorted(folder.glob("*.yaml")):
        transcript = load_transcript(path)
        voice = caller_voice(transcript.name, "mixed")
        if voice not in voices:
            voices[voice] = (
                PiperTTS(sample_rate=INTERNAL_RATE)
                if voice == PIPER_CALLER
                else EspeakTTS(voice=voice, sample_rate=INTERNAL_RATE)
            )
        for turn in transcript.turns:
            if turn.user:
                chunks = voices[voice].synthesize(caller_words(turn.user))
                clips.append((turn.user, b"".join([c.pcm async for c in chunks])))
    return clips


def heard(model: Any, pcm: bytes, prompt: str | None, hotwords: str | None = None) -> str:
    """One clip (PCM16 16 kHz) transcribed whole as the recogniser does: beam 5, no VAD."""
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    segments, _ = model.transcribe(
        audio,
        language="en",
        beam_size=5,
        condition_on_previous_text=False,
        vad_filter=False,
        initial_prompt=prompt,
        hotwords=hotwords,
    )
    return " ".join(s.text.strip() for s in segments)


def main() -> None:
    profile = load_profile(restaurant_file())
    street = profile.restaurant.address.split(",")[0]
    words = [profile.restaurant.name, street, *(item.name for item in profile.menu)]
    clips = asyncio.run(caller_clips())
    model = SharedWhisper(bundled_model_dir(), 1)._load()
    print(f"{len(clips)} caller lines, load average {os.getloadavg()[0]:.1f}")
    for label, hotwords in (("none", None), ("restaurant words", ", ".join(words))):
        errors = total = named_errors = named_total = 0
        start = time.perf_counter()
        for line, pcm in clips:
            wrong, count = word_errors(line, heard(model, pcm, DEFAULT_PROMPT, hotwords))
            errors, total = errors + wrong, total + count
            if any(word in line.lower() for word in RESTAURANT_WORDS):
                named_errors, named_total = named_errors + wrong, named_total + count
        print(
            f"{label}: WER {errors / total:.3f} ({errors}/{total} words); lines naming the "
            f"restaurant's words {named_errors}/{named_total}; {time.perf_counter() - start:.0f} s"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
