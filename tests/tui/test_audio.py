"""The talk app's audio edge: the pulled `PlaybackQueue` and sounddevice device selection."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from resvoice.tui import audio
from resvoice.tui.audio import AudioUnavailable, PlaybackQueue, open_devices

RATE = 16_000


def pcm(value: int, ms: int) -> bytes:
    return value.to_bytes(2, "little", signed=True) * (RATE * ms // 1000)


class Recorded(PlaybackQueue):
    """A speaker that keeps the marks it reported."""

    def __init__(self) -> None:
        super().__init__(RATE)
        self.heard: list[str] = []
        self.on_mark = self.heard.append


async def delivered(speaker: Recorded) -> list[str]:
    await asyncio.sleep(0)  # marks arrive through call_soon_threadsafe
    return list(speaker.heard)


@pytest.fixture
def speaker() -> Recorded:
    return Recorded()


async def test_plays_in_order_and_reports_marks_once_their_audio_is_out(speaker: Recorded) -> None:
    await speaker.write(pcm(1, 20))
    await speaker.mark("one")
    await speaker.write(pcm(2, 20))
    await speaker.mark("two")
    assert speaker.queued_ms == 40
    first = speaker.play(320)  # half of the first sentence
    assert first == pcm(1, 10) and await delivered(speaker) == []
    assert speaker.play(320) == pcm(1, 10) and await delivered(speaker) == ["one"]
    rest = speaker.play(1000)  # more than is queued: padded with silence
    assert rest == pcm(2, 20) + bytes(1000 - 640) and await delivered(speaker) == ["one", "two"]
    assert speaker.marks_played == 2 and speaker.queued_ms == 0


async def test_a_mark_with_nothing_queued_is_reported_at_once(speaker: Recorded) -> None:
    await speaker.mark("now")
    assert await delivered(speaker) == ["now"]


async def test_clear_drops_unplayed_audio_and_its_marks(speaker: Recorded) -> None:
    await speaker.write(pcm(5, 100))
    await speaker.mark("end")
    speaker.play(640)
    await speaker.clear()
    assert speaker.queued_ms == 0
    assert speaker.play(640) == bytes(640)
    assert await delivered(speaker) == []  # never played, never reported


async def test_play_from_another_thread_reports_on_the_loop(speaker: Recorded) -> None:
    await speaker.write(pcm(3, 60))
    await speaker.mark("done")
    chunks = await asyncio.to_thread(lambda: [speaker.play(640) for _ in range(3)])
    assert b"".join(chunks) == pcm(3, 60)
    assert await delivered(speaker) == ["done"]


class FakeSoundDevice:
    """The part of the sounddevice module that device selection uses."""

    class PortAudioError(Exception):
        pass

    def __init__(
        self, devices: list[dict[str, Any]], default: int | None, rates: tuple[int, ...] = (RATE,)
    ) -> None:
        self.devices = devices
        self.default_index = default
        self.rates = rates  # what the cards accept besides their default
        self.opened: list[tuple[str, dict[str, Any]]] = []

    def query_devices(self, device: int | None = None, kind: str | None = None) -> Any:
        if kind is not None:
            if self.default_index is None:
                raise self.PortAudioError("Error querying device -1")
            return self.devices[self.default_index]
        return self.devices if device is None else self.devices[device]

    def check_input_settings(self, **kwargs: Any) -> None:
        if kwargs["samplerate"] not in self.rates:
            raise self.PortAudioError("Invalid sample rate")

    check_output_settings = check_input_settings

    def RawInputStream(self, **kwargs: Any) -> Any:
        self.opened.append(("input", kwargs))
        return None

    def RawOutputStream(self, **kwargs: Any) -> Any:
        self.opened.append(("output", kwargs))

        class Stream:
            def start(self) -> None:
                pass

        return Stream()


def device(index: int, name: str, inputs: int, outputs: int) -> dict[str, Any]:
    return {
        "index": index,
        "name": name,
        "max_input_channels": inputs,
        "max_output_channels": outputs,
        "default_samplerate": 48000.0,
    }


def use(monkeypatch: pytest.MonkeyPatch, sd: FakeSoundDevice) -> None:
    monkeypatch.setattr(audio, "_sounddevice", lambda: sd)


def test_no_sound_card_means_no_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, FakeSoundDevice([], default=None))
    with pytest.raises(AudioUnavailable, match="no microphone found"):
        open_devices(output_rate=RATE)


def test_devices_by_name_or_index(monkeypatch: pytest.MonkeyPatch) -> None:
    sd = FakeSoundDevice(
        [device(0, "HDMI out", 0, 2), device(1, "USB Headset", 1, 2), device(2, "Built-in", 2, 2)],
        default=2,
    )
    use(monkeypatch, sd)
    devices = open_devices("headset", "0", output_rate=RATE)
    assert "USB Headset" in devices.description and "HDMI out" in devices.description
    assert sd.opened == [("output", sd.opened[0][1])]  # the mic opens when it is read
    assert sd.opened[0][1]["device"] == 0 and sd.opened[0][1]["samplerate"] == RATE
    with pytest.raises(AudioUnavailable, match="no microphone matches 'HDMI'"):
        open_devices("HDMI", None, output_rate=RATE)  # an output-only device is no microphone


def test_a_card_that_refuses_the_rate_plays_at_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    sd = FakeSoundDevice([device(0, "Built-in", 2, 2)], default=0, rates=())
    use(monkeypatch, sd)
    devices = open_devices(output_rate=22_050)
    assert devices.speaker.sample_rate == 48_000  # the voice session converts to it
    assert sd.opened[0][1]["samplerate"] == 48_000


def test_missing_portaudio_is_a_reason_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def find_spec(self, name: str, *args: Any) -> None:
            if name == "sounddevice":
                raise OSError("PortAudio library not found")

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Broken(), *sys.meta_path])
    with pytest.raises(AudioUnavailable, match="PortAudio library is missing"):
        open_devices(output_rate=RATE)
