"""Benchmark: does the recogniser hear names and phone numbers, clean and on the phone line?

Caller answers to "what name?" and "what number?" (names from many origins, 10-digit numbers
read digit by digit with "oh" and "double" as people say them), spoken by eSpeak voices and
Piper's, each transcribed whole by Whisper twice: as recorded (16 kHz) and after an 8 kHz mu-law
phone line (`through_phone_line`). Per condition: WER, names exact (the extractor reads the
right name from the words, as the agent would), numbers exact (the extractor reads the right
number), mean transcription time and RTF, and the prompt echoes seen. With `--hints` each
clip's words are also read under the `Listening` hint the agent's question gives ("what
number?" / "what name?"); a hint changes only the words after decoding
(`resvoice.voice.stt.whisper_context`), so both rows come from the same decoding and differ
only by what the hint does.

Run: `python -m bench.hearing [--model DIR] [--hints] [--clips N]`. Prints a Markdown table
and the load average; figures under load are slower than on an idle machine, ratios hold.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.phone_line import through_phone_line
from resvoice.language.names import extract_name
from resvoice.language.phones import extract_phone
from resvoice.replay.wer import caller_words, word_errors
from resvoice.voice.stt.hints import ANYTHING, Listening
from resvoice.voice.stt.whisper_context import heard_in_context

FIRST = ["Maria", "Daniel", "Priya", "Sam", "Olivia", "Tom", "Aisha", "Lars", "Mei", "Kofi"]
LAST = ["Garcia", "Okafor", "Patel", "Nguyen", "Kowalski", "Rossi", "Haddad", "Lindqvist",
        "Dubois", "Chen", "Brennan", "Novak"]  # fmt: skip
ESPEAK_VOICES = ("en-us+m3", "en-gb-x-rp", "en-us+f2", "en-us+m1", "en+klatt4")


@dataclass(frozen=True)
class Clip:
    kind: str  # "name" | "phone"
    text: str  # what the caller said (reference)
    truth: str  # the name, or the number's 10 digits
    voice: str
    pcm: bytes


def caller_lines(count: int, seed: int = 20) -> list[tuple[str, str, str]]:
    """(kind, line, truth): names alone or with a cue, numbers in groups with "oh"/"double"."""
    rng = random.Random(seed)
    lines: list[tuple[str, str, str]] = []
    for i in range(count):
        if i % 2 == 0:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            line = rng.choice(["{n}", "It's {n}", "My name is {n}", "Under {n}, please"])
            lines.append(("name", line.format(n=name), name))
        else:
            digits = "555" + "".join(rng.choice("0123456789") for _ in range(7))
            lines.append(("phone", f"My number is {_spoken_number(digits, rng)}", digits))
    return lines


def _spoken_number(digits: str, rng: random.Random) -> str:
    groups = [digits[:3], digits[3:6], digits[6:]]
    said = []
    for group in groups:
        words: list[str] = []
        i = 0
        while i < len(group):
            if i + 1 < len(group) and group[i] == group[i + 1] and rng.random() < 0.7:
                words.append(f"double {group[i]}")
                i += 2
                continue
            words.append("oh" if group[i] == "0" and rng.random() < 0.6 else group[i])
            i += 1
        said.append(" ".join(words))
    return ", ".join(said)


async def synthesize(lines: list[tuple[str, str, str]]) -> list[Clip]:
    from resvoice.voice.tts.espeak import EspeakTTS
    from resvoice.voice.tts.piper import PiperTTS

    piper = PiperTTS(sample_rate=INTERNAL_RATE)
    clips = []
    for i, (kind, line, truth) in enumerate(lines):
        if i % 3 == 2:
            voice, tts = "piper joe", piper
        else:
            voice = ESPEAK_VOICES[i % len(ESPEAK_VOICES)]
            tts = EspeakTTS(voice, sample_rate=INTERNAL_RATE)
        pcm = b"".join([chunk.pcm async for chunk in tts.synthesize(caller_words(line))])
        clips.append(Clip(kind, line, truth, voice, pcm))
    return clips


def hint_for(clip: Clip) -> Listening:
    return Listening(expect="phone") if clip.kind == "phone" else Listening(expect="name")


@dataclass
class Score:
    errors: int = 0
    words: int = 0
    names: int = 0
    names_right: int = 0
    phones: int = 0
    phones_right: int = 0
    seconds: float = 0.0
    audio_s: float = 0.0
    echoes: int = 0

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.errors / max(self.words, 1):.3f} | "
            f"{self.names_right}/{self.names} | {self.phones_right}/{self.phones} | "
            f"{1000 * self.seconds / max(self.names + self.phones, 1):.0f} | "
            f"{self.seconds / max(self.audio_s, 1e-9):.2f} | {self.echoes} |"
        )


def score(score: Score, clip: Clip, heard: str, seconds: float, prompt: str | None) -> None:
    errors, words = word_errors(clip.text, heard)
    score.errors += errors
    score.words += words
    score.seconds += seconds
    score.audio_s += len(clip.pcm) / (2 * INTERNAL_RATE)
    if prompt and prompt.lower().strip(" .") in heard.lower():
        score.echoes += 1
    if clip.kind == "name":
        score.names += 1
        found = extract_name(heard, expect_name=True)
        score.names_right += found is not None and found.value.lower() == clip.truth.lower()
    else:
        score.phones += 1
        phone = extract_phone(heard)
        score.phones_right += phone is not None and phone.value.endswith(clip.truth)


async def main(model: Path | None, clips_n: int, hints: bool) -> None:
    from resvoice.voice.stt.whisper import WhisperSTT

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    base = model is not None and "base" in model.name
    stt = WhisperSTT(model, prompt="") if base else WhisperSTT(model)  # base echoes a prompt
    await stt.warm_up()
    load_s = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    size = sum(f.stat().st_size for f in stt.model_dir.iterdir()) / 1e6
    clips = await synthesize(caller_lines(clips_n))
    print(
        f"model {stt.model_dir}: {size:.0f} MB on disk, load {load_s:.1f} s, "
        f"peak RSS +{rss:.0f} MB; {len(clips)} clips; load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| path | context | WER | names exact | numbers exact | ms/clip | RTF | echoes |")
    print("|---|---|---|---|---|---|---|---|")
    for path, line in (("16 kHz", False), ("8 kHz mu-law", True)):
        plain, hinted = Score(), Score()
        for clip in clips:
            pcm = through_phone_line(clip.pcm) if line else clip.pcm
            started = time.perf_counter()
            heard = await stt.transcribe(pcm, ANYTHING)
            elapsed = time.perf_counter() - started
            score(plain, clip, heard.text, elapsed, stt.prompt)
            in_context = heard_in_context(heard.text, hint_for(clip))
            score(hinted, clip, in_context, elapsed, stt.prompt)
        print(plain.row(f"{path} | no hint"))
        if hints:
            print(hinted.row(f"{path} | hint"))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    await stt.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="CTranslate2 Whisper dir")
    parser.add_argument("--clips", type=int, default=48)
    parser.add_argument("--hints", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.model, args.clips, args.hints))
