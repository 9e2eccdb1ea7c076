"""Benchmark: the OpenAI brain's own latency, from the first SSE byte to the first text it
hands on.

The fake OpenAI server (tests/fakes) sends a whole Responses stream in one write; a timing
transport under the real SDK stamps the moment the first bytes arrive, and the clock stops when
the brain (with its retry and fallback wrappers, as the session sees it) yields its first
`TextDelta`. The SDK's share (HTTP stream, SSE decoding, event models) ends when it yields
its first `response.output_text.delta` event; the rest is the brain's own. Loopback only.
Run: `python -m bench.openai_brain [--samples N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import platform
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx2

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.brains.openai.client import OpenAIModel, connect
from resvoice.agent.events import TextDelta
from resvoice.agent.notepad import Notepad
from resvoice.percentile import percentile
from resvoice.restaurant.loader import load_profile
from tests.fakes.openai_server import FakeOpenAI, Reply, Text

ROOT = Path(__file__).resolve().parents[1]
REPLY = Reply((Text("Yes, ", "dogs are welcome ", "on the patio."),), one_write=True)


class FirstByteTransport(httpx2.AsyncHTTPTransport):
    """Stamps `perf_counter()` when a response's first body bytes arrive."""

    first_byte: float | None = None

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await super().handle_async_request(request)
        response.stream = _Stamped(response.stream, self)
        return response


class _Stamped(httpx2.AsyncByteStream):
    def __init__(self, inner: httpx2.AsyncByteStream, owner: FirstByteTransport) -> None:
        self._inner = inner
        self._owner = owner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            if self._owner.first_byte is None:
                self._owner.first_byte = time.perf_counter()
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class SdkStamps:
    """Wraps `responses.create` so the moment the SDK yields its first text delta event is
    stamped: what comes after it, up to the brain's `TextDelta`, is the brain's own time."""

    def __init__(self, model: OpenAIModel) -> None:
        self.first_delta: float | None = None
        responses = model.client.responses
        create = responses.create

        async def stamped(**kwargs: Any) -> Any:
            return _StampedEvents(await create(**kwargs), self)

        responses.create = stamped  # type: ignore[method-assign]


class _StampedEvents:
    def __init__(self, inner: Any, stamps: SdkStamps) -> None:
        self._inner = inner
        self._stamps = stamps

    async def __aenter__(self) -> _StampedEvents:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._inner.close()

    async def __aiter__(self) -> AsyncIterator[Any]:
        async for event in self._inner:
            if self._stamps.first_delta is None and event.type == "response.output_text.delta":
                self._stamps.first_delta = time.perf_counter()
            yield event


async def measure(
    model: OpenAIModel, transport: FirstByteTransport, stamps: SdkStamps, n: int
) -> tuple[list[float], list[float], list[float]]:
    """Per reply: first byte -> TextDelta, first byte -> SDK delta, SDK delta -> TextDelta."""
    profile = load_profile(ROOT / "fixtures/restaurant.yaml")
    now = dt.datetime(2026, 2, 2, 15, 30, tzinfo=ZoneInfo(profile.restaurant.timezone))
    total: list[float] = []
    sdk: list[float] = []
    own: list[float] = []
    for _ in range(n):
        context = TurnContext(profile=profile, now=now, notepad=Notepad(), missing=[], history=[])
        transport.first_byte = stamps.first_delta = None
        handed: float | None = None
        async for event in model.brain().respond(Turn("speech", "can I bring my dog"), context):
            if handed is None and isinstance(event, TextDelta):
                handed = time.perf_counter()
        byte, delta = transport.first_byte, stamps.first_delta
        assert handed is not None and byte is not None and delta is not None
        total.append((handed - byte) * 1000)
        sdk.append((delta - byte) * 1000)
        own.append((handed - delta) * 1000)
    return total, sdk, own


async def main(samples: int) -> None:
    with FakeOpenAI() as server:
        transport = FirstByteTransport()
        model = connect(
            api_key="sk-bench",
            base_url=server.base_url,
            model="gpt-bench",
            api="responses",
            http_client=httpx2.AsyncClient(transport=transport),
        )
        stamps = SdkStamps(model)
        try:
            warmup = 20
            server.script(*[REPLY] * (samples + warmup))
            await measure(model, transport, stamps, warmup)
            total, sdk, own = await measure(model, transport, stamps, samples)
        finally:
            await model.close()
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    rows = [
        ("first SSE byte -> first TextDelta handed on", total, "< 1"),
        ("  of which the SDK (HTTP stream, SSE, event models)", sdk, "-"),
        ("  of which the brain (stream, retry, fallback wrappers)", own, "< 1"),
    ]
    print("| measure | samples | p50 ms | p95 ms | target p95 |")
    print("|---|---|---|---|---|")
    for label, values, target in rows:
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"| {label} | {len(values)} | {p50:.3f} | {p95:.3f} | {target} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=300)
    asyncio.run(main(parser.parse_args().samples))
