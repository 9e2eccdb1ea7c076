"""Protected speech in the core's events: the `<KEEP>` marker and the rules brain's read-back."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import ReplyDelta
from resvoice.agent.protect import KeepMarkers
from resvoice.runtime import Runtime

MONDAY = dt.datetime(2026, 2, 2, 15, 30)

TEXT = "Sure. <KEEP>Your code is 4 1 7.</KEEP> Anything else?"


def pieces(chunks: list[str]) -> list[tuple[str, bool]]:
    keep = KeepMarkers()
    out = [piece for chunk in chunks for piece in keep.feed(chunk)]
    tail = keep.flush()
    return out + ([(tail, False)] if tail else [])


def merged(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for text, protected in parts:
        if out and out[-1][1] == protected:
            out[-1] = (out[-1][0] + text, protected)
        else:
            out.append((text, protected))
    return out


def test_the_marked_words_are_protected_and_the_markers_gone() -> None:
    assert merged(pieces([TEXT])) == [
        ("Sure. ", False),
        ("Your code is 4 1 7.", True),
        (" Anything else?", False),
    ]


@given(st.lists(st.integers(min_value=1, max_value=len(TEXT) - 1), unique=True))
def test_markers_split_across_deltas_are_still_found(cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), len(TEXT)]
    chunks = [TEXT[a:b] for a, b in pairwise(bounds)]
    assert merged(pieces(chunks)) == merged(pieces([TEXT]))


def test_a_lone_angle_bracket_is_kept() -> None:
    assert merged(pieces(["a <", "b"])) == [("a <b", False)]


async def test_the_rules_brain_protects_the_read_back_and_the_booking(runtime: Runtime) -> None:
    agent = runtime.session(clock=FixedClock.at(MONDAY, runtime.profile.restaurant.timezone))
    _ = [e async for e in agent.start()]
    _ = [e async for e in agent.turn("Table for 2 on Saturday at 7pm, phone 555 010 9999")]
    events = [e async for e in agent.turn("Ada Lovelace")]
    protected = "".join(e.text for e in events if isinstance(e, ReplyDelta) and e.protected)
    assert protected.startswith("Let me read that back")
    events = [e async for e in agent.turn("Yes please")]
    booked = [e for e in events if isinstance(e, ReplyDelta)]
    assert booked and all(e.protected for e in booked)  # the booking and its details
