"""Calls written anew in the project's own words (tests/replay/own/), one for each kind of
failure such calls found: the call's own booking changed or followed by another, a number
given in two parts, a name in labelled parts, a weekday beside another day's date, both
bookings cancelled, a policy question supposing a booking, an answer only taken in..."""

from __future__ import annotations

from resvoice.runtime import Runtime
from tests.replay.folder import failures_of, transcripts

OWN = transcripts("own")


async def test_calls_in_our_own_words_pass(runtime: Runtime) -> None:
    assert len(OWN) >= 26
    assert await failures_of(runtime, OWN) == []
