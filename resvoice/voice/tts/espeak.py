"""eSpeak NG speech in-process through ctypes: the instant fallback voice and the caller's voice
in voice replay. Library and data come from the `espeakng-loader` wheel (`resvoice[offline]`),
no system package.

eSpeak keeps its engine in process-global state (one current voice, one synth callback), so one
engine object owns it for the whole process and a single dedicated thread makes every call;
requests from any number of `EspeakTTS` instances (different voices) queue on that thread.
Synthesis runs in synchronous mode: `espeak_Synth` calls our callback with each ~100 ms of audio
as it is made, and the callback hands it to the waiting coroutine, or aborts when cancelled.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor

from resvoice.audio.resample import Resampler
from resvoice.errors import ConfigError, MissingExtraError
from resvoice.voice.models import ModelCache
from resvoice.voice.tts.base import AudioChunk

__all__ = ["NATIVE_RATE", "EspeakTTS"]

log = logging.getLogger(__name__)

NATIVE_RATE = 22_050
"""eSpeak NG always synthesises at this rate."""


class EspeakTTS:
    """The `TTS` protocol on eSpeak NG.

    Args:
        voice: an eSpeak voice name, optionally with a variant: "en-us", "en" (British),
            "en-gb-scotland", "en-us+f3", "en+klatt4"... (callers in voice replay use several).
        sample_rate: output rate; audio is resampled from 22.05 kHz when it differs.
        words_per_minute: speaking rate (eSpeak's default is 175).
        pitch: 0-100 (50 is the voice's normal pitch).
        models: the process's model cache (the runtime's); None: one of this voice's own.
    """

    name = "espeak"

    def __init__(
        self,
        voice: str = "en-us",
        *,
        sample_rate: int = NATIVE_RATE,
        words_per_minute: int = 175,
        pitch: int = 50,
        models: ModelCache | None = None,
    ) -> None:
        if not 80 <= words_per_minute <= 450:
            raise ConfigError(f"eSpeak rate must be 80-450 words per minute: {words_per_minute}")
        if not 0 <= pitch <= 100:
            raise ConfigError(f"eSpeak pitch must be 0-100: {pitch}")
        self.voice = voice
        self.sample_rate = sample_rate
        self._settings = _VoiceSettings(voice, words_per_minute, pitch)
        cache = models if models is not None else ModelCache()
        self._engine = cache.get("espeak", _EspeakEngine)

    async def synthesize(self, text: str) -> AsyncIterator[AudioChunk]:
        """Speak `text`; chunks of about 100 ms arrive as eSpeak makes them. Closing the
        iterator early (barge-in) aborts synthesis at the next chunk."""
        if not text.strip():
            return
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        stop = threading.Event()

        def deliver(item: bytes | None) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop has closed: nobody is listening any more
                stop.set()

        def sink(pcm: bytes) -> bool:
            if stop.is_set():
                return False
            deliver(pcm)
            return True

        job = self._engine.submit(text, self._settings, sink)
        job.add_done_callback(lambda _: deliver(None))
        resampler = Resampler(NATIVE_RATE, self.sample_rate)
        try:
            while (pcm := await queue.get()) is not None:
                out = resampler.process(pcm)
                if out:
                    yield AudioChunk(out, self.sample_rate)
            job.result()  # raise what the engine raised (unknown voice...)
            tail = resampler.flush()
            if tail:
                yield AudioChunk(tail, self.sample_rate)
        finally:
            stop.set()

    async def aclose(self) -> None:
        """Nothing to release per instance: the model cache's engine outlives its voices."""


class _VoiceSettings:
    __slots__ = ("pitch", "voice", "words_per_minute")

    def __init__(self, voice: str, words_per_minute: int, pitch: int) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.pitch = pitch


_Sink = Callable[[bytes], bool]
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 0x1
_ENDPAUSE = 0x1000
_RATE, _PITCH = 1, 3
_BUFFER_MS = 100
_LIBRARY = threading.Lock()
"""Held for each whole synthesis: the eSpeak NG library is one per process, whichever engine
calls it (a lock guarding the C library, not a cache)."""


class _EspeakEngine:
    """One eSpeak NG engine (one per `ModelCache`) and the thread that calls it.

    The C library itself is process-global, so an engine holds `_LIBRARY` for each whole
    synthesis and sets its callback, voice and parameters each time: two engines (two caches in
    one process, as in tests) take turns instead of fighting over them.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="espeak")
        self._lib: ctypes.CDLL | None = None
        self._sink: _Sink | None = None
        self._callback = _SYNTH_CALLBACK(self._on_audio)  # kept referenced while C holds it

    def close(self) -> None:
        """Stop the thread (a synthesis running finishes alone); the cache calls this."""
        self._thread.shutdown(wait=False, cancel_futures=True)

    def submit(self, text: str, settings: _VoiceSettings, sink: _Sink) -> Future[None]:
        return self._thread.submit(self._synth, text, settings, sink)

    # -- everything below runs on the engine thread only --

    def _synth(self, text: str, settings: _VoiceSettings, sink: _Sink) -> None:
        with _LIBRARY:
            self._synth_holding_library(text, settings, sink)

    def _synth_holding_library(self, text: str, settings: _VoiceSettings, sink: _Sink) -> None:
        lib = self._load()
        lib.espeak_SetSynthCallback(self._callback)
        if lib.espeak_SetVoiceByName(settings.voice.encode()) != 0:
            raise ConfigError(f"unknown eSpeak voice {settings.voice!r} (try 'en-us')")
        lib.espeak_SetParameter(_RATE, settings.words_per_minute, 0)
        lib.espeak_SetParameter(_PITCH, settings.pitch, 0)
        data = text.encode("utf-8")
        self._sink = sink
        try:
            status = lib.espeak_Synth(
                data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _ENDPAUSE, None, None
            )
            lib.espeak_Synchronize()
        finally:
            self._sink = None
        if status != 0:
            log.warning("espeak synth failed status=%s", status)

    def _on_audio(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        sink = self._sink
        if sink is None:
            return 1
        if count > 0 and not sink(ctypes.string_at(wav, count * 2)):
            return 1  # abort: the listener went away (barge-in)
        return 0

    def _load(self) -> ctypes.CDLL:
        if self._lib is not None:
            return self._lib
        try:
            import espeakng_loader
        except ImportError:
            raise MissingExtraError("eSpeak NG", "offline") from None
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        data_path = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, data_path, 0)
        if rate != NATIVE_RATE:
            raise ConfigError(
                f"eSpeak NG did not start (returned {rate}); reinstall espeakng-loader"
            )
        lib.espeak_SetSynthCallback(self._callback)
        self._lib = lib
        log.info("espeak loaded rate=%s", rate)
        return lib
