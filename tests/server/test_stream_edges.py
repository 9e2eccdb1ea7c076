"""The media-stream edge against hostile peers: frames that parse but do not fit, streams that
never start, junk floods, and a second stream on one call."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

import pytest
import websockets

from resvoice.server import twilio_wire as wire
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import TwilioPeer
from tests.server.conftest import AUTH_TOKEN
from tests.server.harness import Console, ToneTTS, speech, voice_factory
from tests.server.test_stream import agent_lines

HOSTILE = [
    '{"event":"media","media":{"payload":"AAAA","timestamp":Infinity}}',
    '{"event":"media","media":{"payload":"AAAA","timestamp":NaN}}',
    '{"event":"media","media":{"payload":"AAAA","timestamp":1e400}}',
    '{"event":"media","media":{"payload":"AAAA","chunk":' + "9" * 5000 + "}}",
    '{"event":"media","media":{"payload":"AAAA","chunk":"' + "9" * 5000 + '"}}',
    '{"event":"media","media":' + "[" * 60_000 + "]" * 60_000 + "}",
    "[" * 60_000,
]


@pytest.mark.parametrize("frame", HOSTILE, ids=lambda f: f[:40])
def test_frames_that_parse_but_do_not_fit_are_wire_errors(frame: str) -> None:
    with pytest.raises(wire.WireError):
        wire.parse(frame)


async def test_a_hostile_frame_is_skipped_and_the_call_goes_on(
    make_ctx: Callable[..., ServerContext], caplog: pytest.LogCaptureFixture
) -> None:
    stt = OracleSTT(["Hi, I'd like to book a table"])
    ctx = make_ctx(voice_factory=voice_factory(stt, ToneTTS()))
    console = Console(ctx.hub)
    sid = "CA" + "c1" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)
        for frame in HOSTILE:
            await peer.send_raw(frame)
        await peer.say(await speech("Hi, I'd like to book a table"))
        view = await console.replied(sid, 2)
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    assert len(agent_lines(view)) == 2 and console.ended[sid] == "caller_hangup"
    assert 'resvoice_bad_frames_total{kind="json"} 5.0' in ctx.metrics.render().decode()
    assert not [r for r in caplog.records if r.exc_info]  # no traceback


async def test_junk_before_start_is_counted_warned_a_few_times_and_never_a_traceback(
    make_ctx: Callable[..., ServerContext], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(), ToneTTS()), start_timeout_s=60)
    async with (
        serving(create_app(ctx)) as base,
        websockets.connect(base.replace("http", "ws") + "/twilio/stream") as ws,
    ):
        for _ in range(300):
            await ws.send(HOSTILE[0])
        await ws.send(HOSTILE[-1])
        await ws.send('{"event":"mark","mark":{"name":"x"}}')
        await ws.send("[" * 60_000)
    metrics = ctx.metrics.render().decode()
    assert 'resvoice_bad_frames_total{kind="json"} 302.0' in metrics
    warned = [r for r in caplog.records if r.name == "resvoice.server.stream"]
    assert 3 <= len(warned) <= 12
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_stream_that_never_starts_is_closed(
    make_ctx: Callable[..., ServerContext],
) -> None:
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(), ToneTTS()), start_timeout_s=0.3)
    async with (
        serving(create_app(ctx)) as base,
        websockets.connect(base.replace("http", "ws") + "/twilio/stream") as ws,
    ):
        await ws.send(json.dumps({"event": "connected", "protocol": "Call"}))
        await asyncio.wait_for(ws.wait_closed(), 10)
        assert ws.close_code == 1008


async def test_one_live_stream_per_call(
    make_ctx: Callable[..., ServerContext],
) -> None:
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(["I'd like a table"]), ToneTTS()))
    console = Console(ctx.hub)
    sid = "CA" + "c2" * 16
    async with serving(create_app(ctx)) as base:
        first = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)
        second = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)  # replayed
        await second.closed.wait()
        assert second.ws.close_code == 1008
        assert len(ctx.calls.calls) == 1
        await first.say(await speech("I'd like a table"))  # the first call is untouched
        await console.replied(sid, 2)
        await first.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
