"""The caller's audio on its way to recognition: frames are decoded two at a time, and whatever
ends the stream, the frame still held is heard, every sample in the order it was sent."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from resvoice.audio.telephone import PhoneDecoder
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from tests.fakes.oracle_stt import OracleStream, OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import FRAME_BYTES, TwilioPeer
from tests.server.conftest import AUTH_TOKEN
from tests.server.harness import Console, ToneTTS, voice_factory


class HearingSTT(OracleSTT):
    """The oracle recogniser, keeping every byte of audio it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.heard = bytearray()

    async def open_stream(self) -> OracleStream:
        stream = await super().open_stream()
        push = stream.push

        async def hear(pcm: bytes) -> None:
            self.heard += pcm
            await push(pcm)

        stream.push = hear  # type: ignore[method-assign]
        return stream


def _frames(count: int) -> list[bytes]:
    rng = random.Random(5)
    return [bytes(rng.randrange(256) for _ in range(FRAME_BYTES)) for _ in range(count)]


async def _call(make_ctx: Callable[..., ServerContext], sid: str, *, hang_up: bool) -> bytes:
    stt = HearingSTT()
    ctx = make_ctx(voice_factory=voice_factory(stt, ToneTTS()))
    console = Console(ctx.hub)
    frames = _frames(8)  # five after the dtmf: the last frame is held when the stream ends
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)
        await peer.media(frames[:3])
        await peer.dtmf("5")  # an event between frames: the held frame goes first
        await peer.media(frames[3:])
        if hang_up:
            await peer.hang_up()  # Twilio's stop
        else:
            await peer.close()  # the socket drops, no stop
        await console.until(lambda c: sid in c.ended)
    await console.close()
    heard = bytes(stt.heard)
    expected = PhoneDecoder(8000, 16000).process(b"".join(frames))
    assert len(heard) == len(expected)
    diff = np.frombuffer(heard, "<i2").astype(np.int32) - np.frombuffer(expected, "<i2")
    assert np.abs(diff).max() <= 2  # the same samples in the same order, to soxr's dither
    return heard


async def test_the_last_frame_is_heard_when_the_caller_hangs_up(
    make_ctx: Callable[..., ServerContext],
) -> None:
    await _call(make_ctx, "CA" + "d1" * 16, hang_up=True)


async def test_the_last_frame_is_heard_when_the_socket_drops(
    make_ctx: Callable[..., ServerContext],
) -> None:
    await _call(make_ctx, "CA" + "d2" * 16, hang_up=False)
