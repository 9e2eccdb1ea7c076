"""What the agent just asked, told to the recogniser so it listens for it.

After each agent turn the voice session tells the call's STT stream what answer comes next
(`Listening`: a phone number, a name, a count, anything) and the names the call already holds.
A stream that can use it implements `Hintable` (Whisper: digit words read as digits inside a
spoken number when a number is expected); one that cannot (Deepgram) is never told, so the hint
is a no-op there and the `STT` protocol is unchanged. `names` is for a recogniser with keyword
boosting; Whisper's prompt does not take them (see `resvoice.voice.stt.whisper_context`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

__all__ = ["ANYTHING", "Expected", "Hintable", "Listening"]

Expected = Literal["anything", "phone", "name", "count", "date_time", "yes_no"]


@dataclass(frozen=True)
class Listening:
    """The answer the agent's last question calls for, the names the call holds, and how many
    digits a whole phone number has where the restaurant is (its callers' own numbers)."""

    expect: Expected = "anything"
    names: tuple[str, ...] = ()
    number_digits: int = 10


ANYTHING = Listening()


@runtime_checkable
class Hintable(Protocol):
    """An `STTStream` that can use a `Listening` hint for the turns that follow."""

    def listen_for(self, hint: Listening) -> None:
        """Use `hint` for the caller's next turns (until the next hint); never blocks."""
        ...
