"""The runtime owns every provider: `serve`, `replay --voice` and `talk` close each one once.

The speech providers are fakes that record closing, made by the voice factory the runtime
uses; each front end runs through its command, with only its outer edge stubbed (uvicorn's
socket loop, the terminal app, the sound card).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import uvicorn
from typer.testing import CliRunner

from resvoice.cli import app
from resvoice.config import Settings
from resvoice.retrieval.hybrid import HybridRetriever
from resvoice.runtime import Runtime
from resvoice.storage.base import Storage
from resvoice.voice.tts.base import AudioChunk

runner = CliRunner()


class Closings(Counter[str]):
    """How many times each provider (by label) was closed."""


class FakeSTT:
    sample_rate = 16_000

    def __init__(self, label: str, closings: Closings) -> None:
        self.name = label
        self._closings = closings

    async def open_stream(self) -> Any:
        raise AssertionError("no call is answered in these tests")

    async def aclose(self) -> None:
        self._closings[self.name] += 1


class FakeTTS:
    def __init__(self, label: str, sample_rate: int, closings: Closings) -> None:
        self.name = label
        self.sample_rate = sample_rate
        self._closings = closings

    async def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        yield AudioChunk(b"\x00\x00" * 160, self.sample_rate)

    async def aclose(self) -> None:
        self._closings[self.name] += 1


@pytest.fixture
def closings(monkeypatch: pytest.MonkeyPatch) -> Closings:
    """Every STT and TTS the runtime makes is a fake; each gets its own label."""
    closings = Closings()
    made = Counter[str]()

    def label(kind: str) -> str:
        made[kind] += 1
        name = f"{kind}-{made[kind]}"
        closings[name] = 0  # made, not yet closed
        return name

    def make_stt(kind: str, **_: object) -> FakeSTT:
        return FakeSTT(label(f"stt:{kind}"), closings)

    def make_tts(kind: str, *, sample_rate: int, **_: object) -> FakeTTS:
        return FakeTTS(label(f"tts:{kind}"), sample_rate, closings)

    monkeypatch.setattr("resvoice.voice.factory.make_stt", make_stt)
    monkeypatch.setattr("resvoice.voice.factory.make_tts", make_tts)
    return closings


def test_serve_closes_its_recogniser_and_voice_once(
    closings: Closings, settings: Settings, seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def served(self: uvicorn.Server, sockets: object = None) -> None:
        """uvicorn's loop returns at once, as after a SIGTERM."""

    monkeypatch.setattr(uvicorn.Server, "serve", served)
    result = runner.invoke(
        app,
        ["serve", "--insecure-dev", "--db", seeded_url, "--stt", "whisper", "--tts", "piper"],
    )
    assert result.exit_code == 0, result.output
    assert closings == {"stt:whisper-1": 1, "tts:piper-1": 1}


def test_replay_voice_closes_every_voice_it_made_once(
    closings: Closings, settings: Settings, seeded_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.yaml"  # read after the voices are made: no call runs
    result = runner.invoke(
        app,
        [
            "replay",
            "--voice",
            "--db",
            seeded_url,
            "--stt",
            "whisper",
            "--tts",
            "piper",
            str(missing),
        ],
    )
    assert result.exit_code == 2, result.output
    # the recogniser, the agent's voice and the eSpeak caller voice checked at start
    assert closings == {"stt:whisper-1": 1, "tts:piper-1": 1, "tts:espeak-1": 1}


def test_talk_closes_its_recogniser_and_voice_once(
    closings: Closings, settings: Settings, seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resvoice.tui import audio
    from resvoice.tui.app import TalkApp

    class Mic:
        sample_rate = 16_000
        closed = 0

        async def frames(self) -> AsyncIterator[bytes]:
            yield b""

        async def aclose(self) -> None:
            Mic.closed += 1

    def open_devices(*_: object, output_rate: int) -> audio.Devices:
        return audio.Devices(Mic(), audio.PlaybackQueue(output_rate), "test devices")

    async def run_async(self: TalkApp) -> None:
        """The app starts a voice call (which sets voice up), then the user quits."""
        await self._new_call()

    monkeypatch.setattr(audio, "open_devices", open_devices)
    monkeypatch.setattr(TalkApp, "run_async", run_async)
    result = runner.invoke(app, ["talk", "--db", seeded_url, "--stt", "whisper", "--tts", "piper"])
    assert result.exit_code == 0, result.output
    assert closings == {"stt:whisper-1": 1, "tts:piper-1": 1}
    assert Mic.closed == 1


class Recorded:
    def __init__(self, closed: list[str], name: str) -> None:
        self._closed = closed
        self._name = name

    async def close(self) -> None:
        self._closed.append(self._name)


async def test_leaving_the_runtime_closes_each_provider_once_and_storage_last(
    settings: Settings,
) -> None:
    closed: list[str] = []
    storage = cast(Storage, Recorded(closed, "storage"))
    retriever = cast(HybridRetriever, SimpleNamespace(embedder=Recorded(closed, "embedder")))
    runtime = Runtime(settings, storage, cast(Any, None), retriever)

    async def first() -> None:
        closed.append("first")

    async def broken() -> None:
        closed.append("broken")
        raise OSError("socket already gone")

    async with runtime:
        runtime.own(first)
        runtime.own(broken)
    await runtime.close()  # a second close does nothing
    assert closed == ["broken", "first", "embedder", "storage"]
