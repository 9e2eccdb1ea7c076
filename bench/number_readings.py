"""Benchmark: a phone number heard short, looked for whole in Whisper's nearer readings.

Callers' 10-digit numbers (`bench.prompt_by_question`'s clips: digit words with "oh", or groups
with "double"/"triple", four eSpeak voices and Piper's joe), each transcribed as a number turn is
(beam 5, no style prompt, under the phone hint). When the best reading holds a number one to
three digits short (`number_heard_short`), the beam's five best readings are read for the first
whole one (`whole_number_among`), as `WhisperSTT` does. Prints, per seed, the numbers read
exactly by the best reading alone and with the second look, how many turns took the second
look, the time of one look against one transcription, and the load average.

Run: `python -m bench.number_readings [--seeds 7 21 33] [--clips 40]`. Result in
`docs/recognisers.md` ("A number heard short").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Sequence

from bench.prompt_by_question import clips
from resvoice.language.phones import extract_phone
from resvoice.voice.stt.hints import Listening
from resvoice.voice.stt.whisper_context import (
    heard_in_context,
    number_heard_short,
    whole_number_among,
)
from resvoice.voice.stt.whisper_model import SharedWhisper, bundled_model_dir

PHONE = Listening(expect="phone")


def exact(value: str, text: str) -> bool:
    found = extract_phone(text, "US")
    return bool(found and found.digits.endswith(value))


async def seed_row(model: SharedWhisper, seed: int, count: int) -> str:
    best_right = looked_right = looks = 0
    best_ms: list[float] = []
    look_ms: list[float] = []
    numbers = [(value, pcm) for kind, value, pcm in await clips(seed, count) if kind == "number"]
    for value, pcm in numbers:
        started = time.perf_counter()
        best = heard_in_context((await model.transcribe(pcm, 5, None, True)).text, PHONE)
        best_ms.append((time.perf_counter() - started) * 1000)
        final = best
        if number_heard_short(best, PHONE):
            looks += 1
            started = time.perf_counter()
            readings = await model.readings(pcm, 5, None, 5)
            look_ms.append((time.perf_counter() - started) * 1000)
            final = whole_number_among(readings, PHONE) or best
        best_right += exact(value, best)
        looked_right += exact(value, final)
    n = len(numbers)
    look = f"{statistics.median(look_ms):.0f}" if look_ms else "-"
    return (
        f"| {seed} | {best_right}/{n} | {looked_right}/{n} | {looks} | "
        f"{statistics.median(best_ms):.0f} | {look} |"
    )


async def run(seeds: Sequence[int], count: int) -> None:
    model = SharedWhisper(bundled_model_dir(), 1)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| seed | best reading | with the second look | turns looked again | ms one | ms look |")
    print("|---|---|---|---|---|---|")
    for seed in seeds:
        print(await seed_row(model, seed, count), flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    model.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 21, 33])
    parser.add_argument("--clips", type=int, default=40)
    args = parser.parse_args(argv)
    asyncio.run(run(args.seeds, args.clips))


if __name__ == "__main__":
    main()
