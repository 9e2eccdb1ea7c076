"""Deepgram Aura TTS through the real deepgram-sdk against the local fake Deepgram server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest

pytest.importorskip("deepgram")

from resvoice.errors import ConfigError, VoiceProviderError
from resvoice.voice.tts.base import AudioChunk
from resvoice.voice.tts.deepgram import DeepgramAuraTTS, mulaw_to_pcm16
from tests.fakes.deepgram_server import API_KEY, FakeDeepgram, fake_speech

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
async def fake() -> AsyncIterator[FakeDeepgram]:
    async with FakeDeepgram() as server:
        yield server


async def eventually(condition: Callable[[], bool]) -> None:
    for _ in range(5000):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("condition never held")


async def spoken(tts: DeepgramAuraTTS, text: str) -> list[AudioChunk]:
    return [chunk async for chunk in tts.synthesize(text)]


async def test_a_sentence_comes_back_as_audio(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url)
    text = "Your table for two is booked for seven thirty."
    chunks = await spoken(tts, text)
    await tts.aclose()

    assert len(chunks) >= 2  # streamed, not one blob
    assert all(chunk.sample_rate == 24000 for chunk in chunks)
    assert b"".join(chunk.pcm for chunk in chunks) == fake_speech(text, 24000)
    handshake = fake.speak_handshakes[0]
    assert handshake.headers["Authorization"] == f"Token {API_KEY}"
    assert handshake.query == {
        "model": "aura-2-thalia-en",
        "encoding": "linear16",
        "sample_rate": "24000",
    }
    assert fake.speak_messages[:2] == [{"type": "Speak", "text": text}, {"type": "Flush"}]


async def test_sentences_reuse_a_warm_socket(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url, model="aura-2-orion-en", sample_rate=16000)
    first = await spoken(tts, "Hello.")
    second = await spoken(tts, "How can I help?")
    await tts.aclose()

    assert b"".join(c.pcm for c in first) == fake_speech("Hello.", 16000)
    assert b"".join(c.pcm for c in second) == fake_speech("How can I help?", 16000)
    assert len(fake.speak_handshakes) == 1
    assert fake.speak_handshakes[0].query["model"] == "aura-2-orion-en"
    assert fake.speak_messages[-1] == {"type": "Close"}


async def test_mulaw_for_twilio_is_decoded_to_pcm16_at_8k(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url, sample_rate=8000, encoding="mulaw")
    chunks = await spoken(tts, "Thanks for calling.")
    await tts.aclose()

    assert fake.speak_handshakes[0].query["encoding"] == "mulaw"
    assert fake.speak_handshakes[0].query["sample_rate"] == "8000"
    pcm = b"".join(c.pcm for c in chunks)
    reference = fake_speech("Thanks for calling.", 8000)
    assert len(pcm) == len(reference)
    ours = memoryview(pcm).cast("h")
    theirs = memoryview(reference).cast("h")
    # mu-law keeps each sample within its quantisation step (< 3% of full scale here)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 300
    assert chunks[0].sample_rate == 8000


def test_mulaw_decoder_known_values() -> None:
    assert mulaw_to_pcm16(bytes([0xFF, 0x7F, 0x80, 0x00])) == b"".join(
        v.to_bytes(2, "little", signed=True) for v in (0, 0, 32124, -32124)
    )


async def test_barge_in_clears_the_socket_and_no_stale_audio_follows(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url)
    fake.speak_gate = asyncio.Event()  # the server stalls after the first frame
    long = "This is a long sentence that the caller will interrupt."
    async with contextlib.aclosing(tts.synthesize(long)) as stream:
        async for chunk in stream:
            assert chunk.pcm
            break  # barge-in: the reply is cancelled after its first chunk
    fake.speak_gate.set()
    await eventually(lambda: {"type": "Clear"} in fake.speak_messages)
    fake.speak_gate = None

    after = await spoken(tts, "Yes?")
    await tts.aclose()
    assert b"".join(c.pcm for c in after) == fake_speech("Yes?", 24000)


async def test_warnings_are_counted_and_speech_goes_on(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url)
    fake.speak_warning = {"code": "FLUSH_LIMIT", "description": "too many flushes"}
    chunks = await spoken(tts, "Sure.")
    await tts.aclose()

    assert b"".join(c.pcm for c in chunks) == fake_speech("Sure.", 24000)
    assert tts.errors == 1 and tts.last_error == "FLUSH_LIMIT: too many flushes"


async def test_a_closed_idle_socket_is_replaced(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url)
    await spoken(tts, "One.")
    await fake.close_speak_sockets()  # Deepgram drops the idle socket
    chunks = await spoken(tts, "Two.")
    await tts.aclose()

    assert b"".join(c.pcm for c in chunks) == fake_speech("Two.", 24000)
    assert len(fake.speak_handshakes) == 2


async def test_bad_key_is_a_clear_error(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS("nope", fake.url)
    with pytest.raises(VoiceProviderError, match=r"401.*DEEPGRAM_API_KEY"):
        await spoken(tts, "Hello.")
    assert tts.errors == 1


async def test_empty_text_makes_no_request(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url)
    assert await spoken(tts, "   ") == []
    assert fake.speak_handshakes == []


def test_unsupported_rate_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="mulaw"):
        DeepgramAuraTTS(API_KEY, "http://127.0.0.1:1", sample_rate=24000, encoding="mulaw")


async def test_concurrent_calls_get_their_own_sockets(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url)
    texts = ["Good evening.", "We open at five.", "Bye now."]
    results = await asyncio.gather(*(spoken(tts, text) for text in texts))
    again = await spoken(tts, "One more.")
    await tts.aclose()

    for text, chunks in zip(texts, results, strict=True):
        assert b"".join(c.pcm for c in chunks) == fake_speech(text, 24000)
    assert b"".join(c.pcm for c in again) == fake_speech("One more.", 24000)
    assert len(fake.speak_handshakes) == 3  # the fourth sentence reused a pooled socket


async def test_a_stalled_sentence_fails_clearly_instead_of_hanging(fake: FakeDeepgram) -> None:
    tts = DeepgramAuraTTS(API_KEY, fake.url, response_timeout_s=0.05)
    fake.speak_gate = asyncio.Event()  # never set: the server stalls after the first frame
    chunks: list[AudioChunk] = []
    with pytest.raises(VoiceProviderError, match=r"mid-sentence.*no answer"):
        async for chunk in tts.synthesize("Hello there."):
            chunks.append(chunk)
    assert len(chunks) == 1
    assert tts.errors == 1
    fake.speak_gate.set()
    await tts.aclose()
