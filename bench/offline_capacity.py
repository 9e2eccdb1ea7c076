"""Benchmark: how many simultaneous calls the offline voice (Whisper + Silero VAD + Piper) serves
on this machine before the p95 turn latency passes 1.5 s (needs `resvoice[offline]`).

N calls at once share one `WhisperSTT` (its bounded priority pool: finals before partials, the
VAD thread) and one Piper voice (its one synthesis thread), as `resvoice serve` does. Each call
speaks caller lines (Piper's voice) in real time as 20 ms frames, with its start staggered; when
its recogniser ends the turn, the agent's reply sentence is synthesised. A turn's latency is
from the last frame of speech to the reply's first audio (what the caller hears as the gap). The
brain's own time (a few ms with the rules brain) is left out. N grows until p95 > 1.5 s; the last
N under it is the capacity, the default of `RESVOICE_MAX_CALLS` with this voice
(`resvoice.server.capacity.OFFLINE_MAX_CALLS`). Each row ends with the machine's load average.

Run: `python -m bench.offline_capacity [--calls 1 2 3 4 6 8] [--lines 3] [--keep-going]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from typing import Any

from bench._machine import load_average
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.percentile import percentile
from resvoice.voice.stt.base import TurnEnded

TARGET_P95_MS = 1500.0
CALLER_LINES = [
    "Hi, I'd like to book a table for four this Saturday at seven thirty.",
    "The name is Maria Lopez, and my number is four one five, five five five, zero one four two.",
    "Yes, please book it. Thank you so much.",
    "Could we sit by the window? It's for our anniversary.",
]
REPLY = "Lovely, I have a table for 4 on Saturday at 7:30 PM. Could I have a name for it?"
SILENCE_AFTER_S = 2.0  # the caller listens to the reply before the next line


async def caller_lines(tts: Any, count: int) -> list[bytes]:
    from bench.offline_voice import trim

    return [
        trim(b"".join([chunk.pcm async for chunk in tts.synthesize(line)]))
        for line in CALLER_LINES[:count]
    ]


async def one_call(stt: Any, tts: Any, lines: list[bytes], delay_s: float) -> list[float]:
    """One caller's turns; the latency of each, in ms."""
    await asyncio.sleep(delay_s)
    stream = await stt.open_stream()
    latencies: list[float] = []
    speech_end = [0.0]
    turn_done = asyncio.Event()

    async def listen() -> None:
        async for event in stream.events():
            if isinstance(event, TurnEnded):
                async for _chunk in tts.synthesize(REPLY):
                    latencies.append((time.perf_counter() - speech_end[0]) * 1000)
                    break
                turn_done.set()

    listener = asyncio.create_task(listen())
    silence = list(frames(b"\x00\x00" * int(INTERNAL_RATE * SILENCE_AFTER_S), INTERNAL_RATE))
    start = time.perf_counter()
    sent = 0
    for line in lines:
        turn_done.clear()
        speech = list(frames(line, INTERNAL_RATE))
        for index, frame in enumerate(speech + silence):
            sent += 1
            delay = start + sent * 0.02 - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await stream.push(frame)
            if index == len(speech) - 1:
                speech_end[0] = time.perf_counter()
        try:  # a turn still being recognised after the silence: give it time, then move on
            await asyncio.wait_for(turn_done.wait(), 10.0)
        except TimeoutError:
            latencies.append(float("inf"))
    await stream.end_input()
    await asyncio.wait_for(listener, 30.0)
    await stream.aclose()
    return latencies


async def main(counts: list[int], line_count: int, keep_going: bool = False) -> None:
    from resvoice.voice.models import ModelCache
    from resvoice.voice.stt.whisper import WhisperSTT
    from resvoice.voice.tts.piper import PiperTTS

    models = ModelCache()
    stt = WhisperSTT(models=models)
    tts = PiperTTS(sample_rate=INTERNAL_RATE, models=models)
    lines = await caller_lines(tts, line_count)
    await stt.warm_up()
    print(
        f"{line_count} caller lines per call in real time, reply synthesised at each end of turn; "
        f"Whisper tiny.en int8 + Silero VAD + Piper, shared by all calls; {os.cpu_count()} cores"
    )
    print()
    print("| measure | samples | p50 ms | p95 ms | target | CPU s per call-second | load average |")
    print("|---|---|---|---|---|---|---|")
    capacity = calls_before = 0
    for calls in counts:
        cpu, wall = time.process_time(), time.perf_counter()
        results = await asyncio.gather(
            *(one_call(stt, tts, lines, index * 0.9) for index in range(calls))
        )
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        turns = [ms for call in results for ms in call]
        p95 = percentile(turns, 95)
        # CPU per second of one call: the models' cost, much less sensitive to the machine's
        # load than the latency (cores / this = the most calls the CPU could carry at all)
        print(
            f"| offline turn latency, {calls} calls at once | {len(turns)} "
            f"| {percentile(turns, 50):.0f} | {p95:.0f} | p95 < {TARGET_P95_MS:.0f} "
            f"| {cpu / (calls * wall):.2f} | {load_average()} |",
            flush=True,
        )
        if p95 > TARGET_P95_MS and not keep_going:
            break
        if p95 <= TARGET_P95_MS and capacity == calls_before:
            capacity = calls
        calls_before = calls
    print()
    print(f"Offline capacity: {capacity} simultaneous calls (last N with p95 <= 1.5 s).")
    await stt.aclose()
    await tts.aclose()
    models.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, nargs="+", default=[1, 2, 3, 4, 6, 8])
    parser.add_argument("--lines", type=int, default=3, choices=range(1, len(CALLER_LINES) + 1))
    parser.add_argument(
        "--keep-going", action="store_true", help="run every N even past the target (the trend)"
    )
    options = parser.parse_args()
    asyncio.run(main(options.calls, options.lines, options.keep_going))
