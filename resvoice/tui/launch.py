"""Composes `resvoice talk`: builds each call, picks typed or voice mode (saying why), runs the app.

This is the only module of `tui/` that knows the runtime and the providers; the app itself
sees a `CallFactory`. Voice is set up when the first call starts, not before the app shows, so
the screen is up at once while speech models load; any failure there (no sound card, no
PortAudio, no recogniser) turns into typed mode with the reason on screen.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from resvoice.agent.clock import Clock
from resvoice.agent.messenger import RecordingMessenger
from resvoice.errors import ResvoiceError
from resvoice.runtime import Runtime
from resvoice.tui.app import CallHandle, Mode, TalkApp
from resvoice.tui.audio import MicSource, PlaybackQueue
from resvoice.tui.call import TypedCall
from resvoice.voice.stt.base import STT
from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)

TTS_RATE = 22_050  # Piper's and eSpeak's own rate; the speaker converts if the card wants another


@dataclass(frozen=True)
class TalkOptions:
    text: bool = False  # --text: typed mode even when a microphone is there
    brain: str | None = None
    stt: str | None = None  # None: the settings' RESVOICE_STT
    tts: str | None = None  # None: the settings' RESVOICE_TTS
    input_device: str | None = None
    output_device: str | None = None


@dataclass
class VoiceKit:
    """What voice mode needs, set up once per app run and shared by its calls; `closers` are
    the sound card's (the runtime owns and closes the STT and TTS)."""

    stt: STT
    tts: TTS
    mic: MicSource
    speaker: PlaybackQueue
    config: object | None = None  # a resvoice.voice.session.VoiceConfig
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def close(self) -> None:
        await self.close_all(self.closers)

    @staticmethod
    async def close_all(closers: list[Callable[[], Awaitable[None]]]) -> None:
        for close in reversed(closers):
            try:
                await close()
            except Exception:
                log.exception("talk.voice_close_failed")


VoiceSetup = Callable[[], Awaitable[VoiceKit]]


class Calls:
    """The app's `CallFactory`: a typed or voice call on the runtime's agent, per new call."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        voice: VoiceSetup | None = None,
        typed_reason: str = "--text given",
        brain: str | None = None,
        clock: Clock | None = None,
        ids: Iterator[str] | None = None,
    ) -> None:
        self._runtime = runtime
        self._voice_setup = voice
        self._mode = Mode("typed", typed_reason) if voice is None else None
        self._brain = brain
        self._clock = clock
        self._ids = ids or conversation_ids()
        self.kit: VoiceKit | None = None

    async def __call__(self) -> CallHandle:
        if self._mode is None:
            self._mode = await self._set_up_voice()
        conversation_id = next(self._ids)
        agent = self._runtime.session(
            conversation_id=conversation_id,
            clock=self._clock,
            brain=self._brain,
            # talk is a rehearsal: texts are recorded (and kept with the call), never sent
            messenger=self._runtime.outbox(RecordingMessenger(), conversation_id=conversation_id),
        )
        kit = self.kit
        if kit is None:
            return CallHandle(TypedCall(agent), conversation_id, self._mode)
        from resvoice.voice.recording import recording_for
        from resvoice.voice.session import VoiceConfig, VoiceSession

        config = kit.config if isinstance(kit.config, VoiceConfig) else None
        recording = recording_for(self._runtime.settings.recordings(), conversation_id)
        session = VoiceSession(agent, kit.stt, kit.tts, kit.speaker, config, recording=recording)
        await kit.speaker.clear()  # nothing of the last call plays into this one
        kit.speaker.on_mark = session.mark_played
        return CallHandle(
            session, conversation_id, self._mode, push_audio=session.push_audio, mic=kit.mic
        )

    async def close(self) -> None:
        if self.kit is not None:
            await self.kit.close()

    async def _set_up_voice(self) -> Mode:
        assert self._voice_setup is not None
        try:
            self.kit = await self._voice_setup()
        except (ResvoiceError, ImportError, OSError) as exc:
            log.info("talk.typed_mode", extra={"reason": str(exc)})
            return Mode("typed", str(exc) or type(exc).__name__)
        return Mode("voice", "")


def conversation_ids(prefix: str = "talk") -> Iterator[str]:
    """Fresh ids for the calls of one app run."""
    while True:
        yield f"{prefix}-{uuid.uuid4().hex[:12]}"


def numbered_ids(prefix: str) -> Iterator[str]:
    """Predictable ids (`prefix-1`, `prefix-2`...) for tests and screenshots."""
    return (f"{prefix}-{n}" for n in itertools.count(1))


def typed_calls(
    runtime: Runtime,
    *,
    brain: str | None = None,
    clock: Clock | None = None,
    ids: Iterator[str] | None = None,
) -> Calls:
    """A factory of keyboard calls on the runtime's agent."""
    return Calls(runtime, brain=brain, clock=clock, ids=ids)


async def run_talk(runtime: Runtime, options: TalkOptions) -> None:
    """Run the app until the user quits; every call it held is persisted."""
    voice = None if options.text else _device_voice(runtime, options)
    calls = Calls(runtime, voice=voice, brain=options.brain)
    app = TalkApp(calls)
    try:
        await app.run_async()
    finally:
        # quitting with ctrl+q already hung up; this covers every other way out
        handle = app.handle
        if handle is not None and not handle.call.ended:
            await handle.call.hangup("app_closed")
        await calls.close()


def _device_voice(runtime: Runtime, options: TalkOptions) -> VoiceSetup:
    """Voice on this machine's sound card, with STT and TTS the runtime makes (and closes)."""
    settings = runtime.settings

    async def setup() -> VoiceKit:
        stt_kind = options.stt or settings.stt
        if stt_kind == "none":
            raise ResvoiceError("speech recognition is off (--stt none)")
        from resvoice.tui.audio import open_devices

        # the sound card first: it is the usual reason for typed mode, and the cheapest to find
        devices = await asyncio.to_thread(
            open_devices, options.input_device, options.output_device, output_rate=TTS_RATE
        )
        closers: list[Callable[[], Awaitable[None]]] = [devices.close]
        try:
            stt = await runtime.stt(stt_kind)
            tts = await runtime.tts(options.tts, sample_rate=TTS_RATE)
        except BaseException:
            await VoiceKit.close_all(closers)
            raise
        return VoiceKit(stt, tts, devices.mic, devices.speaker, closers=closers)

    return setup
