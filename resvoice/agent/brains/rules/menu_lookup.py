"""What on the menu a question names: dishes, categories, a kind several dishes share.

A dish is found by the words of its name that no other dish shares ("the diavola"), never by a
general word ("house", "garden"), a category, a diet or a word of the restaurant's policies and
FAQ; categories by their name or a general word for them ("entree" for "mains", "pudding" for
"desserts", see `retrieval.lexicon`); a kind by a word several dishes' names share ("wines",
"salads"). Drinks are set apart from the food. A word the recogniser spelled as it half heard
it ("Calimary", "Barata") finds the dish whose word it nearly sounds like. Nothing here knows
one restaurant: every word comes from the profile.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence

from resvoice.agent.brains.rules.menu_words import DIETS, words
from resvoice.restaurant.profile import MenuItem, RestaurantProfile
from resvoice.retrieval.lexicon import synonyms
from resvoice.storage.search_terms import STOP_WORDS

__all__ = [
    "about_food",
    "blocked_words",
    "food_items",
    "named_categories",
    "named_dishes",
    "named_kind",
    "policy_words",
]

_DRINKS = frozenset(
    [
        "drinks",
        "drink",
        "beverages",
        "beverage",
        "cocktails",
        "wine",
        "wines",
        "beer",
        "beers",
        "bar",
        "coffee",
        "tea",
        "spirits",
    ]
)
_GENERAL = frozenset(
    [
        "house",
        "side",
        "special",
        "specials",
        "fresh",
        "classic",
        "kids",
        "kid",
        "water",
        "table",
        "bar",
        "room",
        "hot",
        "cold",
        "small",
        "large",
        "our",
        "daily",
        "chef",
        "home",
        "homemade",
        "mixed",
        "plate",
        "board",
        "beer",
        "wine",
        "glass",
        "bottle",
        "garden",
        "dish",
        "dishes",
        "menu",
        "food",
    ]
)
_NOT_A_KIND = frozenset(
    [
        *("house", "side", "special", "fresh", "classic", "our", "daily", "chef", "mixed"),
        *("small", "large", "hot", "cold", "free", "gluten", "vegan", "dairy", "style", "wood"),
    ]
)
_FOOD = frozenset(
    [
        "dish",
        "dishes",
        "food",
        "menu",
        "meal",
        "meals",
        "thing",
        "things",
        "anything",
        "something",
        "item",
        "items",
        "plate",
        "plates",
        "eat",
        "eating",
        "order",
    ]
)


def named_dishes(
    menu: Sequence[MenuItem], said: set[str], blocked: frozenset[str] = frozenset()
) -> list[MenuItem]:
    """The dishes `said` names: by a word of the name no more than two dishes share (not a
    general word like "house" or a category), the best-matched first; [] when none or when
    the words fit too many dishes to mean one."""
    counts = Counter(w for item in menu for w in set(words(item.name)))
    said = said | _heard_near(said - counts.keys(), counts.keys() - blocked)
    scored: list[tuple[float, MenuItem]] = []
    for item in menu:
        name = words(item.name)
        matched = name & said
        telling = [w for w in matched if w not in blocked and counts[w] <= 2]
        if not telling and not (matched and matched == name and len(name) > 1):
            continue
        score = sum(1.0 / counts[w] for w in matched) + (1.0 if matched == name else 0.0)
        scored.append((score, item))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    top = [item for score, item in scored if score == best]
    return top if len(top) <= 3 else []


def _heard_near(said: set[str], names: set[str]) -> set[str]:
    """The dish-name words that words of `said` are a recogniser's spelling of: "calimary" is
    "calamari", "barata" "burrata", "tiramisoo" "tiramisu". A word and a name word must both be
    five letters or more, start alike and sound nearly the same (`_sound`, compared by
    `difflib`), so "pasta" is never "pesto" and short words are never read as dishes."""
    heard = [w for w in said if len(w) >= 5 and w not in STOP_WORDS]
    if not heard:
        return set()
    keys = {name: _sound(name) for name in names if len(name) >= 5}
    return {
        name
        for word in heard
        for name, key in keys.items()
        if name[0] == word[0] and difflib.SequenceMatcher(None, _sound(word), key).ratio() >= _NEAR
    }


_NEAR = 0.8


def _sound(word: str) -> str:
    """A rough spelling-free key: "ph" as "f", a hard "c" as "k", "y" as "i", "oo" as "u",
    doubled letters once ("burrata" and "barata" differ only in their first vowel)."""
    key = word.replace("ph", "f").replace("ck", "k").replace("oo", "u").replace("y", "i")
    key = re.sub(r"c(?=[aou]|$)", "k", key)
    return re.sub(r"(.)\1+", r"\1", key)


def food_items(menu: Sequence[MenuItem]) -> list[MenuItem]:
    """The dishes, not the drinks (unless the menu is all drinks)."""
    food = [i for i in menu if not (words(i.category) & _DRINKS)]
    return food or list(menu)


def named_categories(menu: Sequence[MenuItem], text: str) -> list[str]:
    """The menu's categories `text` names, by their name or a general word for one."""
    flat = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))) + " "
    found: list[str] = []
    for category in dict.fromkeys(i.category for i in menu):
        names = {category.lower(), *synonyms(category)}
        if any(_says(flat, n) for n in names):
            found.append(category)
    return found


def _says(flat: str, name: str) -> bool:
    stem = name.lower().rstrip("s")
    return bool(re.search(rf" {re.escape(stem)}(?:e?s)? ", flat))


def about_food(said: set[str], policy: frozenset[str]) -> bool:
    """A price question with no dish or category named is about the menu when it says so
    ("the cheapest thing on the menu") and names no policy ("how much is corkage")."""
    return bool(said & words(" ".join(_FOOD))) and not said & (policy - _FOOD)


def blocked_words(profile: RestaurantProfile) -> frozenset[str]:
    """Words that name no one dish: general words, categories, diets, and the words of the
    restaurant's policies and FAQ ("garden" of a beer garden is not the Garden Pizza)."""
    out: set[str] = set(_GENERAL)
    for item in profile.menu:
        out |= words(item.category)
        out |= {w for t in item.tags for w in words(t)}
    for diet in DIETS:
        out |= words(diet.label)
    return frozenset(out | policy_words(profile))


def policy_words(profile: RestaurantProfile) -> frozenset[str]:
    """The words of the restaurant's policy titles and policy and FAQ keywords."""
    out: set[str] = set()
    for policy in profile.policies:
        out |= words(policy.title) | {w for k in policy.keywords for w in words(k)}
    for entry in profile.faq:
        out |= {w for k in entry.keywords for w in words(k)}
    return frozenset(out - STOP_WORDS)


def named_kind(
    menu: Sequence[MenuItem], said: set[str], policy: frozenset[str]
) -> tuple[str, list[MenuItem]]:
    """A word the question shares with the names of several dishes ("wines", "salads"), and
    those dishes; none when the question also names a policy ("bring our own wine")."""
    counts = Counter(w for item in menu for w in set(words(item.name)))
    shared = [w for w in said if counts[w] >= 2 and w not in _NOT_A_KIND]
    if not shared or said & (policy - set(shared) - _FOOD):
        return "", []
    kind = max(shared, key=lambda w: (counts[w], w))
    return kind, [i for i in menu if kind in words(i.name)]
