"""Whole phone calls through a real server: a simulated Twilio drives the media websocket with
real protocol frames (caller speech as 20 ms mu-law frames) and plays the agent's audio back."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from resvoice.server.transfer import twilio_client
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import TwilioPeer
from tests.fakes.twilio_rest import FakeTwilioRest
from tests.server.conftest import ACCOUNT_SID, AGENT_NUMBER, AUTH_TOKEN, sign
from tests.server.harness import Console, ToneTTS, speech, voice_factory

BOOKING = [
    "Hi, I'd like to book a table",
    "John Smith, party of four, Saturday at seven pm",
    "It's 555 123 4567",
    "Yes, please book it",
]


def agent_lines(view: dict[str, object]) -> list[str]:
    transcript = view["transcript"]
    assert isinstance(transcript, list)
    return [line["text"] for line in transcript if line["role"] == "agent"]


async def test_a_whole_booking_by_voice(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    stt, tts = OracleSTT(BOOKING), ToneTTS()
    ctx = make_ctx(voice_factory=voice_factory(stt, tts))
    console = Console(ctx.hub)
    sid = "CA" + "b0" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        view = await console.replied(sid, 1)  # the greeting, played to its last mark
        assert agent_lines(view)[0].startswith(tts.spoken[0].split()[0])
        for turn, line in enumerate(BOOKING, start=2):
            await peer.say(await speech(line))
            view = await console.replied(sid, turn)
        assert "all set" in agent_lines(view)[-1].lower()
        assert view["notepad"]["name"] == "John Smith"
        assert view["missing"] == []
        assert peer.played.frames > 0 and len(peer.played.marks) >= len(BOOKING) + 1
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    assert console.ended[sid] == "caller_hangup"
    record = await runtime.storage.load_session(sid)
    assert record is not None
    assert record.metadata.ended is True and record.metadata.reservation_id is not None
    assert record.metadata.caller_id == "+14155550123"
    assert [line.text for line in record.transcript if line.role == "caller"] == BOOKING
    assert record.notepad["phone"] == "+15551234567"
    assert len(record.metadata.voice_turns) == len(BOOKING)
    metrics = ctx.metrics.render().decode()
    assert "resvoice_active_calls 0.0" in metrics
    assert 'resvoice_calls_total{reason="caller_hangup"} 1.0' in metrics
    assert "resvoice_turn_latency_seconds_count 4.0" in metrics


async def test_barge_in_clears_twilio_and_stops_playback(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    stt = OracleSTT(["I'd like to book a table for two"])
    tts = ToneTTS(ms=4000)  # long sentences: the caller talks over the greeting
    ctx = make_ctx(voice_factory=voice_factory(stt, tts))
    console = Console(ctx.hub)
    sid = "CA" + "b1" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await peer.until(lambda played: played.frames >= 25)  # half a second of greeting heard
        assert peer.played.clears == 0
        await peer.say(await speech("I'd like to book a table for two"), realtime=True)
        await peer.until(lambda played: played.clears == 1)
        view = await console.answered(sid, 1)
        # after the clear, not one frame of the interrupted greeting was sent again
        log = peer.played.log
        cleared_at = log.index(("clear", None))
        interrupted = {tts.sentence_of(p) for kind, p in log[:cleared_at] if kind == "media"}
        after = [tts.sentence_of(p) for kind, p in log[cleared_at:] if kind == "media"]
        assert interrupted == {1}
        assert after and 1 not in after
        # the greeting's mark was dropped by the clear, never reported as heard
        assert not any(name.startswith("e1-") for name in peer.played.marks)
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    record = await runtime.storage.load_session(sid)
    assert record is not None
    # no sentence of the greeting was played to its end: the history holds none of it
    assert [line.role for line in record.transcript][:2] == ["caller", "agent"]
    assert record.transcript[0].text == "I'd like to book a table for two"
    assert len(agent_lines(view)) == 1


async def test_dtmf_zero_transfers_with_the_dial_twiml(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    fake = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN)
    sid = "CA" + "b2" * 16
    async with serving(fake.app()) as api:
        client = twilio_client(ACCOUNT_SID, AUTH_TOKEN, api)
        ctx = make_ctx(voice_factory=voice_factory(OracleSTT(), ToneTTS()), twilio=client)
        console = Console(ctx.hub)
        async with serving(create_app(ctx)) as base:
            peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
            await console.replied(sid, 1)
            await peer.dtmf("0")
            await console.until(
                lambda c: any(e["status"] == "transferred" for e in c.escalations.values())
            )
            # the server hangs up its side once Twilio runs the new TwiML
            await console.until(lambda c: sid in c.ended)
            await peer.closed.wait()
            hold = agent_lines(console.calls[sid])[-1]
        await client.http_client.close()
    await console.close()
    [escalation] = await runtime.storage.escalations(sid)
    assert (escalation.reason, escalation.status) == ("user_requested", "transferred")
    assert "transferring you" in hold
    [update] = fake.updates  # one REST update
    assert update.call_sid == sid
    assert update.params["Twiml"] == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Connecting you now.</Say>'
        f'<Dial action="{base}/twilio/dial?escalation={escalation.id}" callerId="+15550002222"'
        f' method="POST" timeout="20"><Number>{AGENT_NUMBER}</Number></Dial></Response>'
    )
    # the hold line was played in full before the redirect: its marks all came back
    assert peer.played.clears == 0 and peer.played.marks
    assert console.ended[sid] == "transferred"
    metrics = ctx.metrics.render().decode()
    assert 'resvoice_escalations_total{reason="user_requested"} 1.0' in metrics
    assert 'resvoice_transfers_total{outcome="dialing"} 1.0' in metrics


async def test_caller_hanging_up_mid_sentence_loses_nothing(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    lines = ["Hi, I'd like to book a table", "John Smith, party of four, Saturday at seven pm"]
    stt, tts = OracleSTT(lines), ToneTTS(ms=3000)
    ctx = make_ctx(voice_factory=voice_factory(stt, tts))
    console = Console(ctx.hub)
    sid = "CA" + "b3" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)
        await peer.say(await speech(lines[0]))
        await console.replied(sid, 2)
        await peer.say(await speech(lines[1]))
        await console.until(lambda c: c.calls[sid]["state"] == "speaking")
        frames = peer.played.frames
        await peer.until(lambda played: played.frames > frames + 10)  # mid-sentence
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    record = await runtime.storage.load_session(sid)
    assert record is not None
    assert record.metadata.ended is True
    assert record.metadata.ended_reason == "caller_hangup"
    assert [line.text for line in record.transcript if line.role == "caller"] == lines
    assert record.notepad["name"] == "John Smith"
    assert record.notepad["party_size"] == 4
    assert record.notepad["time"] == "19:00"


async def test_malformed_frames_are_logged_and_survived(
    make_ctx: Callable[..., ServerContext], caplog: pytest.LogCaptureFixture
) -> None:
    stt = OracleSTT(["Hi, I'd like to book a table"])
    ctx = make_ctx(voice_factory=voice_factory(stt, ToneTTS()))
    console = Console(ctx.hub)
    sid = "CA" + "b4" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)
        await peer.send_raw("{this is not json")
        await peer.send_raw(json.dumps({"event": "media", "media": {"payload": "@@not base64"}}))
        await peer.send_raw(json.dumps({"event": "telepathy", "streamSid": peer.stream_sid}))
        await peer.send_raw(json.dumps({"event": "media", "media": {"payload": "A" * 10_000_000}}))
        await peer.send_raw(b"\x00\x01binary")
        await peer.say(await speech("Hi, I'd like to book a table"))
        view = await console.replied(sid, 2)  # the call carried on and answered
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    assert len(agent_lines(view)) == 2
    metrics = ctx.metrics.render().decode()
    for kind, count in [("json", 2), ("base64", 1), ("unknown_event", 1), ("too_large", 1)]:
        assert f'resvoice_bad_frames_total{{kind="{kind}"}} {count}.0' in metrics
    skipped = [r for r in caplog.records if r.getMessage() == "bad media-stream frame skipped"]
    assert len(skipped) == 5


async def test_streams_without_a_webhook_token_are_refused(
    make_ctx: Callable[..., ServerContext],
) -> None:
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(), ToneTTS()))
    async with serving(create_app(ctx)) as base:
        url = base.replace("http", "ws") + "/twilio/stream"
        forged = await TwilioPeer.open(url, call_sid="CA" + "f" * 32, parameters={"token": "x"})
        await forged.closed.wait()
        assert forged.ws.close_code == 1008
        # a real token works once; replaying it is refused
        peer = await TwilioPeer.call(base, call_sid="CA" + "e" * 32, auth_token=AUTH_TOKEN)
        await peer.until(lambda played: played.frames > 0)
        await peer.close()
    assert ctx.metrics.rejected_streams._value.get() == 1


async def test_status_callback_ends_the_call(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(), ToneTTS()))
    console = Console(ctx.hub)
    sid = "CA" + "b5" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)
        params = {"CallSid": sid, "CallStatus": "completed", "AccountSid": ACCOUNT_SID}
        async with httpx.AsyncClient(base_url=base) as client:
            response = await client.post(
                "/twilio/status",
                data=params,
                headers={"X-Twilio-Signature": sign(f"{base}/twilio/status", params)},
            )
        assert response.status_code == 204
        await console.until(lambda c: sid in c.ended)
        await peer.closed.wait()
    await console.close()
    assert console.ended[sid] == "status_completed"
    record = await runtime.storage.load_session(sid)
    assert record is not None and record.metadata.ended_reason == "status_completed"


class _BrokenTTS(ToneTTS):
    """Fails on the greeting's first sentence, speaks the rest."""

    def synthesize(self, text: str):  # type: ignore[no-untyped-def]
        if not self.spoken:
            self.spoken.append(text)
            raise RuntimeError("synthesiser down")
        return super().synthesize(text)


async def test_provider_errors_are_counted_and_the_call_goes_on(
    make_ctx: Callable[..., ServerContext],
) -> None:
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(), _BrokenTTS()))
    console = Console(ctx.hub)
    sid = "CA" + "b6" * 16
    async with serving(create_app(ctx)) as base:
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.until(lambda c: c.calls.get(sid, {}).get("state") == "listening")
        assert peer.played.frames > 0  # the greeting's other sentence was heard
        live = ctx.metrics.render().decode()  # counted while the call is still on
        assert 'resvoice_provider_errors_total{provider="tts"} 1.0' in live
        await peer.hang_up()
        await console.until(lambda c: sid in c.ended)
    await console.close()
    metrics = ctx.metrics.render().decode()
    assert 'resvoice_provider_errors_total{provider="tts"} 1.0' in metrics  # not twice
