"""Questions in callers' words get their answer from the restaurant file given, through a
session turn's reply, on three restaurants (the demo, Harbour Bistro, and The Copper Kettle
written here with other categories, tags and FAQ wording): needs asked about, one dish, words
the file says otherwise, diets said as an absence, and prices (see cases.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import TurnCompleted
from resvoice.config import Settings
from resvoice.restaurant.loader import load_profile
from resvoice.retrieval.hashing import HashingEmbedder
from resvoice.runtime import Runtime
from resvoice.seeding import seed_restaurant
from resvoice.storage import open_storage
from tests.agent.answers.cases import ALL, BLIND, FRESH, RESTAURANTS, Case

TUESDAY = dt.datetime(2026, 12, 1, 10, 0)
KINDS = ("need", "dish", "synonym", "diet", "price")


@pytest.fixture(params=sorted(RESTAURANTS))
async def restaurant(
    request: pytest.FixtureRequest, settings: Settings, tmp_path: Path
) -> AsyncIterator[Runtime]:
    url = f"sqlite:///{tmp_path / 'answers.db'}"
    storage = await open_storage(url)
    try:
        profile = load_profile(RESTAURANTS[request.param])
        await seed_restaurant(storage, profile, HashingEmbedder())
    finally:
        await storage.close()
    runtime = await Runtime.open(settings, url)
    try:
        yield runtime
    finally:
        await runtime.close()


async def ask(runtime: Runtime, question: str) -> str:
    clock = FixedClock.at(TUESDAY, runtime.profile.restaurant.timezone)
    session = runtime.session(clock=clock)
    reply = ""
    async for event in session.turn(question):
        if isinstance(event, TurnCompleted):
            reply = event.reply
    return reply


def _key(runtime: Runtime) -> str:
    name = runtime.profile.restaurant.name
    return next(k for k, path in RESTAURANTS.items() if load_profile(path).restaurant.name == name)


@pytest.mark.parametrize("kind", KINDS)
async def test_each_question_is_answered_from_the_file(restaurant: Runtime, kind: str) -> None:
    key = _key(restaurant)
    cases: list[Case] = [
        c for c in (*ALL, *FRESH, *BLIND) if c.restaurant == key and c.kind == kind
    ]
    failures = []
    for case in cases:
        reply = await ask(restaurant, case.question)
        why = case.failure(reply)
        if why is not None:
            failures.append(f"{case.question!r} -> {reply!r}: {why}")
    assert failures == []


def test_every_kind_has_paraphrases_on_two_restaurants_at_least() -> None:
    for kind in KINDS:
        places = {c.restaurant for c in (*ALL, *FRESH, *BLIND) if c.kind == kind}
        assert len(places) >= 2, kind
        assert len([c for c in (*ALL, *FRESH, *BLIND) if c.kind == kind]) >= 15, kind


async def test_answers_never_borrow_the_demo_text(restaurant: Runtime) -> None:
    """Another restaurant's answers name nothing of the demo's (Olive & Ember) menu or FAQ."""
    if _key(restaurant) == "demo":
        return
    demo = load_profile(RESTAURANTS["demo"])
    own = {i.name.lower() for i in restaurant.profile.menu}
    foreign = [i.name.lower() for i in demo.menu if i.name.lower() not in own]
    for question in ("what's the cheapest main", "anything without meat?", "do you do takeaway"):
        reply = (await ask(restaurant, question)).lower()
        assert "oliveandember" not in reply and "harbor street" not in reply
        assert not [name for name in foreign if name in reply], reply
