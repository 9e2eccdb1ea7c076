"""Deepgram Flux STT through the real deepgram-sdk against the local fake Deepgram server."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Callable

import pytest

pytest.importorskip("deepgram")

from resvoice.config import Settings
from resvoice.errors import ConfigError, VoiceProviderError
from resvoice.runtime import stt_from_settings, tts_from_settings
from resvoice.voice.stt.base import (
    EagerEndOfTurn,
    STTEvent,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)
from resvoice.voice.stt.deepgram import DeepgramFluxStream, DeepgramFluxSTT
from tests.fakes.deepgram_server import API_KEY, FakeDeepgram, FluxSocket

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SECOND = 16_000 * 2  # bytes of PCM16 mono 16 kHz


def speech(seconds: float, level: int = 1000) -> bytes:
    return int(level).to_bytes(2, "little", signed=True) * int(seconds * 16_000)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDeepgram]:
    async with FakeDeepgram() as server:
        yield server


def flux(fake: FakeDeepgram, **options: object) -> DeepgramFluxSTT:
    options.setdefault("reconnect_delay_s", 0.0)
    return DeepgramFluxSTT(API_KEY, fake.url, **options)  # type: ignore[arg-type]


async def eventually(condition: Callable[[], bool]) -> None:
    """Let the loop run until `condition` holds (bounded, so a broken build fails, not hangs)."""
    for _ in range(5000):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("condition never held")


async def until_turn_ended(stream: DeepgramFluxStream) -> list[STTEvent]:
    events: list[STTEvent] = []
    async for event in stream.events():
        events.append(event)
        if isinstance(event, TurnEnded):
            break
    return events


async def test_partials_and_turn_events_arrive_in_order(fake: FakeDeepgram) -> None:
    async def script(sock: FluxSocket) -> None:
        await sock.wait_audio(SECOND // 2)
        await sock.turn("StartOfTurn", "Hi")
        await sock.turn("Update", "Hi I'd like")
        await sock.wait_audio(SECOND)
        await sock.turn("Update", "Hi I'd like a table")
        await sock.turn("EndOfTurn", "Hi I'd like a table for two", eot_confidence=0.9)

    fake.flux(script)
    stt = flux(fake)
    stream = await stt.open_stream()
    await stream.push(speech(0.5))
    await stream.push(speech(0.5))
    events = await until_turn_ended(stream)
    await stt.aclose()

    assert [type(e) for e in events] == [
        TurnStarted, TranscriptUpdate, TranscriptUpdate, TranscriptUpdate, TurnEnded,
    ]  # fmt: skip
    texts = [e.text for e in events if isinstance(e, TranscriptUpdate)]
    assert texts == ["Hi", "Hi I'd like", "Hi I'd like a table"]
    final = events[-1]
    assert isinstance(final, TurnEnded)
    assert final.text == "Hi I'd like a table for two"
    assert final.audio_ms == pytest.approx(1000.0)
    assert final.speech_end_ms == pytest.approx(1000.0)
    assert final.confidence == pytest.approx(0.9)

    handshake = fake.flux_sockets[0].handshake
    assert handshake.headers["Authorization"] == f"Token {API_KEY}"
    assert handshake.query == {
        "model": "flux-general-en",
        "encoding": "linear16",
        "sample_rate": "16000",
    }
    assert bytes(fake.flux_sockets[0].audio) == speech(1.0)
    # 80 ms messages, as Flux recommends; the remainder once no more audio came
    assert fake.flux_sockets[0].frame_sizes == [2560] * 12 + [1280]


async def test_eager_end_of_turn_then_turn_resumed(fake: FakeDeepgram) -> None:
    async def script(sock: FluxSocket) -> None:
        await sock.wait_audio(SECOND // 4)
        await sock.turn("StartOfTurn", "A table")
        await sock.turn("EagerEndOfTurn", "A table")
        await sock.turn("TurnResumed", "A table")
        await sock.turn("Update", "A table for four")
        await sock.turn("EagerEndOfTurn", "A table for four")
        await sock.turn("EndOfTurn", "A table for four")

    fake.flux(script)
    stt = flux(fake, eager_eot_threshold=0.4, eot_threshold=0.8, eot_timeout_ms=3000)
    stream = await stt.open_stream()
    await stream.push(speech(0.25))
    events = await until_turn_ended(stream)
    await stt.aclose()

    assert [type(e) for e in events] == [
        TurnStarted, TranscriptUpdate, EagerEndOfTurn, TurnResumed,
        TranscriptUpdate, EagerEndOfTurn, TurnEnded,
    ]  # fmt: skip
    assert isinstance(events[2], EagerEndOfTurn) and events[2].text == "A table"
    assert isinstance(events[-1], TurnEnded) and events[-1].text == "A table for four"
    query = fake.flux_sockets[0].handshake.query
    assert query["eager_eot_threshold"] == "0.4"
    assert query["eot_threshold"] == "0.8"
    assert query["eot_timeout_ms"] == "3000"


async def test_dropped_socket_reconnects_and_buffered_audio_is_transcribed(
    fake: FakeDeepgram,
) -> None:
    first, later = speech(0.5, level=100), speech(0.75, level=200)

    async def dropped(sock: FluxSocket) -> None:
        await sock.wait_audio(len(first))
        await sock.turn("StartOfTurn", "My name")
        await sock.turn("Update", "My name is")
        await sock.drop()

    async def resumed(sock: FluxSocket) -> None:
        await sock.wait_audio(len(later))
        await sock.turn("StartOfTurn", "Alice")
        await sock.turn("EndOfTurn", "Alice Smith")

    fake.flux(dropped, resumed)
    stt = flux(fake)
    stream = await stt.open_stream()
    await stream.push(first)
    # The drop ends the open turn with the words heard so far.
    before = await until_turn_ended(stream)
    assert isinstance(before[-1], TurnEnded) and before[-1].text == "My name is"

    fake.accept_gate = asyncio.Event()  # hold the reconnect: audio must wait in the buffer
    await stream.push(later[: len(later) // 2])
    await stream.push(later[len(later) // 2 :])
    fake.accept_gate.set()
    after = await until_turn_ended(stream)
    await stt.aclose()

    assert [type(e) for e in after] == [TurnStarted, TranscriptUpdate, TurnEnded]
    ended = after[-1]
    assert isinstance(ended, TurnEnded) and ended.text == "Alice Smith"
    # Times are on the caller's timeline, not the new socket's (which restarts at zero).
    assert ended.audio_ms == pytest.approx(1250.0)
    assert len(fake.flux_sockets) == 2
    assert bytes(fake.flux_sockets[0].audio) == first
    assert bytes(fake.flux_sockets[1].audio) == later
    assert stream.reconnects == 1
    assert stream.errors == 1 and "dropped" in (stream.last_error or "")


async def test_fatal_error_and_bad_messages_are_counted_not_fatal(
    fake: FakeDeepgram, caplog: pytest.LogCaptureFixture
) -> None:
    async def failing(sock: FluxSocket) -> None:
        await sock.wait_audio(2)
        await sock.ws.send("this is not json {")
        await sock.ws.send('{"type": "SomethingNew", "sequence_id": 3}')
        await sock.fatal("INTERNAL_SERVER_ERROR", "the model went away")

    async def healthy(sock: FluxSocket) -> None:
        await sock.wait_audio(2)
        await sock.turn("StartOfTurn", "Hello")
        await sock.turn("EndOfTurn", "Hello there")

    fake.flux(failing, healthy)
    stt = flux(fake)
    stream = await stt.open_stream()
    await stream.push(speech(0.1))
    # junk, an unknown type and the Error message (the close it brings is not another error)
    await eventually(lambda: stream.errors == 3 and stream.reconnects == 1)
    await stream.push(speech(0.1))  # reaches the second socket
    events = await until_turn_ended(stream)
    await stt.aclose()

    assert [type(e) for e in events] == [TurnStarted, TranscriptUpdate, TurnEnded]
    assert isinstance(events[-1], TurnEnded) and events[-1].text == "Hello there"
    assert stream.errors == 3 and stream.reconnects == 1
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Flux error INTERNAL_SERVER_ERROR: the model went away" in logged
    assert "unreadable Flux message" in logged
    assert "unrecognised Flux message" in logged


async def test_end_input_closes_the_stream_and_finishes_the_open_turn(
    fake: FakeDeepgram,
) -> None:
    async def script(sock: FluxSocket) -> None:
        await sock.wait_audio(SECOND // 10)
        await sock.turn("StartOfTurn", "Table for")
        await sock.turn("Update", "Table for two")
        await sock.wait_control("CloseStream")

    fake.flux(script)
    stt = flux(fake)
    stream = await stt.open_stream()
    await stream.push(speech(0.1))
    await stream.end_input()
    events = [event async for event in stream.events()]
    await stt.aclose()

    assert isinstance(events[-1], TurnEnded) and events[-1].text == "Table for two"
    assert {"type": "CloseStream"} in fake.flux_sockets[0].controls
    assert len(fake.flux_sockets) == 1


async def test_keepalive_silence_does_not_shift_caller_times(fake: FakeDeepgram) -> None:
    keepalive = 80 * 16 * 2  # one 80 ms chunk of silence

    async def script(sock: FluxSocket) -> None:
        await sock.wait_audio(keepalive)  # only silence so far: the caller pushed nothing
        await sock.wait_audio(len(sock.audio) + SECOND // 2)
        await sock.turn("StartOfTurn", "Hello")
        await sock.turn("EndOfTurn", "Hello")

    fake.flux(script)
    stt = flux(fake, keepalive_s=0.01)
    stream = await stt.open_stream()
    await eventually(lambda: len(fake.flux_sockets[0].audio) >= keepalive)
    assert not any(fake.flux_sockets[0].audio)
    await stream.push(speech(0.5))
    events = await until_turn_ended(stream)
    await stt.aclose()

    ended = events[-1]
    assert isinstance(ended, TurnEnded)
    # The socket heard >= 80 ms of silence first; the caller's own audio is 500 ms long.
    assert ended.audio_ms == pytest.approx(500.0)


async def test_bad_key_is_a_clear_error(fake: FakeDeepgram) -> None:
    stt = DeepgramFluxSTT("wrong-key", fake.url)
    with pytest.raises(VoiceProviderError, match="401"):
        await stt.open_stream()
    assert fake.rejected and fake.rejected[0].headers["Authorization"] == "Token wrong-key"


async def test_unreachable_server_is_a_clear_error() -> None:
    stt = DeepgramFluxSTT(API_KEY, "http://127.0.0.1:9")
    with pytest.raises(VoiceProviderError, match="cannot reach"):
        await stt.open_stream()


async def test_gives_up_after_repeated_failures(fake: FakeDeepgram) -> None:
    async def failing(sock: FluxSocket) -> None:
        await sock.fatal("BAD_REQUEST", "unsupported audio")

    fake.flux(failing, failing, failing)
    stt = flux(fake, max_reconnects=2)
    stream = await stt.open_stream()
    with pytest.raises(VoiceProviderError, match="gave up after 2 reconnects"):
        async for _ in stream.events():
            pass
    assert len(fake.flux_sockets) == 3
    await stt.aclose()


def test_thresholds_are_checked() -> None:
    with pytest.raises(ConfigError, match="eager_eot_threshold"):
        DeepgramFluxSTT(API_KEY, "http://127.0.0.1:1", eager_eot_threshold=0.95)
    with pytest.raises(ConfigError, match="must not exceed"):
        DeepgramFluxSTT(API_KEY, "http://127.0.0.1:1", eager_eot_threshold=0.8, eot_threshold=0.6)
    with pytest.raises(ConfigError, match="RESVOICE_DEEPGRAM_URL"):
        DeepgramFluxSTT(API_KEY, "ftp://example")


async def test_settings_point_listen_and_speak_at_resvoice_deepgram_url(
    fake: FakeDeepgram, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEEPGRAM_API_KEY", API_KEY)
    monkeypatch.setenv("RESVOICE_DEEPGRAM_URL", fake.url + "/")
    monkeypatch.setenv("RESVOICE_DEEPGRAM_EAGER_EOT", "0.5")
    configured = Settings()

    async def script(sock: FluxSocket) -> None:
        await sock.wait_audio(2)
        await sock.turn("StartOfTurn", "Hi")
        await sock.turn("EndOfTurn", "Hi")

    fake.flux(script)
    stt = stt_from_settings(configured, "deepgram")
    stream = await stt.open_stream()
    await stream.push(speech(0.1))
    assert isinstance((await until_turn_ended(stream))[-1], TurnEnded)
    await stt.aclose()
    tts = tts_from_settings(configured, "deepgram", sample_rate=16_000)
    assert [chunk async for chunk in tts.synthesize("Hi.")]
    await tts.aclose()
    assert [h.path for h in (fake.flux_sockets[0].handshake, fake.speak_handshakes[0])] == [
        "/v2/listen",
        "/v1/speak",
    ]
    assert fake.flux_sockets[0].handshake.query["eager_eot_threshold"] == "0.5"


def test_voice_package_imports_without_the_deepgram_sdk() -> None:
    code = (
        "import sys; sys.modules['deepgram'] = None; "
        "import resvoice.voice, resvoice.voice.stt.deepgram, resvoice.voice.tts.deepgram; "
        "from resvoice.errors import ConfigError\n"
        "try:\n"
        "    resvoice.voice.stt.deepgram.DeepgramFluxSTT('key')\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "pip install 'resvoice[deepgram]'" in result.stdout


async def test_aclose_stops_at_once_and_releases_the_socket(fake: FakeDeepgram) -> None:
    async def script(sock: FluxSocket) -> None:
        await sock.wait_audio(2)
        await sock.turn("StartOfTurn", "Wait")

    fake.flux(script)
    stt = flux(fake)
    stream = await stt.open_stream()
    await stream.push(speech(0.1))
    events = stream.events()
    assert isinstance(await anext(events), TurnStarted)
    await stt.aclose()
    assert [event async for event in events] == []  # ends, no error, no invented TurnEnded
    await eventually(lambda: fake.flux_sockets[0].closed)
    assert stt.errors == 0
