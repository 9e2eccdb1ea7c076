"""Benchmark: Whisper's style prompt against none, for answers to "what name?" and "what number?".

Callers' answers spoken by four eSpeak voices and Piper's joe (one clip in five), 16 kHz:
names said whole ("It's Fiona Thornbury."), names corrected with the surname spelled ("No,
the name is Fiona Thornbury, T, H, O, R, N, B, U, R, Y."), and 10-digit numbers (in digit
words with "oh", or in groups with "double"/"triple" as the voice replay's caller says them).
Each clip is transcribed twice from the same audio, beam 5: with the style prompt
(`DEFAULT_PROMPT`) and with none; names are read by the extractor as the agent would, numbers
under the phone hint. Prints the counts read exactly per seed and the load average.

Run: `python -m bench.prompt_by_question [--seeds 7 21 33] [--clips 40]`. Result in
`docs/recognisers.md` ("The style prompt").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
from collections.abc import Sequence
from typing import Any

from bench.hotwords import heard
from resvoice.audio import INTERNAL_RATE
from resvoice.language.names import extract_name
from resvoice.language.phones import extract_phone
from resvoice.replay.correcting_caller import repeats_said
from resvoice.replay.wer import caller_words
from resvoice.voice.stt.hints import Listening
from resvoice.voice.stt.whisper_context import heard_in_context
from resvoice.voice.stt.whisper_model import DEFAULT_PROMPT, SharedWhisper, bundled_model_dir
from resvoice.voice.tts.espeak import EspeakTTS
from resvoice.voice.tts.piper import PiperTTS

FIRST = ["Maria", "Daniel", "Priya", "Sam", "Olivia", "Tom", "Aisha", "Lars", "Mei", "Kofi",
         "Grace", "Nigel", "Fiona", "Mark", "Jenna", "Chloe", "Liam", "Raj", "Dorothy",
         "Lucas"]  # fmt: skip
LAST = ["Garcia", "Okafor", "Patel", "Nguyen", "Kowalski", "Rossi", "Haddad", "Lindqvist",
        "Dubois", "Chen", "Brennan", "Novak", "Henderson", "Thornbury", "Morales", "Bennett",
        "Raman", "Abernathy", "Ferreira", "Delgado"]  # fmt: skip
VOICES = ("en-us+m3", "en-gb-x-rp", "en-us+f2", "en-us+m1", "piper")
DIGITS = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def spelled(word: str) -> str:
    """A surname spelled as the replay's caller spells it ("L, double E")."""
    out: list[str] = []
    for letter in word.upper():
        if out and out[-1] == letter:
            out[-1] = f"double {letter}"
        else:
            out.append(letter)
    return ", ".join(out)


async def clips(seed: int, count: int) -> list[tuple[str, str, bytes]]:
    """(kind, expected value, PCM16) for `count` callers of each kind."""
    rng = random.Random(seed)
    voices: dict[str, Any] = {}
    out: list[tuple[str, str, bytes]] = []
    for i in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        area = rng.choice(["212", "415", "646", "917", "718", "503", "312", "201"])
        number = f"{area}555{rng.randint(0, 9999):04d}"
        voice = VOICES[i % len(VOICES)]
        if voice not in voices:
            voices[voice] = (
                PiperTTS(sample_rate=INTERNAL_RATE)
                if voice == "piper"
                else EspeakTTS(voice=voice, sample_rate=INTERNAL_RATE)
            )
        said = " ".join(DIGITS[int(d)] for d in number)
        lines = [
            ("name said", name, f"It's {name}."),
            ("name spelled", name, f"No, the name is {name}, {spelled(name.split()[-1])}."),
            (
                "number",
                number,
                f"It's {said}." if i % 2 else f"No, my number is {repeats_said('+1' + number)}.",
            ),
        ]
        for kind, value, line in lines:
            chunks = voices[voice].synthesize(caller_words(line))
            out.append((kind, value, b"".join([c.pcm async for c in chunks])))
    return out


def exact(kind: str, value: str, text: str) -> bool:
    if kind == "number":
        found = extract_phone(heard_in_context(text, Listening(expect="phone")), "US")
        return bool(found and found.digits.endswith(value))
    name = extract_name(text, expect_name=True)
    return name is not None and name.value.lower() == value.lower()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 21, 33])
    parser.add_argument("--clips", type=int, default=40)
    args = parser.parse_args(argv)
    model = SharedWhisper(bundled_model_dir(), 1)._load()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| seed | prompt | names said | names spelled | numbers |")
    print("|---|---|---|---|---|")
    for seed in args.seeds:
        data = asyncio.run(clips(seed, args.clips))
        for label, prompt in (("style", DEFAULT_PROMPT), ("none", None)):
            right: dict[str, int] = {"name said": 0, "name spelled": 0, "number": 0}
            for kind, value, pcm in data:
                right[kind] += exact(kind, value, heard(model, pcm, prompt))
            n = args.clips
            print(
                f"| {seed} | {label} | {right['name said']}/{n} | {right['name spelled']}/{n}"
                f" | {right['number']}/{n} |",
                flush=True,
            )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
