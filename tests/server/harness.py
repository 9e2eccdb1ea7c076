"""Pieces for driving whole calls through a real server: caller speech, a tone TTS whose
sentences can be told apart by loudness, and waiting on what the console is told."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import struct
from collections.abc import AsyncIterator, Callable
from functools import cache
from typing import Any

import httpx
import numpy as np

from resvoice.agent.session import AgentSession
from resvoice.audio.codec import mulaw_to_pcm16
from resvoice.server.calls import VoiceCall
from resvoice.server.hub import Hub
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import STT
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import AudioChunk


@cache
async def sse_events(response: httpx.Response) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """The console feed's server-sent events as (event name, decoded data)."""
    kind = ""
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            yield kind, json.loads(line[6:])


def _espeak() -> Any:
    try:
        from resvoice.voice.tts.espeak import EspeakTTS

        return EspeakTTS(sample_rate=8000)
    except Exception:  # the offline extra is not installed
        return None


async def speech(text: str) -> bytes:
    """The caller saying `text`: eSpeak NG at 8 kHz when installed, else a voiced buzz of a
    similar length (the oracle STT only needs to hear that someone is talking)."""
    engine = _espeak()
    if engine is not None:
        pcm = b""
        async for chunk in engine.synthesize(text):
            pcm += chunk.pcm
        return pcm
    seconds = 0.35 * len(text.split()) + 0.3
    t = np.arange(int(8000 * seconds)) / 8000
    wave = 6000 * np.sin(2 * math.pi * 140 * t) * (0.6 + 0.4 * np.sin(2 * math.pi * 3 * t))
    return wave.astype("<i2").tobytes()


class ToneTTS:
    """Sentence n (1-based) is a tone at amplitude n * STEP, `ms` long, so a test can tell from
    any played frame which sentence it belongs to. `first_chunk_s` fakes synthesis latency."""

    name = "tone"
    sample_rate = 16_000
    STEP = 1500

    def __init__(self, ms: int = 120, first_chunk_s: float = 0.0) -> None:
        self.ms = ms
        self.first_chunk_s = first_chunk_s
        self.spoken: list[str] = []

    def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        return self._synthesize(text)

    async def _synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        self.spoken.append(text)
        amplitude = min(len(self.spoken), 20) * self.STEP
        if self.first_chunk_s:
            await asyncio.sleep(self.first_chunk_s)
        samples = self.sample_rate * 20 // 1000
        t = np.arange(samples) / self.sample_rate
        # 400 Hz: a whole number of cycles per 20 ms chunk, so chunks join without clicks
        chunk = (amplitude * np.sin(2 * math.pi * 400 * t)).astype("<i2").tobytes()
        for _ in range(max(1, self.ms // 20)):
            yield AudioChunk(chunk, self.sample_rate)

    def sentence_of(self, ulaw_frame: bytes) -> int:
        """Which sentence (1-based) a played 20 ms mu-law frame came from."""
        pcm = mulaw_to_pcm16(ulaw_frame)
        samples = struct.unpack(f"<{len(pcm) // 2}h", pcm)
        peak = math.sqrt(2 * sum(s * s for s in samples) / len(samples))
        return round(peak / self.STEP)

    async def aclose(self) -> None:
        pass


def voice_factory(
    stt: STT, tts: Any, config: VoiceConfig | None = None
) -> Callable[[AgentSession, AudioOutput], VoiceCall]:
    def make(agent: AgentSession, output: AudioOutput) -> VoiceCall:
        return VoiceSession(agent, stt, tts, output, config or VoiceConfig(reprompt_after_s=60))

    return make


class Console:
    """What the console is told (the hub's updates), for tests to wait on."""

    def __init__(self, hub: Hub) -> None:
        self._subscription = hub.subscribe()
        self.calls: dict[str, dict[str, Any]] = {}
        self.ended: dict[str, str] = {}
        self.escalations: dict[int, dict[str, Any]] = {}
        self._changed = asyncio.Condition()
        self._task = asyncio.create_task(self._follow())

    async def _follow(self) -> None:
        while (update := await self._subscription.get()) is not None:
            if update.kind == "call":
                self.calls[update.data["call"]] = update.data
            elif update.kind == "call_ended":
                self.ended[update.data["call"]] = update.data["reason"]
            elif update.kind == "escalation":
                self.escalations[update.data["id"]] = update.data
            async with self._changed:
                self._changed.notify_all()

    async def until(self, predicate: Callable[[Console], bool], within: float = 30.0) -> None:
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: predicate(self))

    async def replied(self, call: str, lines: int) -> dict[str, Any]:
        """Wait until the call's transcript has `lines` agent lines and the agent listens."""

        def done(console: Console) -> bool:
            view = console.calls.get(call)
            if view is None or view["state"] != "listening":
                return False
            return sum(1 for line in view["transcript"] if line["role"] == "agent") >= lines

        await self.until(done)
        return self.calls[call]

    async def answered(self, call: str, caller_lines: int) -> dict[str, Any]:
        """Wait until the agent has answered the caller's `caller_lines`-th turn and listens."""

        def done(console: Console) -> bool:
            view = console.calls.get(call)
            if view is None or view["state"] != "listening":
                return False
            roles = [line["role"] for line in view["transcript"]]
            return roles.count("caller") >= caller_lines and roles[-1] == "agent"

        await self.until(done)
        return self.calls[call]

    async def close(self) -> None:
        self._subscription.close()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class RemoteConsole(Console):
    """The same, fed by a server's `/console/events` SSE stream over HTTP."""

    def __init__(self, base_url: str, token: str) -> None:
        self.calls = {}
        self.ended = {}
        self.escalations = {}
        self._changed = asyncio.Condition()
        self._client = httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=None
        )
        self._task = asyncio.create_task(self._follow_http())

    async def _follow_http(self) -> None:
        async with self._client.stream("GET", "/console/events") as response:
            async for kind, data in sse_events(response):
                if kind == "snapshot":
                    self.calls = {c["call"]: c for c in data["calls"]}
                    self.escalations = {e["id"]: e for e in data["escalations"]}
                elif kind == "call":
                    self.calls[data["call"]] = data
                elif kind == "call_ended":
                    self.ended[data["call"]] = data["reason"]
                elif kind == "escalation":
                    self.escalations[data["id"]] = data
                async with self._changed:
                    self._changed.notify_all()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await self._task
        await self._client.aclose()
