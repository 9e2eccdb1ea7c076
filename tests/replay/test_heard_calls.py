"""Calls about a booking the caller has, their first words as Whisper writes them on the voice
replays ("Council tomorrow.", "just bringing to confirm", "in our later"), written anew with
other names, days and numbers (tests/replay/heard/): from the caller's own phone they are about
that booking, not a new one; a question about the day or a new table that day stays what it is.
"""

from __future__ import annotations

from resvoice.runtime import Runtime
from tests.replay.folder import failures_of, transcripts

HEARD = transcripts("heard")


async def test_calls_as_heard_are_about_the_callers_booking(runtime: Runtime) -> None:
    assert len(HEARD) >= 8
    assert await failures_of(runtime, HEARD) == []
