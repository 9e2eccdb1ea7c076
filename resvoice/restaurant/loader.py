"""Read a restaurant file and turn its menu, policies and FAQ into retrievable documents.

Document bodies are what the agent may read aloud, so they are short spoken sentences:
"Pesto Trofie, $21. Twisted pasta with basil and pine nut pesto. Vegetarian. Contains gluten,
dairy and nuts." Keys are stable (`menu:pesto-trofie`, `policy:pets`, `faq:what-is-your-address`,
`faq:hours`), so reseeding an edited file only re-embeds what changed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from resvoice.language import phrases
from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.hours_words import exception_sentences, week_sentences
from resvoice.restaurant.profile import (
    FaqEntry,
    MenuItem,
    Policy,
    RestaurantProfile,
)
from resvoice.yamlfile import load_yaml_model

HOURS_KEY = "faq:hours"


def load_profile(path: Path | str) -> RestaurantProfile:
    """Read and validate a restaurant YAML file.

    Raises:
        FixtureError: naming the file, line and field of the first problem.
    """
    return load_yaml_model(Path(path), RestaurantProfile)


def profile_documents(profile: RestaurantProfile) -> list[KnowledgeDoc]:
    """Every retrievable document of `profile`: menu items, policies, FAQ and opening hours."""
    docs: list[KnowledgeDoc] = []
    used: set[str] = set()
    for item in profile.menu:
        docs.append(_menu_doc(item, _unique(f"menu:{slugify(item.name)}", used)))
    for policy in profile.policies:
        docs.append(_policy_doc(policy, _unique(f"policy:{slugify(policy.topic)}", used)))
    for entry in profile.faq:
        docs.append(_faq_doc(entry, _unique(f"faq:{slugify(entry.question)}", used)))
    docs.append(_hours_doc(profile, _unique(HOURS_KEY, used)))
    return docs


def slugify(text: str) -> str:
    """`"Burrata & Heirloom Tomatoes"` -> `"burrata-and-heirloom-tomatoes"`."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("&", " and "))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


def speak_price(price: float) -> str:
    """`14.5` -> `"$14.50"`, `21.0` -> `"$21"`."""
    cents = round(price * 100)
    return f"${cents // 100}" if cents % 100 == 0 else f"${cents // 100}.{cents % 100:02d}"


def speak_time(value: dt.time) -> str:
    """`17:00` -> `"5 pm"`, `21:30` -> `"9:30 pm"`, `12:00` -> `"noon"`."""
    return phrases.speak_time(value, am="am", pm="pm")


def speak_list(words: list[str]) -> str:
    """`["a", "b", "c"]` -> `"a, b and c"`."""
    return phrases.join_words(words)


# -- documents -------------------------------------------------------------------------------


def _menu_doc(item: MenuItem, key: str) -> KnowledgeDoc:
    sentences = [f"{item.name}, {speak_price(item.price)}."]
    if item.description:
        sentences.append(_sentence(item.description))
    if item.tags:
        sentences.append(_sentence(speak_list(list(item.tags))))
    if item.allergens:
        sentences.append(f"Contains {speak_list(list(item.allergens))}.")
    tags = tuple(dict.fromkeys((*item.tags, item.category)))
    return KnowledgeDoc(
        key=key,
        kind="menu",
        title=item.name,
        body=" ".join(sentences),
        tags=tags,
        metadata={
            "category": item.category,
            "price": item.price,
            "dietary": list(item.tags),
            "allergens": list(item.allergens),
        },
    )


def _policy_doc(policy: Policy, key: str) -> KnowledgeDoc:
    return KnowledgeDoc(
        key=key,
        kind="policy",
        title=policy.title,
        body=_clean(policy.text),
        tags=tuple(dict.fromkeys(policy.keywords)),
        metadata={"topic": policy.topic},
    )


def _faq_doc(entry: FaqEntry, key: str) -> KnowledgeDoc:
    return KnowledgeDoc(
        key=key,
        kind="faq",
        title=entry.question,
        body=_clean(entry.answer),
        tags=tuple(dict.fromkeys(entry.keywords)),
        metadata={"question": entry.question},
    )


def _hours_doc(profile: RestaurantProfile, key: str) -> KnowledgeDoc:
    """An FAQ entry written from the hours themselves, so it can never disagree with them."""
    hours = OpeningHours(profile)
    sentences = week_sentences(hours, speak_time) + exception_sentences(hours, speak_time)
    return KnowledgeDoc(
        key=key,
        kind="faq",
        title="Opening hours",
        body=" ".join(sentences),
        tags=("hours", "opening hours", "open", "closed", "last seating", "times"),
        metadata={"generated": "hours"},
    )


def _unique(key: str, used: set[str]) -> str:
    candidate, n = key, 2
    while candidate in used:
        candidate, n = f"{key}-{n}", n + 1
    used.add(candidate)
    return candidate


def _clean(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    text = _clean(text)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."
