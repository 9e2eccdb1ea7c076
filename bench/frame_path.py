"""Benchmark: the CPU cost of each step of one 20 ms phone frame through `serve`, in-process.

The load bench (`bench.serve_load`) measures the whole path from outside; this one times each
step the server's code adds, on its own, in process CPU time (much less sensitive to a busy
machine than wall-clock lag): parse the Twilio `media` message (JSON + base64, the one parse
point), decode mu-law and resample to the recogniser's 16 kHz, the two frame histograms, and on
the way out one 20 ms frame of agent audio (resample 16 -> 8 kHz, mu-law, the `media` message).
The websocket itself (uvicorn, websockets) and the recogniser are not ours and not here.

Run: `python -m bench.frame_path [--frames 20000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import time
from collections.abc import Callable

import numpy as np

from bench._machine import load_average
from resvoice.audio.telephone import PhoneDecoder
from resvoice.server import twilio_wire as wire
from resvoice.server.metrics import ServerMetrics
from resvoice.server.transport import TwilioOutput

SID = "MZ" + "0" * 32


def cpu_us(step: Callable[[int], object], frames: int) -> float:
    """Process CPU microseconds per call of `step(i)`, best of three runs."""
    best = math.inf
    for _ in range(3):
        started = time.process_time()
        for i in range(frames):
            step(i)
        best = min(best, (time.process_time() - started) / frames * 1e6)
    return best


def media_message(number: int) -> str:
    payload = base64.b64encode(bytes((number + i) % 256 for i in range(160))).decode()
    media = {"track": "inbound", "chunk": str(number), "timestamp": str(number * 20)}
    return json.dumps({"event": "media", "media": {**media, "payload": payload}, "streamSid": SID})


async def outbound_us(frames: int) -> float:
    """CPU per 20 ms of agent audio: write (resample, mu-law, framing), pace and build messages."""
    sent: list[str] = []

    async def send(text: str) -> None:
        sent.append(text)

    tone = (8000 * np.sin(np.arange(320 * 10) / 16000 * 2 * math.pi * 440)).astype("<i2").tobytes()
    output = TwilioOutput(send, SID, ServerMetrics(), lead_ms=1e9)  # no pacing wait: CPU only
    started = time.process_time()
    for _ in range(frames // 10):
        await output.write(tone)  # 200 ms of audio = 10 frames
    cost = (time.process_time() - started) / (frames // 10 * 10) * 1e6
    output.close()
    return cost


def main(frames: int) -> None:
    messages = [media_message(i) for i in range(256)]
    decoder = PhoneDecoder(8000, 16000)
    payload = wire.parse(messages[0]).payload  # type: ignore[union-attr]
    metrics = ServerMetrics()
    steps: list[tuple[str, Callable[[int], object]]] = [
        ("parse a media message (orjson, base64)", lambda i: wire.parse(messages[i & 255])),
        ("mu-law 8 kHz -> PCM16 16 kHz (PhoneDecoder)", lambda _: decoder.process(payload)),
        ("both frame histograms (lag, handling)", lambda _: metrics.frame_lag.observe(0.003)),
    ]
    print(f"{frames} frames per step, process CPU time, best of 3")
    print()
    print("| measure | samples | mean us | target | load average |")
    print("|---|---|---|---|---|")
    total = 0.0
    for label, step in steps:
        cost = cpu_us(step, frames) * (2 if "both" in label else 1)
        total += cost
        print(f"| inbound: {label}, us per frame | {frames} | {cost:.2f} | - | {load_average()} |")
    print(f"| inbound: our steps together, us per frame | {frames} | {total:.2f} | - "
          f"| {load_average()} |")  # fmt: skip
    out = asyncio.run(outbound_us(frames))
    print(f"| outbound: one 20 ms frame of agent audio, us | {frames} | {out:.2f} | - "
          f"| {load_average()} |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=20000)
    main(parser.parse_args().frames)
