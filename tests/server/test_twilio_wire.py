"""The Twilio Media Streams serializer: real frame shapes in and out, and robustness."""

from __future__ import annotations

import base64
import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resvoice.server import twilio_wire as wire

SID = "MZ" + "a" * 32
CALL = "CA" + "b" * 32


def test_documented_inbound_frames_parse() -> None:
    start = wire.parse(
        json.dumps(
            {
                "event": "start",
                "sequenceNumber": "1",
                "start": {
                    "accountSid": "AC1",
                    "streamSid": SID,
                    "callSid": CALL,
                    "tracks": ["inbound"],
                    "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
                    "customParameters": {"token": "t0k", "from": "+14155550123"},
                },
                "streamSid": SID,
            }
        )
    )
    assert start == wire.Start(SID, CALL, "AC1", {"token": "t0k", "from": "+14155550123"})
    media = wire.parse(
        json.dumps(
            {
                "event": "media",
                "sequenceNumber": "3",
                "media": {"track": "inbound", "chunk": "1", "timestamp": "5", "payload": "/38A"},
                "streamSid": SID,
            }
        )
    )
    assert media == wire.Media(b"\xff\x7f\x00", "inbound", 1, 5)
    assert wire.parse('{"event":"mark","streamSid":"MZ","mark":{"name":"u3"}}') == wire.Mark("u3")
    dtmf = '{"event":"dtmf","streamSid":"MZ","dtmf":{"track":"inbound_track","digit":"0"}}'
    assert wire.parse(dtmf) == wire.Dtmf("0")
    stop = {"event": "stop", "streamSid": SID, "stop": {"accountSid": "AC1", "callSid": CALL}}
    assert wire.parse(json.dumps(stop)) == wire.Stop(CALL)
    connected = '{"event":"connected","protocol":"Call","version":"1.0.0"}'
    assert wire.parse(connected) == wire.Connected("Call")


def test_outbound_frames_have_twilios_shapes() -> None:
    assert json.loads(wire.media_frame(SID, b"\xff\x00")) == {
        "event": "media",
        "streamSid": SID,
        "media": {"payload": base64.b64encode(b"\xff\x00").decode()},
    }
    assert json.loads(wire.mark_frame(SID, "u1")) == {
        "event": "mark",
        "streamSid": SID,
        "mark": {"name": "u1"},
    }
    assert json.loads(wire.clear_frame(SID)) == {"event": "clear", "streamSid": SID}


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        ("{not json", "json"),
        (b"\xff\xfe", "json"),
        ('["event","media"]', "shape"),
        ('{"event":"media","media":{"payload":"%%%"}}', "base64"),
        ('{"event":"media","media":{}}', "shape"),
        ('{"event":"media"}', "shape"),
        ('{"event":"bogus"}', "unknown_event"),
        ('{"event":"media","media":{"payload":"AA==","chunk":"x"}}', "shape"),
        ('{"event":"start","start":{"callSid":"CA","customParameters":[1]}}', "shape"),
        ("x" * (10 * 1024 * 1024), "too_large"),
    ],
)
def test_malformed_frames_raise_one_wire_error(frame: str | bytes, kind: str) -> None:
    with pytest.raises(wire.WireError) as caught:
        wire.parse(frame)
    assert caught.value.kind == kind


@given(st.text(max_size=300) | st.binary(max_size=300))
def test_anything_parses_or_raises_wire_error(frame: str | bytes) -> None:
    with contextlib.suppress(wire.WireError):
        wire.parse(frame)


@given(
    st.dictionaries(
        st.sampled_from(["event", "media", "mark", "dtmf", "start", "stop", "streamSid"]),
        st.none()
        | st.integers()
        | st.text(max_size=5)
        | st.dictionaries(st.text(max_size=8), st.text(max_size=8) | st.integers(), max_size=4),
    )
)
def test_json_objects_of_any_shape_parse_or_raise_wire_error(message: dict[str, object]) -> None:
    with contextlib.suppress(wire.WireError):
        wire.parse(json.dumps(message))
