"""Property tests: across thousands of generated caller turns, the rules brain never books
under a wrong value. No filler, greeting, interjection or stop-list word lands in `name`; no
phone number reaches the notepad unless `phonenumbers` finds it valid for its region (the
NANP 555 fiction range aside, see `resvoice.language.phone_validity`); and whole generated
calls (bench/callgen.py, as a hypothesis strategy) end with exactly the values said.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.callgen import build_call, call_document
from resvoice.agent.notepad import BookingRulesContext, Notepad, NotepadUpdate, apply_update
from resvoice.config import Settings
from resvoice.language.name_words import FILLERS, GREETINGS, INTERJECTIONS, STOP_WORDS
from resvoice.language.phone_validity import is_fictional
from resvoice.language.slots import extract_slots
from resvoice.replay.format import Transcript
from resvoice.replay.runner import replay_transcript
from resvoice.restaurant.loader import load_profile
from resvoice.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 2, 2)
RULES = BookingRulesContext(profile=load_profile(ROOT / "fixtures/restaurant.yaml"), today=TODAY)
_NAMES = ["Priya Raman", "Marcus Bell", "Greta Lindqvist", "Okonkwo", "Ana de la Cruz", "Young"]
_NOT_NAMES = sorted(FILLERS | GREETINGS | INTERJECTIONS | STOP_WORDS)
_CUES = ["", "my name is", "it's", "it's for", "name's", "under", "put it down as", "this is",
         "reservation for", "I'm", "put it under my husband's name,", "the name is"]  # fmt: skip
_BOOKING = ["", "a table for two", "on Friday", "at 7pm", "party of 4", "tomorrow night",
            "555 0142", "please", "thanks"]  # fmt: skip
_SEPARATORS = [" ", ", ", ". ", "... ", " - "]


def _case(word: str, how: int) -> str:
    return (word, word.capitalize(), word.upper())[how]


@st.composite
def _caller_turns(draw: st.DrawFn) -> tuple[str, set[str]]:
    """A turn of fillers, greetings, interjections and everyday words, sometimes with a cue and
    a real name; returns the text and the words a name may be made of."""
    parts: list[str] = []
    allowed: set[str] = set()
    for _ in range(draw(st.integers(1, 4))):
        word = draw(st.sampled_from(_NOT_NAMES))
        parts.append(_case(word, draw(st.integers(0, 2))))
    cue = draw(st.sampled_from(_CUES))
    if cue:
        parts.append(cue)
    if draw(st.booleans()):
        name = draw(st.sampled_from(_NAMES))
        allowed |= {w.lower() for w in name.split()}
        parts.append(name)
    for _ in range(draw(st.integers(0, 2))):
        parts.append(_case(draw(st.sampled_from(_NOT_NAMES)), draw(st.integers(0, 2))))
    parts.append(draw(st.sampled_from(_BOOKING)))
    separators = [draw(st.sampled_from(_SEPARATORS)) for _ in parts]
    text = "".join(p + s for p, s in zip(parts, separators, strict=True)).strip()
    return text, allowed


@settings(max_examples=3000)
@given(turn=_caller_turns(), expect_name=st.booleans(), name_open=st.booleans())
def test_no_everyday_word_is_ever_a_name(
    turn: tuple[str, set[str]], expect_name: bool, name_open: bool
) -> None:
    text, allowed = turn
    expecting = frozenset({"name"}) if expect_name else frozenset()
    name = extract_slots(text, today=TODAY, expecting=expecting, name_open=name_open).name
    if name is None:
        return
    words = {w.lower() for w in name.split()}
    assert not (words - allowed) & set(_NOT_NAMES), (text, name)
    assert words <= allowed | {"de", "la"}, (text, name)


_DIGITS = ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@st.composite
def _spoken_numbers(draw: st.DrawFn) -> str:
    """Digits in groups, as digits or words, with "double"/"triple", "area code", "then"."""
    groups: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        size = draw(st.integers(1, 5))
        if draw(st.booleans()):
            groups.append("".join(str(draw(st.integers(0, 9))) for _ in range(size)))
        else:
            words = [draw(st.sampled_from(_DIGITS)) for _ in range(size)]
            if draw(st.booleans()):
                words.insert(0, draw(st.sampled_from(["double", "triple"])))
            groups.append(" ".join(words))
    joins = [draw(st.sampled_from([" ", ", ", "-", ", and then ", " then "])) for _ in groups]
    lead = draw(st.sampled_from(["", "my number is ", "area code ", "it's ", "+1 ", "plus "]))
    return lead + "".join(g + j for g, j in zip(groups, joins, strict=True)).strip(" ,-")


@settings(max_examples=3000)
@given(text=_spoken_numbers(), expect_phone=st.booleans())
def test_no_captured_phone_is_invalid(text: str, expect_phone: bool) -> None:
    expecting = frozenset({"phone"}) if expect_phone else frozenset()
    slots = extract_slots(text, today=TODAY, expecting=expecting)
    if slots.phone is None:
        return
    notepad = Notepad()
    apply_update(notepad, NotepadUpdate(phone=slots.phone), RULES)
    if notepad.phone is None:
        return
    parsed = phonenumbers.parse(notepad.phone)
    assert phonenumbers.is_valid_number(parsed) or is_fictional(parsed), (text, notepad.phone)


def _calls() -> st.SearchStrategy[dict[str, Any]]:
    counter = itertools.count()

    @st.composite
    def calls(draw: st.DrawFn) -> dict[str, Any]:
        def choose(options: Any) -> Any:
            return draw(st.sampled_from(list(options)))

        return call_document(build_call(choose, next(counter)))

    return calls()


@pytest.fixture
def loop_runtime(settings: Settings, seeded_url: str) -> Iterator[tuple[Any, Runtime]]:
    """One event loop and runtime shared by every example of a sync hypothesis test."""
    loop = asyncio.new_event_loop()
    runtime = loop.run_until_complete(Runtime.open(settings, seeded_url))
    try:
        yield loop, runtime
    finally:
        loop.run_until_complete(runtime.close())
        loop.close()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_calls())
def test_generated_calls_book_exactly_what_was_said(
    loop_runtime: tuple[Any, Runtime], document: dict[str, Any]
) -> None:
    loop, runtime = loop_runtime
    transcript = Transcript.model_validate(document)
    result = loop.run_until_complete(replay_transcript(runtime, transcript, source="generated"))
    assert result.failures == [], (document["turns"], result.failures)
