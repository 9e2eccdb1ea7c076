"""What a voice session yields beyond the core agent's `SessionEvent`s; front ends render both."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from resvoice.agent.events import SessionEvent

VoiceState = Literal["idle", "listening", "processing", "speaking"]


@dataclass(frozen=True)
class StateChanged:
    state: VoiceState


@dataclass(frozen=True)
class CallerSpeech:
    """What the recogniser heard; `final` once the caller's turn ended."""

    text: str
    final: bool


@dataclass(frozen=True)
class AgentSpeech:
    """A sentence of the agent's reply was sent to the caller's ear (epoch stamped)."""

    text: str
    epoch: int


@dataclass(frozen=True)
class BargeIn:
    """The caller spoke over the agent: epoch `epoch` was cancelled; `heard` is what of the reply
    had actually been played (by marks)."""

    epoch: int
    heard: str


@dataclass(frozen=True)
class BargeInHeld:
    """The caller spoke over protected speech (a read-back): it was not cut off; what they
    said is answered once it has been played."""

    epoch: int


@dataclass(frozen=True)
class SpeechResumed:
    """A barge-in turned out to be no turn (a cough, "mm-hmm", noise): the agent goes on from
    the start of the sentence it was cut off in, in epoch `epoch`; `text` is what it says."""

    epoch: int
    text: str


@dataclass(frozen=True)
class TurnLatency:
    """Per-turn latency figures in ms (keys as stored in session metadata `voice_turns`):
    end_of_speech_to_final_ms, final_to_first_token_ms, first_token_to_first_sentence_ms,
    first_sentence_to_first_audio_ms, end_of_speech_to_first_audio_ms."""

    figures: dict[str, float] = field(default_factory=dict)


VoiceEvent = (
    StateChanged
    | CallerSpeech
    | AgentSpeech
    | BargeIn
    | BargeInHeld
    | SpeechResumed
    | TurnLatency
    | SessionEvent
)
