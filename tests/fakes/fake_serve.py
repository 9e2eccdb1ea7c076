"""`resvoice serve` with faked voice providers, as its own process: for the shutdown test and
the load benchmark. Speech recognition is the oracle STT (real turn detection on the audio, the
words from a booking script, a final transcript `--stt-latency` after the caller stops) and the
voice is the tone TTS (first audio after `--tts-latency`); the brain, storage and the whole
server are the real ones.

Run: python -m tests.fakes.fake_serve --db sqlite:///x.db --port 8765 [--samples out.json]
With --samples, each inbound frame's handling time is written there as JSON at exit.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import time
from pathlib import Path
from typing import Any

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.server.run import run
from resvoice.server.signature import SignatureCheck
from resvoice.server.transfer import TransferSettings
from resvoice.voice.session import VoiceConfig
from tests.fakes.oracle_stt import OracleSTT
from tests.server.harness import ToneTTS, voice_factory

AUTH_TOKEN = "fake-serve-auth-token"
CONSOLE_TOKEN = "fake-serve-console"
SCRIPT = (
    "Hi, I'd like to book a table",
    "John Smith, party of four, Saturday at seven pm",
    "It's 555 123 4567",
    "Yes, please book it",
)


class _Recording:
    """Wraps a histogram: observes as before and keeps every sample."""

    def __init__(self, histogram: Any) -> None:
        self._histogram = histogram
        self.samples: list[float] = []

    def observe(self, value: float) -> None:
        self.samples.append(value)
        self._histogram.observe(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stt-latency", type=float, default=0.0)
    parser.add_argument("--tts-latency", type=float, default=0.0)
    parser.add_argument("--tts-ms", type=int, default=600, help="audio per sentence")
    parser.add_argument("--drain-timeout", type=float, default=10.0)
    parser.add_argument("--samples", type=Path)
    parser.add_argument("--ws", default="auto", help="uvicorn websocket implementation")
    parser.add_argument("--loop", default="auto", help="uvicorn event loop (asyncio, uvloop)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    recording: list[_Recording] = []
    cpu_at_start: list[float] = []
    gc_pauses: list[tuple[int, float]] = []  # (generation, seconds) of each collection
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gc_pauses.append((info["generation"], time.perf_counter() - gc_started[0]))

    if args.samples:
        gc.callbacks.append(on_gc)

    async def build() -> ServerContext:
        runtime = await Runtime.open(Settings(), args.db)
        stt = OracleSTT(SCRIPT, latency_s=args.stt_latency)
        tts = ToneTTS(ms=args.tts_ms, first_chunk_s=args.tts_latency)
        ctx = ServerContext(
            runtime=runtime,
            voice_factory=voice_factory(stt, tts, VoiceConfig(reprompt_after_s=60)),
            signatures=SignatureCheck(AUTH_TOKEN, None),
            console_auth=ConsoleAuth(token=CONSOLE_TOKEN),
            transfer_settings=TransferSettings(agent_number=None),
            drain_timeout_s=args.drain_timeout,
        )
        handling = _Recording(ctx.metrics.frame_seconds)
        lag = _Recording(ctx.metrics.frame_lag)
        ctx.metrics.frame_seconds = handling  # type: ignore[assignment]
        ctx.metrics.frame_lag = lag  # type: ignore[assignment]
        recording.extend([handling, lag])
        cpu_at_start.append(time.process_time())
        return ctx

    async def close(ctx: ServerContext) -> None:
        await ctx.runtime.close()
        if args.samples and recording:
            late = ctx.metrics.late_frames._value.get()
            samples = {
                "frame_seconds": recording[0].samples,
                "frame_lag_seconds": recording[1].samples,
                "late_frames": late,
                "frames_sent": ctx.metrics.frames_sent._value.get(),
                "cpu_seconds": time.process_time() - cpu_at_start[0],
                "gc_pauses": gc_pauses,
                "gc_total": sum(p for _, p in gc_pauses),
            }
            args.samples.write_text(json.dumps(samples))

    run(build, close, args.host, args.port, log_level="warning", ws=args.ws, loop=args.loop)


if __name__ == "__main__":
    main()
