"""`resvoice.restaurant.loader`: the demo restaurant file and the documents made from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from resvoice.errors import FixtureError
from resvoice.restaurant.loader import (
    HOURS_KEY,
    load_profile,
    profile_documents,
    slugify,
    speak_price,
    speak_time,
)
from resvoice.restaurant.profile import RestaurantProfile

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "restaurant.yaml"
ALLERGENS = {"nuts", "dairy", "gluten", "shellfish", "eggs", "fish", "sesame"}
DIETARY = {"vegan", "vegetarian", "gluten-free", "dairy-free", "spicy"}


@pytest.fixture(scope="module")
def profile() -> RestaurantProfile:
    return load_profile(FIXTURE)


def test_demo_restaurant_contract(profile: RestaurantProfile) -> None:
    """Other parts of the project (booking, transcripts) rely on these exact figures."""
    assert profile.restaurant.name == "Olive & Ember"
    assert profile.restaurant.timezone == "America/New_York"
    assert profile.hours["monday"] == "closed"
    assert profile.open_days() == [
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ]  # fmt: skip
    tuesday = dt.date(2025, 6, 3)
    slots = profile.slots_on(tuesday)
    assert slots[0] == dt.time(17, 0) and slots[-1] == dt.time(21, 30) and len(slots) == 10
    assert profile.slots_on(dt.date(2025, 6, 2)) == []  # a Monday
    rules = profile.booking
    assert (rules.slot_minutes, rules.sitting_minutes) == (30, 90)
    assert (rules.min_party, rules.max_party, rules.window_days) == (1, 8, 60)
    assert rules.deposit_from_party == 6
    tables = sorted((group.seats, group.count) for group in profile.tables)
    assert tables == [(2, 4), (4, 4), (6, 2), (8, 1)]


def test_demo_menu_policies_and_faq(profile: RestaurantProfile) -> None:
    assert len(profile.menu) >= 45
    categories = {item.category for item in profile.menu}
    assert {"starters", "pasta", "mains", "pizza", "sides", "desserts", "drinks"} <= categories
    for item in profile.menu:
        assert set(item.tags) <= DIETARY, item.name
        assert set(item.allergens) <= ALLERGENS, item.name
        assert item.description
    assert sum("vegan" in item.tags for item in profile.menu) >= 5
    assert sum("gluten-free" in item.tags for item in profile.menu) >= 5
    assert sum("nuts" in item.allergens for item in profile.menu) >= 3
    topics = {policy.topic for policy in profile.policies}
    assert len(profile.policies) >= 16
    assert {"cancellation", "deposit", "pets", "parking", "accessibility", "late-arrival"} <= topics
    assert len(profile.faq) >= 10


def test_documents_have_unique_stable_keys(profile: RestaurantProfile) -> None:
    docs = profile_documents(profile)
    keys = [doc.key for doc in docs]
    assert len(keys) == len(set(keys))
    assert len(docs) == len(profile.menu) + len(profile.policies) + len(profile.faq) + 1
    assert keys == [doc.key for doc in profile_documents(profile)]
    assert {"policy:pets", "policy:parking", "faq:what-is-your-address", HOURS_KEY} <= set(keys)


def test_menu_document_is_a_speakable_sentence(profile: RestaurantProfile) -> None:
    docs = {doc.key: doc for doc in profile_documents(profile)}
    trofie = docs["menu:pesto-trofie"]
    assert trofie.kind == "menu"
    assert trofie.title == "Pesto Trofie"
    assert trofie.body.startswith("Pesto Trofie, $21. Twisted pasta")
    assert "Vegetarian." in trofie.body
    assert trofie.body.endswith("Contains gluten, dairy and nuts.")
    assert trofie.tags == ("vegetarian", "pasta")
    assert trofie.metadata["allergens"] == ["gluten", "dairy", "nuts"]
    assert trofie.metadata["price"] == 21
    water = docs["menu:sparkling-water"]
    assert water.body.startswith("Sparkling Water, $5.50.")
    assert docs["menu:burrata-and-heirloom-tomatoes"].title == "Burrata and Heirloom Tomatoes"


def test_policy_and_faq_documents(profile: RestaurantProfile) -> None:
    docs = {doc.key: doc for doc in profile_documents(profile)}
    pets = docs["policy:pets"]
    assert pets.kind == "policy"
    assert "service animals" in pets.body and "\n" not in pets.body
    assert "dog" in pets.tags
    address = docs["faq:what-is-your-address"]
    assert address.kind == "faq"
    assert address.title == "What is your address?"
    assert "214 Harbor Street" in address.body


def test_hours_document_follows_the_hours(profile: RestaurantProfile) -> None:
    hours = {doc.key: doc for doc in profile_documents(profile)}[HOURS_KEY]
    assert hours.body == (
        "We are open Tuesday to Sunday from 5 pm to 10 pm, with last seating at 9:30 pm."
        " We are closed on Monday."
    )
    data = profile.model_dump()
    data["hours"]["saturday"] = {"open": "12:00", "close": "23:00"}
    revalidated = RestaurantProfile.model_validate(data)
    body = {doc.key: doc for doc in profile_documents(revalidated)}[HOURS_KEY].body
    assert "Tuesday to Friday from 5 pm to 10 pm" in body
    assert "on Saturday from noon to 11 pm, with last seating at 10:30 pm" in body
    assert "on Sunday from 5 pm" in body


def test_small_helpers() -> None:
    assert slugify("Olive & Ember") == "olive-and-ember"
    assert slugify("Sautéed Broccolini!") == "sauteed-broccolini"
    assert speak_price(14.5) == "$14.50"
    assert speak_price(21) == "$21"
    assert speak_price(0.99) == "$0.99"
    assert speak_time(dt.time(17, 0)) == "5 pm"
    assert speak_time(dt.time(21, 30)) == "9:30 pm"
    assert speak_time(dt.time(0, 0)) == "midnight"
    assert speak_time(dt.time(11, 15)) == "11:15 am"


def test_bad_file_raises_fixture_error(tmp_path: Path) -> None:
    bad = tmp_path / "restaurant.yaml"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("    price: 16\n", "    prise: 16\n")
    )
    with pytest.raises(FixtureError) as caught:
        load_profile(bad)
    assert caught.value.field == "menu[0].prise"
    assert caught.value.line is not None and caught.value.line > 1
