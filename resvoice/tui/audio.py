"""The laptop's microphone and speakers, behind a tiny protocol so tests can swap them.

`MicSource` yields PCM16 mono frames at 16 kHz. `PlaybackQueue` is the agent's side: an
`AudioOutput` whose queued audio a sound card (or a test) pulls in real time with `play()`,
reporting each mark once the audio before it has been pulled. `open_devices()` opens both on
`sounddevice`; it imports sounddevice (and the PortAudio library under it) only then, and every
failure becomes an `AudioUnavailable` whose message is the reason the app gives for typed mode.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from resvoice.audio import INTERNAL_RATE
from resvoice.errors import ResvoiceError, needs_extra

FRAME_MS = 20


class AudioUnavailable(ResvoiceError):
    """No usable microphone or speaker; the message says why, in a user's words."""


class MicSource(Protocol):
    """Caller audio: PCM16 mono little-endian frames at `sample_rate`, in order."""

    sample_rate: int

    def frames(self) -> AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


class PlaybackQueue:
    """An `AudioOutput` played by pulling: `play(n)` hands out the next n bytes (silence when
    nothing is queued) and reports the marks it passed to `on_mark` on the event loop.

    `write`, `mark` and `clear` run on the loop; `play` runs on the sound card's thread.
    """

    def __init__(self, sample_rate: int = INTERNAL_RATE) -> None:
        self.sample_rate = sample_rate
        self.on_mark: Callable[[str], None] | None = None
        self.marks_played = 0  # marks reported so far
        self._lock = threading.Lock()
        self._chunks: deque[bytes | str] = deque()  # audio, or a mark's name
        self._head = 0  # bytes of _chunks[0] already played
        self._queued = 0  # bytes of audio queued
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def queued_ms(self) -> float:
        return self._queued / 2 / self.sample_rate * 1000

    async def write(self, pcm: bytes) -> None:
        self._loop = asyncio.get_running_loop()
        with self._lock:
            if pcm:
                self._chunks.append(bytes(pcm))
                self._queued += len(pcm)

    async def mark(self, name: str) -> None:
        self._loop = asyncio.get_running_loop()
        with self._lock:
            if self._queued:
                self._chunks.append(name)
                return
        self._report([name])  # everything before it has been played already

    async def clear(self) -> None:
        with self._lock:
            self._chunks.clear()
            self._head = self._queued = 0

    def play(self, nbytes: int) -> bytes:
        """The next `nbytes` of audio, padded with silence; reports the marks passed."""
        out = bytearray()
        marks: list[str] = []
        with self._lock:
            while self._chunks:
                head = self._chunks[0]
                if isinstance(head, str):
                    marks.append(head)
                    self._chunks.popleft()
                    continue
                if len(out) >= nbytes:
                    break
                take = head[self._head : self._head + nbytes - len(out)]
                out += take
                self._head += len(take)
                self._queued -= len(take)
                if self._head >= len(head):
                    self._chunks.popleft()
                    self._head = 0
        self._report(marks)
        return bytes(out) + bytes(nbytes - len(out))

    def _report(self, marks: list[str]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        for name in marks:
            loop.call_soon_threadsafe(self._deliver, name)

    def _deliver(self, name: str) -> None:
        self.marks_played += 1
        if self.on_mark is not None:
            self.on_mark(name)


# --- sounddevice ------------------------------------------------------------------------------


@dataclass
class Devices:
    """An opened microphone and speaker; `close()` stops both."""

    mic: MicSource
    speaker: PlaybackQueue
    description: str

    async def close(self) -> None:
        await self.mic.aclose()
        if isinstance(self.speaker, SoundDeviceSpeaker):
            self.speaker.stop()


def open_devices(
    input_device: str | None = None, output_device: str | None = None, *, output_rate: int
) -> Devices:
    """Open the microphone (PCM16 mono 16 kHz) and the speaker (`output_rate` when the card
    takes it, else the card's own rate: the queue's `sample_rate` says which, and the voice
    session converts to it).

    `input_device` / `output_device` are a device index or part of its name; None means the
    system default. Raises `AudioUnavailable` with the reason when either cannot be used.
    """
    sd = _sounddevice()
    mic_index = _pick(sd, input_device, "input")
    speaker_index = _pick(sd, output_device, "output")
    mic_rate = _usable_rate(sd, mic_index, "input", INTERNAL_RATE)
    speaker_rate = _usable_rate(sd, speaker_index, "output", output_rate)
    names = [sd.query_devices(i)["name"] for i in (mic_index, speaker_index)]
    return Devices(
        mic=SoundDeviceMic(sd, mic_index, mic_rate),
        speaker=SoundDeviceSpeaker(sd, speaker_index, speaker_rate),
        description=f"mic {names[0]!r}, speaker {names[1]!r}",
    )


def list_devices() -> str:
    """The system's audio devices as sounddevice describes them (for `--list-devices`)."""
    return str(_sounddevice().query_devices()).strip() or "no audio devices found"


class SoundDeviceMic:
    """The microphone: a PortAudio input stream whose callback queues frames for the loop."""

    def __init__(self, sd: Any, device: int, device_rate: int) -> None:
        self.sample_rate = INTERNAL_RATE
        self._sd = sd
        self._device = device
        self._device_rate = device_rate
        self._stream: Any = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=500)

    async def frames(self) -> AsyncIterator[bytes]:
        from resvoice.audio.resample import Resampler

        loop = asyncio.get_running_loop()
        resampler = Resampler(self._device_rate, INTERNAL_RATE)

        def put(data: bytes) -> None:
            if not self._queue.full():  # a stalled loop drops audio rather than grow memory
                self._queue.put_nowait(data)

        def callback(indata: Any, frames: int, time: Any, status: Any) -> None:
            loop.call_soon_threadsafe(put, bytes(indata))

        self._stream = self._sd.RawInputStream(
            samplerate=self._device_rate,
            blocksize=self._device_rate * FRAME_MS // 1000,
            device=self._device,
            channels=1,
            dtype="int16",
            callback=callback,
        )
        self._stream.start()
        while (data := await self._queue.get()) is not None:
            pcm = resampler.process(data)
            if pcm:
                yield pcm

    async def aclose(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        self._queue.put_nowait(None)


class SoundDeviceSpeaker(PlaybackQueue):
    """The speakers: a PortAudio output stream that pulls from the `PlaybackQueue`."""

    def __init__(self, sd: Any, device: int, sample_rate: int) -> None:
        super().__init__(sample_rate)

        def callback(outdata: Any, frames: int, time: Any, status: Any) -> None:
            outdata[:] = self.play(len(outdata))

        self._stream = sd.RawOutputStream(
            samplerate=sample_rate,
            blocksize=sample_rate * FRAME_MS // 1000,
            device=device,
            channels=1,
            dtype="int16",
            callback=callback,
        )
        self._stream.start()

    def stop(self) -> None:
        self._stream.stop()
        self._stream.close()


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError:
        raise AudioUnavailable(needs_extra("voice mode", "talk", missing="sounddevice")) from None
    except OSError:
        raise AudioUnavailable(
            "the PortAudio library is missing (Debian/Ubuntu: apt-get install libportaudio2; "
            "macOS: brew install portaudio)"
        ) from None
    return sounddevice


def _pick(sd: Any, wanted: str | None, kind: str) -> int:
    what = "microphone" if kind == "input" else "audio output"
    channels = f"max_{kind}_channels"
    try:
        devices = list(sd.query_devices())
        if wanted is None:
            info = sd.query_devices(kind=kind)
            return int(info["index"])
    except Exception:
        raise AudioUnavailable(f"no {what} found") from None
    if wanted.isdigit() and int(wanted) < len(devices) and devices[int(wanted)][channels] > 0:
        return int(wanted)
    for info in devices:
        if wanted.lower() in str(info["name"]).lower() and info[channels] > 0:
            return int(info["index"])
    raise AudioUnavailable(f"no {what} matches {wanted!r} (see `resvoice talk --list-devices`)")


def _usable_rate(sd: Any, device: int, kind: str, rate: int) -> int:
    """`rate` when the device takes it, else the device's own rate (the caller converts)."""
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    try:
        check(device=device, samplerate=rate, channels=1, dtype="int16")
        return rate
    except Exception:
        return int(sd.query_devices(device)["default_samplerate"])
