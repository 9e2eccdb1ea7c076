"""Benchmark: the offline voice's end of turn and its latency, real models in real time.

1. End of caller speech -> first agent audio: caller lines of a booking call (questions,
   answers, a request, a phone number) in eSpeak and Piper voices, streamed at real-time pace
   in 20 ms frames into a `VoiceSession` with Whisper tiny.en + Silero VAD, the rules brain and
   Piper speaking. From the last voiced frame pushed to the first agent audio byte written,
   and where the time went (`TurnLatency`: speech end -> final transcript -> first sentence ->
   first audio).
2. False cut-offs: callers who pause inside a phone number or a name ("four one five ... five
   five five ... zero one four two", "it's Maria ... Lopez"), or after a first clause, each
   answering the question that asks for it (the recogniser's hint), streamed the same way into
   `WhisperSTT`. A cut-off is an utterance whose turn ended before its last words began.
Prints p50/p95, the cut-offs, the load average and `uptime`.
Run: `python -m bench.turn_taking [--turns N] [--cutoffs N] [--show]` (defaults: ~4 minutes;
`--show` prints every timed turn's transcript and latency, slowest last).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._machine import host_speed_ms, load_average
from bench.voice_pipeline import OfflineOutput, speak_in_real_time
from resvoice.agent.clock import FixedClock
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.config import Settings
from resvoice.percentile import percentile
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from resvoice.voice.events import CallerSpeech, StateChanged, TurnLatency
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import TurnEnded
from resvoice.voice.stt.hints import Expected, Listening
from resvoice.voice.stt.vad import SegmenterConfig

ROOT = Path(__file__).resolve().parents[1]
LINES = [
    "Hi, I'd like to book a table for four on Saturday at seven pm.",
    "Do you have any vegan dishes?",
    "Is there parking nearby?",
    "Maria Lopez.",
    "My number is four one five, five five five, zero one four two.",
    "Yes, that's right.",
    "Can I bring my dog?",
    "What time do you open on Sunday?",
    "Thank you very much.",
]
"""A booking call's finished turns, in order; one fresh call per round of them."""

CUTOFFS: list[tuple[Expected, list[str], int]] = [
    ("phone", ["four one five", "five five five", "zero one four two"], 700),
    ("phone", ["my number is six one seven", "two two four", "nine eight nine one"], 900),
    ("anything", ["you can reach me at five oh three", "two one two, four four five six"], 800),
    ("phone", ["area code five oh three", "two one two", "four four five six"], 1100),
    ("phone", ["six one seven two two four nine eight", "nine one"], 700),  # inside a group
    ("name", ["it's Maria", "Lopez"], 700),
    ("name", ["the name is Jonathan", "Whitaker"], 900),
    ("name", ["my last name is", "Nakamura"], 1000),
    ("anything", ["a table for two under Sam", "Okafor, please"], 700),
    ("anything", ["I'd like to book a table", "for four people on Friday"], 450),
]
"""(what the agent asked for, the caller's words, the pause between them in ms)."""


@dataclass
class Latency:
    end_to_audio: list[float] = field(default_factory=list)
    stages: dict[str, list[float]] = field(default_factory=dict)
    heard: list[str] = field(default_factory=list)  # each timed turn's final transcript
    last_heard: str = ""


async def main(args: argparse.Namespace) -> None:
    stt = make_stt(args)
    await stt.warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'turns.db'}"
        storage = await open_storage(db_url)
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
        await storage.close()
        latency = await session_latency(stt, db_url, args.turns)
    cut, total, examples = await cutoffs(stt, args.cutoffs)
    await stt.aclose()
    cfg = stt.segmenter
    print(
        f"settings: pause {cfg.pause_ms:.0f} ms, finished {cfg.finished_silence_ms:.0f} ms, "
        f"end {cfg.end_silence_ms:.0f} ms, unfinished {cfg.unfinished_silence_ms:.0f} ms; "
        f"beam {args.beam}; {load_average()}; host speed {host_speed_ms():.0f} ms "
        "(bench._machine: lower is faster)"
    )
    print(f"uptime: {await uptime()}")
    print()
    print("| measure | samples | p50 ms | p95 ms | target p95 |")
    print("|---|---|---|---|---|")
    print(row("offline end of caller speech -> first agent audio", latency.end_to_audio,
              "< 1200 (p50 < 800)"))  # fmt: skip
    for key, values in latency.stages.items():
        print(row(f"... {key.removesuffix('_ms').replace('_', ' ')}", values))
    print(f"| false cut-offs (turn ended inside a number or name, or at a pause) | {total} "
          f"| {cut} cut | | 0 |")  # fmt: skip
    for text in examples:
        print(f"  cut: {text}")
    if args.show:
        print()
        for waited, heard in sorted(zip(latency.end_to_audio, latency.heard, strict=True)):
            print(f"  {waited:5.0f} ms  {heard!r}")


async def uptime() -> str:
    """`uptime`'s line: the load the figures were measured under."""
    done = await asyncio.to_thread(subprocess.run, ["uptime"], capture_output=True, text=True)
    return done.stdout.strip()


def make_stt(args: argparse.Namespace) -> Any:
    from resvoice.voice.stt.whisper import WhisperSTT

    base = SegmenterConfig()
    turns = SegmenterConfig(
        pause_ms=base.pause_ms if args.pause_ms is None else args.pause_ms,
        finished_silence_ms=(
            base.finished_silence_ms if args.finished_ms is None else args.finished_ms
        ),
    )
    return WhisperSTT(segmenter=turns, beam_size=args.beam, partial_interval_ms=args.partial_ms)


def row(label: str, values: list[float], target: str = "") -> str:
    if not values:
        return f"| {label} | 0 | | | {target} |"
    return (
        f"| {label} | {len(values)} | {percentile(values, 50):.0f} "
        f"| {percentile(values, 95):.0f} | {target} |"
    )


