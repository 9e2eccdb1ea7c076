"""Benchmark: what the Deepgram providers add on top of Deepgram itself, over loopback.

Against the local fake server (tests/fakes/deepgram_server.py), through the real deepgram-sdk:
- Flux: a `TurnInfo` EndOfTurn leaving the server -> `TurnEnded` reaching the consumer
  (SDK parsing + our mapping + queue);
- Aura: `synthesize()` called -> first audio chunk, on a warm pooled socket and on a cold one
  (a new websocket per sentence, which is roughly what a REST request per sentence pays).
Prints p50/p95 in milliseconds. Run: `python -m bench.deepgram_providers [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import warnings

from resvoice.percentile import percentile
from resvoice.voice.stt.base import TurnEnded
from resvoice.voice.stt.deepgram import DeepgramFluxSTT
from resvoice.voice.tts.deepgram import DeepgramAuraTTS
from tests.fakes.deepgram_server import API_KEY, FakeDeepgram, FluxSocket


async def flux_turn_delivery(rounds: int) -> list[float]:
    sent: list[float] = []
    samples: list[float] = []
    async with FakeDeepgram() as fake:

        async def script(sock: FluxSocket) -> None:
            for i in range(rounds):
                await sock.wait_audio((i + 1) * 640)
                await sock.turn("StartOfTurn", "table")
                sent.append(time.perf_counter())
                await sock.turn("EndOfTurn", "table for two")

        fake.flux(script)
        stt = DeepgramFluxSTT(API_KEY, fake.url)
        stream = await stt.open_stream()
        events = stream.events()
        for _ in range(rounds):
            await stream.push(bytes(640))
            async for event in events:
                if isinstance(event, TurnEnded):
                    samples.append((time.perf_counter() - sent[len(samples)]) * 1000)
                    break
        await stt.aclose()
    return samples


async def aura_first_chunk(rounds: int, *, warm: bool) -> list[float]:
    samples: list[float] = []
    async with FakeDeepgram() as fake:
        shared = DeepgramAuraTTS(API_KEY, fake.url)
        for _ in range(rounds):
            tts = shared if warm else DeepgramAuraTTS(API_KEY, fake.url)
            start = time.perf_counter()
            async for _chunk in tts.synthesize("Your table is booked."):
                samples.append((time.perf_counter() - start) * 1000)
                break
            await asyncio.sleep(0)
            if not warm:
                await tts.aclose()
        await shared.aclose()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's websockets.legacy import
    flux = asyncio.run(flux_turn_delivery(rounds))
    warm = asyncio.run(aura_first_chunk(rounds, warm=True))
    cold = asyncio.run(aura_first_chunk(rounds, warm=False))
    rows = [
        ("Deepgram fake: Flux EndOfTurn -> TurnEnded (SDK + mapping)", flux),
        ("Deepgram fake: Aura first chunk, warm pooled socket", warm),
        ("Deepgram fake: Aura first chunk, new socket", cold),
    ]
    print("| measure | samples | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for name, values in rows:
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"| {name} | {len(values)} | {p50:.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
