"""Silero VAD on streaming audio: speech probability per 32 ms frame, and turn segmentation.

`SileroVAD` runs the Silero v6 ONNX model that ships inside faster-whisper
(`faster_whisper/assets/silero_vad_v6.onnx`) on onnxruntime: one model per model cache, each
stream with its own recurrent state (`VADState`) and the 64-sample context Silero expects.
`VADSegmenter` turns probabilities into speech onset, pause, resume and end-of-turn events; it
is pure logic, so the timing rules are testable without a model.

Why a minimum speech duration (`min_speech_ms`, default 300 ms): a cough, a breath or an
"uh-huh" over the agent must not barge in. Onset is only *confirmed* (`SpeechStart`) once the
segment holds that much speech, which is also about the shortest real answer ("yes", "four"),
so barge-in reacts ~300 ms after the caller starts, as people do. Shorter segments still end
(`SpeechEnd.confirmed == False`) so a recogniser can decide from the words whether they were a
real answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from resvoice.errors import ConfigError, MissingExtraError
from resvoice.voice.models import ModelCache

__all__ = [
    "FRAME_MS",
    "FRAME_SAMPLES",
    "SAMPLE_RATE",
    "SegmenterConfig",
    "SileroVAD",
    "SpeechEnd",
    "SpeechPause",
    "SpeechResume",
    "SpeechStart",
    "VADEvent",
    "VADSegmenter",
    "VADState",
]

SAMPLE_RATE = 16_000
FRAME_SAMPLES = 512
FRAME_MS = FRAME_SAMPLES * 1000 / SAMPLE_RATE  # 32 ms
_CONTEXT = 64


@dataclass
class VADState:
    """One stream's recurrent state: Silero's LSTM h/c and the last 64 samples of context."""

    h: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros((1, 1, 128), np.float32))
    c: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros((1, 1, 128), np.float32))
    context: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(_CONTEXT, np.float32))


class SileroVAD:
    """The Silero model, loaded once per `ModelCache` (per model file) and shared by streams.

    `probabilities()` is blocking (about 0.1 ms a frame): call it off the event loop. The ONNX
    session is safe to run from several threads; each stream passes its own `VADState`.
    """

    def __init__(
        self, model_path: str | Path | None = None, *, models: ModelCache | None = None
    ) -> None:
        self.model_path = Path(model_path) if model_path else _bundled_model()
        if not self.model_path.is_file():
            raise ConfigError(f"Silero VAD model not found: {self.model_path}")
        path = self.model_path
        cache = models if models is not None else ModelCache()
        self._session = cache.get(("silero-vad", path), lambda: _load_session(path))

    def probabilities(self, state: VADState, pcm: bytes) -> list[float]:
        """Speech probability of each whole 512-sample frame in `pcm` (PCM16 mono 16 kHz),
        advancing `state`. `len(pcm)` must be a multiple of 1024 bytes."""
        if len(pcm) % (FRAME_SAMPLES * 2):
            raise ValueError(f"VAD takes whole {FRAME_SAMPLES}-sample frames, got {len(pcm)} bytes")
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        out: list[float] = []
        for frame in samples.reshape(-1, FRAME_SAMPLES):
            window = np.concatenate([state.context, frame])[np.newaxis, :]
            prob, state.h, state.c = self._session.run(
                None, {"input": window, "h": state.h, "c": state.c}
            )
            state.context = frame[-_CONTEXT:]
            out.append(float(np.asarray(prob).reshape(-1)[0]))
        return out


def _load_session(path: Path) -> Any:
    try:
        import onnxruntime
    except ImportError:
        raise MissingExtraError("Silero VAD", "offline") from None
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def _bundled_model() -> Path:
    try:
        import faster_whisper
    except ImportError:
        raise MissingExtraError("Silero VAD", "offline") from None
    return Path(faster_whisper.__file__).parent / "assets" / "silero_vad_v6.onnx"


@dataclass(frozen=True)
class SpeechStart:
    """Speech confirmed (`min_speech_ms` of it); `onset_ms` is where it began."""

    at_ms: float
    onset_ms: float


@dataclass(frozen=True)
class SpeechPause:
    """The speaker has been silent for `pause_ms`; speech stopped at `speech_end_ms`."""

    at_ms: float
    speech_end_ms: float


@dataclass(frozen=True)
class SpeechResume:
    """Speech again after a `SpeechPause`, before the end-of-turn silence ran out."""

    at_ms: float


@dataclass(frozen=True)
class SpeechEnd:
    """`end_silence_ms` of silence: the segment is over. `confirmed` is False for blips that
    never reached `min_speech_ms` (no `SpeechStart` was sent for them)."""

    at_ms: float
    onset_ms: float
    speech_end_ms: float
    confirmed: bool


VADEvent = SpeechStart | SpeechPause | SpeechResume | SpeechEnd


@dataclass(frozen=True)
class SegmenterConfig:
    """Turn-taking thresholds.

    threshold / neg_threshold: hysteresis on the speech probability (Silero's own defaults).
    min_speech_ms: speech needed before onset is confirmed (see the module docstring).
    pause_ms: silence before a `SpeechPause` (when speculative transcription may start).
    end_silence_ms: silence that ends the turn.
    finished_silence_ms: silence that ends a turn whose words so far sound clearly finished
        ("Do you have parking?", "Yes, that's right."; `resvoice.voice.stt.endpoint`): the
        recogniser calls `VADSegmenter.shorten()` once the speculative transcription has them,
        and the turn ends there (or at once, when that much silence has passed already).
    unfinished_silence_ms: silence that ends a turn whose words so far sound unfinished
        ("my number is 555", "a table at", "um"; see `resvoice.voice.stt.endpoint`): the
        recogniser calls `VADSegmenter.hold()` at the usual end and the turn runs on to here.
    nearly_whole_silence_ms: the shorter hold for a phone number a digit or two short of
        whole ("415 55 0142"): callers pause between the groups of a number, rarely inside
        the last one, so what is short there is more often a digit misheard than one still
        to come (`VADSegmenter.hold(nearly_whole=True)`; kept between `end_silence_ms` and
        `unfinished_silence_ms`).
    max_segment_ms: a turn is cut here even without silence (a radio or crowd behind the
        caller can keep the VAD in speech; Whisper reads 30 s at a time).
    """

    threshold: float = 0.5
    neg_threshold: float = 0.35
    min_speech_ms: float = 300.0
    pause_ms: float = 96.0
    end_silence_ms: float = 600.0
    finished_silence_ms: float = 300.0
    unfinished_silence_ms: float = 1500.0
    nearly_whole_silence_ms: float = 1000.0
    max_segment_ms: float = 30_000.0

    def __post_init__(self) -> None:
        if not 0 < self.neg_threshold <= self.threshold < 1:
            raise ConfigError("VAD thresholds need 0 < neg_threshold <= threshold < 1")
        if not 0 <= self.pause_ms <= self.end_silence_ms:
            raise ConfigError("VAD pause_ms must be between 0 and end_silence_ms")
        if not 0 <= self.finished_silence_ms <= self.end_silence_ms:
            raise ConfigError("VAD finished_silence_ms must be between 0 and end_silence_ms")
        if self.min_speech_ms < 0:
            raise ConfigError("VAD min_speech_ms must not be negative")
        if self.unfinished_silence_ms < self.end_silence_ms:
            raise ConfigError("VAD unfinished_silence_ms must be at least end_silence_ms")
        if self.nearly_whole_silence_ms < 0:
            raise ConfigError("VAD nearly_whole_silence_ms must not be negative")
        if self.max_segment_ms <= self.end_silence_ms:
            raise ConfigError("VAD max_segment_ms must be longer than end_silence_ms")


class VADSegmenter:
    """Feeds on one speech probability per frame; returns the events each frame causes."""

    def __init__(self, config: SegmenterConfig | None = None, frame_ms: float = FRAME_MS) -> None:
        self.config = config or SegmenterConfig()
        self.frame_ms = frame_ms
        self.position_ms = 0.0
        self._in_segment = False
        self._speaking = False
        self._confirmed = False
        self._paused = False
        self._onset_ms = 0.0
        self._speech_ms = 0.0
        self._silence_from_ms = 0.0
        self._end_silence_ms = self.config.end_silence_ms
        self._ended_by_silence = False
        self._held = False  # this pause has had its `hold()`
        self._shortened = False  # this pause has had its `shorten()`

    @property
    def in_segment(self) -> bool:
        """True from the first speech frame until the segment's `SpeechEnd`."""
        return self._in_segment

    def push(self, probability: float) -> list[VADEvent]:
        """Advance by one frame."""
        cfg = self.config
        start = self.position_ms
        self.position_ms = end = start + self.frame_ms
        events: list[VADEvent] = []
        self._ended_by_silence = False  # `hold()` undoes only this frame's end
        if not self._in_segment:
            if probability >= cfg.threshold:
                self._in_segment = self._speaking = True
                self._confirmed = self._paused = self._held = self._shortened = False
                self._onset_ms, self._speech_ms = start, 0.0
                self._count_speech(end, events)
            return events
        if self._speaking:
            if probability >= cfg.neg_threshold:
                self._count_speech(end, events)
            else:
                self._speaking = False
                self._silence_from_ms = start
        elif probability >= cfg.threshold:
            self._speaking = True
            self._end_silence_ms = cfg.end_silence_ms
            self._held = self._shortened = False
            if self._paused:
                self._paused = False
                events.append(SpeechResume(end))
            self._count_speech(end, events)
        if not self._speaking:
            silent = end - self._silence_from_ms
            if not self._paused and silent >= cfg.pause_ms:
                self._paused = True
                events.append(SpeechPause(end, self._silence_from_ms))
            if silent >= self._end_silence_ms:
                events.append(self._end(end))
                self._ended_by_silence = True
                return events
        if end - self._onset_ms >= cfg.max_segment_ms:
            if self._speaking:
                self._silence_from_ms = end
            events.append(self._end(end))
        return events

    def hold(self, *, nearly_whole: bool = False) -> bool:
        """Undo the `SpeechEnd` just returned and wait for `unfinished_silence_ms` of silence
        instead (`nearly_whole_silence_ms` for a number all but whole): the words so far sound
        unfinished. Once per pause, only after an end by silence (not at the end of audio or
        `max_segment_ms`). Returns whether it held."""
        cfg = self.config
        silence_ms = cfg.unfinished_silence_ms
        if nearly_whole:  # never past the full hold, never short of the usual end
            silence_ms = min(max(cfg.nearly_whole_silence_ms, cfg.end_silence_ms), silence_ms)
        if self._in_segment or not self._ended_by_silence or self._held:
            return False
        if silence_ms <= cfg.end_silence_ms:
            return False
        if self.position_ms - self._onset_ms >= cfg.max_segment_ms:
            return False
        self._in_segment = self._paused = self._held = True
        self._ended_by_silence = False
        self._end_silence_ms = silence_ms
        return True

    def shorten(self) -> bool:
        """End this pause at `finished_silence_ms` of silence instead: the words so far sound
        clearly finished. Only in a pause (not while the caller speaks), once per pause, never
        after a `hold()` of it; speech again restores the usual window. Returns whether it
        shortened (the `SpeechEnd` then comes with the next frame pushed, at the latest)."""
        cfg = self.config
        if not self._in_segment or self._speaking or self._held or self._shortened:
            return False
        if cfg.finished_silence_ms >= self._end_silence_ms:
            return False
        self._shortened = True
        self._end_silence_ms = cfg.finished_silence_ms
        return True

    def finish(self) -> SpeechEnd | None:
        """End of audio: close the open segment, if any."""
        if not self._in_segment:
            return None
        if self._speaking:
            self._silence_from_ms = self.position_ms
        return self._end(self.position_ms)

    def _count_speech(self, end: float, events: list[VADEvent]) -> None:
        self._speech_ms += self.frame_ms
        if not self._confirmed and self._speech_ms >= self.config.min_speech_ms:
            self._confirmed = True
            events.append(SpeechStart(end, self._onset_ms))

    def _end(self, at_ms: float) -> SpeechEnd:
        self._in_segment = self._speaking = self._paused = self._ended_by_silence = False
        self._end_silence_ms = self.config.end_silence_ms
        return SpeechEnd(at_ms, self._onset_ms, self._silence_from_ms, self._confirmed)
