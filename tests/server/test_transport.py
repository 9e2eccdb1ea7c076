"""TwilioOutput on its own: 16 kHz PCM in, 20 ms mu-law frames out, marks in order, clear."""

from __future__ import annotations

import asyncio
import base64
import json
import math

import numpy as np

from resvoice.server.pacing import PacingClock
from resvoice.server.transport import FRAME_BYTES, TwilioOutput

SID = "MZ" + "0" * 32


def tone(ms: int) -> bytes:
    t = np.arange(16 * ms) / 16000
    return (8000 * np.sin(2 * math.pi * 440 * t)).astype("<i2").tobytes()


class Wire:
    def __init__(self) -> None:
        self.sent: list[dict[str, object]] = []
        self.changed = asyncio.Event()

    async def send(self, text: str) -> None:
        self.sent.append(json.loads(text))
        self.changed.set()

    async def until(self, predicate: object) -> None:
        async with asyncio.timeout(10):
            while not predicate(self.sent):  # type: ignore[operator]
                self.changed.clear()
                await self.changed.wait()

    def kinds(self) -> list[str]:
        """The events sent, a `media` message counted once per 20 ms frame it carries."""
        return [kind for m in self.sent for kind in [str(m["event"])] * _frames_in(m)]

    def media_frames(self, since: int = 0) -> int:
        return sum(_frames_in(m) for m in self.sent[since:] if m["event"] == "media")


def _frames_in(message: dict[str, object]) -> int:
    if message["event"] != "media":
        return 1
    payload = base64.b64decode(message["media"]["payload"])  # type: ignore[index]
    assert payload and len(payload) % FRAME_BYTES == 0  # whole frames only
    return len(payload) // FRAME_BYTES


async def test_audio_goes_out_as_whole_20ms_frames_with_the_mark_after() -> None:
    wire = Wire()
    output = TwilioOutput(wire.send, SID)
    runner = asyncio.create_task(output.run())
    await output.write(tone(150))  # 7.5 frames: the half frame is flushed by the mark
    await output.mark("s1")
    await wire.until(lambda sent: any(m["event"] == "mark" for m in sent))
    output.close()
    await runner
    assert wire.kinds() == ["media"] * 8 + ["mark"]
    for message in wire.sent[:-1]:
        assert message["streamSid"] == SID
    # frames released together share a message: fewer sends than frames
    assert len([m for m in wire.sent if m["event"] == "media"]) <= 2
    assert wire.sent[-1]["mark"] == {"name": "s1"}
    assert output.played("s1") is True


async def test_clear_drops_queued_audio_and_ignores_the_dropped_marks_echo() -> None:
    wire = Wire()
    output = TwilioOutput(wire.send, SID)
    runner = asyncio.create_task(output.run())
    await output.write(tone(40))
    await output.mark("short")
    await output.write(tone(3000))  # three seconds: cannot all be sent yet
    await output.mark("long")
    await wire.until(lambda sent: len(sent) >= 6)
    await output.clear()
    sent_before_clear = wire.media_frames()
    assert wire.sent[-1] == {"event": "clear", "streamSid": SID}
    assert output.pending_ms == 0
    await output.write(tone(40))
    await output.mark("after")
    await wire.until(lambda sent: sent[-1].get("event") == "mark")
    output.close()
    await runner
    cleared_at = [m["event"] for m in wire.sent].index("clear")
    assert wire.media_frames(since=cleared_at) == 2  # only the new audio; the 3 s were dropped
    assert sent_before_clear < 3000 // 20
    # Twilio echoes the cleared marks too: "short" was sent before the clear but not played
    assert output.played("short") is False
    assert output.played("after") is True
    assert "long" not in [m.get("mark", {}).get("name") for m in wire.sent]  # type: ignore[union-attr]


async def test_one_pacing_clock_paces_every_call_and_stops_when_nobody_speaks() -> None:
    clock = PacingClock(tick_s=0.02)
    wires = [Wire(), Wire()]
    outputs = [TwilioOutput(w.send, SID, lead_ms=100, clock=clock) for w in wires]
    runners = [asyncio.create_task(o.run()) for o in outputs]
    for output in outputs:
        await output.write(tone(1000))  # 50 frames each, far more than the 100 ms lead
        await output.mark("end")
    assert clock.waiting == 2  # both wait for the shared clock, neither has a timer of its own
    for wire in wires:
        await wire.until(lambda sent: sent and sent[-1].get("event") == "mark")
        assert wire.kinds() == ["media"] * 50 + ["mark"]
    assert clock.waiting == 0 and clock.ticks > 0
    for output, runner in zip(outputs, runners, strict=True):
        output.close()
        await runner


async def test_a_sentence_written_in_many_chunks_goes_out_whole_and_in_order() -> None:
    """Chunks written together are converted together as the lead needs them: every sample
    still goes out once, in order, as what converting the sentence in one piece gives."""
    clock = PacingClock(tick_s=0.02)
    wire, whole_wire = Wire(), Wire()
    chunked = TwilioOutput(wire.send, SID, lead_ms=100, clock=clock)
    whole = TwilioOutput(whole_wire.send, SID, lead_ms=10_000, clock=clock)
    runners = [asyncio.create_task(o.run()) for o in (chunked, whole)]
    sentence = tone(1210)
    for start in range(0, len(sentence), 640):  # 20 ms chunks, as a streaming synthesiser
        await chunked.write(sentence[start : start + 640])
    assert chunked.pending_ms > 1000  # held as written, well past the 100 ms lead
    await chunked.mark("end")
    await whole.write(sentence)
    await whole.mark("end")
    for w in (wire, whole_wire):
        await w.until(lambda sent: sent and sent[-1].get("event") == "mark")
    for output, runner in zip((chunked, whole), runners, strict=True):
        output.close()
        await runner
    assert wire.kinds() == whole_wire.kinds() == ["media"] * 61 + ["mark"]

    def audio(w: Wire) -> np.ndarray:
        payloads = [m["media"]["payload"] for m in w.sent if m["event"] == "media"]  # type: ignore[index]
        return np.frombuffer(b"".join(base64.b64decode(p) for p in payloads), np.uint8)

    # one filter either way: the codes agree but for soxr's dither (a step here and there)
    assert np.mean(audio(wire) == audio(whole_wire)) > 0.95