# --- 1. end of caller speech -> first agent audio ---------------------------------------------


async def session_latency(stt: Any, db_url: str, turns: int) -> Latency:
    import datetime as dt

    from resvoice.voice.tts.piper import PiperTTS

    tts = PiperTTS(sample_rate=INTERNAL_RATE)
    await tts.warm_up()
    voices = caller_voices()
    clips = [await speak(voices[i % len(voices)], LINES[i % len(LINES)]) for i in range(turns)]
    runtime = await Runtime.open(Settings(), db_url)
    result = Latency()
    try:
        for start in range(0, turns, len(LINES)):
            clock = FixedClock.at(
                dt.datetime(2026, 2, 2, 15, 30), runtime.profile.restaurant.timezone
            )
            agent = runtime.session(clock=clock)
            output = OfflineOutput()  # plays at once, notes the first audio written
            session = VoiceSession(agent, stt, tts, output, VoiceConfig(reprompt_after_s=3600))
            output.on_mark = session.mark_played
            events = session.events()
            running = asyncio.create_task(session.run())
            await until_listening(events, result)
            for clip in clips[start : start + len(LINES)]:
                await one_turn(session, output, events, clip, result)
            await session.hangup()
            await running
    finally:
        await runtime.close()
    return result


async def one_turn(
    session: VoiceSession,
    output: OfflineOutput,
    events: AsyncIterator[Any],
    pcm: bytes,
    into: Latency,
) -> None:
    listening = asyncio.create_task(until_listening(events, into))
    waited = await speak_in_real_time(session, output, pcm + bytes(2 * INTERNAL_RATE * 2))
    await listening
    if waited is not None:
        into.end_to_audio.append(waited)
        into.heard.append(into.last_heard)


async def until_listening(events: AsyncIterator[Any], into: Latency) -> None:
    async for event in events:
        if isinstance(event, CallerSpeech) and event.final:
            into.last_heard = event.text
        if isinstance(event, TurnLatency):
            for key, value in event.figures.items():
                if key != "end_of_speech_to_first_audio_ms":
                    into.stages.setdefault(key, []).append(value)
        if isinstance(event, StateChanged) and event.state == "listening":
            return


# --- 2. false cut-offs --------------------------------------------------------------------------


async def cutoffs(stt: Any, count: int) -> tuple[int, int, list[str]]:
    voices = caller_voices()
    cut, examples = 0, []
    for i in range(count):
        expect, pieces, pause_ms = CUTOFFS[i % len(CUTOFFS)]
        voice = voices[(i // len(CUTOFFS) + i) % len(voices)]
        spoken = [await speak(voice, piece) for piece in pieces]
        stream = await stt.open_stream()
        stream.listen_for(Listening(expect=expect))
        last_start, ended = await asyncio.gather(feed(stream, spoken, pause_ms), ended_at(stream))
        early = [text for at, text in ended if at < last_start]
        if early:
            cut += 1
            examples.append(f"{' ... '.join(pieces)!r} ({expect}) ended at {early[0]!r}")
    return cut, count, examples


async def feed(stream: Any, pieces: list[bytes], pause_ms: int) -> float:
    """Push the pieces with `pause_ms` of silence between them at real-time pace; returns when
    the last piece began."""
    gap = bytes(int(INTERNAL_RATE * pause_ms / 1000) * 2)
    loop = asyncio.get_running_loop()
    due = loop.time()
    last_start = 0.0
    audio = [bytes(INTERNAL_RATE // 5 * 2)]  # 200 ms of line silence first
    for i, piece in enumerate(pieces):
        audio += [piece] if i == 0 else [gap, piece]
    audio.append(bytes(INTERNAL_RATE * 2 * 2))  # 2 s: past the longest hold
    for part_index, part in enumerate(audio):
        if part_index == len(audio) - 2:
            last_start = time.perf_counter()
        for frame in frames(part, INTERNAL_RATE, 20):
            await stream.push(frame)
            due += 0.02
            await asyncio.sleep(max(0.0, due - loop.time()))
    await stream.end_input()
    return last_start


async def ended_at(stream: Any) -> list[tuple[float, str]]:
    return [
        (time.perf_counter(), event.text)
        async for event in stream.events()
        if isinstance(event, TurnEnded)
    ]


# --- caller voices ------------------------------------------------------------------------------


def caller_voices() -> list[Any]:
    from resvoice.voice.tts.espeak import EspeakTTS
    from resvoice.voice.tts.piper import PiperTTS

    return [
        EspeakTTS("en-us", sample_rate=INTERNAL_RATE, words_per_minute=160),
        PiperTTS(sample_rate=INTERNAL_RATE),
        EspeakTTS("en+f3", sample_rate=INTERNAL_RATE),
    ]


async def speak(tts: Any, text: str) -> bytes:
    """`text` in `tts`'s voice with its own trailing silence cut: speech ends where it stops."""
    from bench.offline_voice import trim

    return trim(b"".join([chunk.pcm async for chunk in tts.synthesize(text)]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=18, help="caller turns timed (9 a call)")
    parser.add_argument("--cutoffs", type=int, default=20, help="utterances with pauses")
    parser.add_argument("--pause-ms", type=float, default=None, help="VAD pause_ms")
    parser.add_argument("--finished-ms", type=float, default=None, help="finished_silence_ms")
    parser.add_argument("--partial-ms", type=float, default=700.0, help="partial interval")
    parser.add_argument("--beam", type=int, default=5, help="Whisper beam size")
    parser.add_argument("--show", action="store_true", help="print each timed turn, slowest last")
    asyncio.run(main(parser.parse_args()))
