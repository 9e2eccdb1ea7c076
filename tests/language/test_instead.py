"""`swapped`: a new value named beside the old one it replaces."""

from __future__ import annotations

import datetime as dt

import pytest

from resvoice.language.instead import swapped
from resvoice.language.misheard import as_meant


@pytest.mark.parametrize(
    ("text", "old", "time", "count"),
    [
        ("could we do eight instead of seven?", 7, dt.time(20, 0), 8),
        ("Oh wait, could we do 8:30 instead of 7?", 7, dt.time(20, 30), None),
        ("half eight, not seven", 7, dt.time(20, 30), None),
        ("eight o'clock instead of seven please", 7, dt.time(20, 0), None),
        ("can we make it six rather than five", 5, dt.time(18, 0), 6),
    ],
)
def test_a_swap_names_the_old_number_and_the_new_value(
    text: str, old: int, time: dt.time, count: int | None
) -> None:
    found = swapped(text)
    assert found is not None
    assert (found.old, found.time, found.count) == (old, time, count)


@pytest.mark.parametrize(
    "text",
    ["a table for seven please", "I'd rather not say", "instead of the pasta, the risotto"],
)
def test_no_swap_without_two_values(text: str) -> None:
    assert swapped(text) is None


def test_whispers_instead_on_is_a_swap_once_read_as_meant() -> None:
    """ "instead on 7" (Whisper's "instead of 7") is read as meant before any reading, as the
    rules brain does with every turn (`as_meant`)."""
    found = swapped(as_meant("So wait, could we do 8 instead on 7?"))
    assert found is not None
    assert (found.old, found.time, found.count) == (7, dt.time(20, 0), 8)
