"""Menu questions answered from the restaurant's own menu: one dish, a diet, prices.

"What's in the calamari?", "is the diavola spicy?", "does the pesto have nuts?", "anything
without meat?", "what's the cheapest main?", "anything under 20 dollars?": the answer is in
the menu's structured data (description, tags, allergens, category, price), so it is read from
there rather than from the best retrieved snippet. What a question names on the menu (dishes,
categories, a kind of dish) is found by `menu_lookup.py`; this module reads what is asked of
it and says the answer. Nothing here knows one restaurant: every word said comes from the
profile.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resvoice.agent.brains.rules.menu_lookup import (
    about_food,
    blocked_words,
    food_items,
    named_categories,
    named_dishes,
    named_kind,
    policy_words,
)
from resvoice.agent.brains.rules.menu_words import (
    Diet,
    PriceAsk,
    allergen_asked,
    asks,
    contains,
    diet_asked,
    first_sentence,
    has_diet,
    price_words,
    words,
)
from resvoice.language.phrases import join_words
from resvoice.restaurant.loader import speak_price
from resvoice.restaurant.profile import MenuItem, RestaurantProfile

__all__ = ["MenuQuestion", "read_menu_question"]


@dataclass(frozen=True)
class MenuQuestion:
    """What a caller asked about the menu, and the answer from the menu."""

    answer: str
    dishes: tuple[MenuItem, ...] = ()  # the dishes the question named


def read_menu_question(profile: RestaurantProfile, text: str) -> MenuQuestion | None:
    """The menu's answer to `text`, or None when it is not a question about dishes, a diet
    or prices this module can answer (retrieval answers the rest)."""
    menu = profile.menu
    if not menu or not asks(text):
        return None
    said = words(text)
    blocked = blocked_words(profile)
    dishes = named_dishes(menu, said, blocked)
    categories = named_categories(menu, text)
    if dishes:
        return MenuQuestion(_about_dishes(profile, dishes, text), tuple(dishes))
    diet = diet_asked(text)
    prices = price_words(text)
    policy = policy_words(profile)
    kind, kind_items = named_kind(menu, said, policy)
    if categories:
        scope, label = [i for i in menu if i.category in categories], _plural(categories[0])
    elif kind_items:
        scope, label = kind_items, _plural(kind)
    else:
        scope, label = food_items(menu), ""
    if prices.any and (label or about_food(said, policy)):
        fitting = [i for i in scope if has_diet(i, diet)] if diet is not None else []
        if diet is not None and fitting:  # "how much is the gluten-free pizza?"
            scope, label = fitting, f"{diet.label} {label or 'dishes'}"
        line = _price_answer(scope, prices, label)
        return MenuQuestion(line) if line else None
    if diet is not None:
        return MenuQuestion(_diet_answer(profile, scope, diet, label))
    if label and _lists_category(text):
        return MenuQuestion(f"Our {label} include {_names(scope, 5)}.")
    if _OVERVIEW.search(text):
        kinds = join_words([_plural(c) for c in dict.fromkeys(i.category for i in menu)])
        return MenuQuestion(f"Our menu has {kinds}, like {_names(food_items(menu), 3, 'the ')}.")
    return None


# --- answers ---------------------------------------------------------------------------------


def _about_dishes(profile: RestaurantProfile, dishes: list[MenuItem], text: str) -> str:
    prices = price_words(text)
    if prices.any:
        return " ".join(f"The {d.name} {_is(d.name)} {speak_price(d.price)}." for d in dishes)
    dish = dishes[0]
    allergen = allergen_asked(text)
    diet = diet_asked(text)
    if diet is not None and (allergen is None or _FREE.search(text)):
        return _yes_no_diet(profile, dish, diet)
    if allergen is not None:
        if contains(dish, allergen):
            return f"Yes, the {dish.name} contains {allergen}."
        caution = _allergy_caution(profile)
        return f"No, the {dish.name} is made without {allergen}.{caution}"
    if _EXISTS.search(text) and not _DESCRIBE.search(text):
        if len(dishes) == 1:
            return f"Yes, we have the {dish.name}. {_describe(dish)}"
        listed = join_words([f"the {d.name} at {speak_price(d.price)}" for d in dishes])
        return f"Yes, we have {listed}."
    if len(dishes) > 1:
        return " ".join(_describe(d) for d in dishes[:2])
    return _describe(dish)


def _describe(dish: MenuItem) -> str:
    desc = dish.description.strip().rstrip(".")
    if desc:
        first, _, rest = desc.partition(" ")
        proper = rest[:1].isupper() or (len(first) > 1 and not first[1:].islower())
        lead = desc if proper else desc[:1].lower() + desc[1:]
        line = f"The {dish.name} {_is(dish.name)} {lead}, for {speak_price(dish.price)}."
    else:
        line = f"The {dish.name} {_is(dish.name)} {speak_price(dish.price)}."
    if dish.allergens:
        line += f" It contains {join_words(list(dish.allergens))}."
    return line


def _is(name: str) -> str:
    last = name.split()[-1].lower()
    return "are" if last.endswith("s") and not last.endswith(("ss", "us")) else "is"


def _yes_no_diet(profile: RestaurantProfile, dish: MenuItem, diet: Diet) -> str:
    verdict = has_diet(dish, diet)
    if verdict:
        return f"Yes, the {dish.name} is {diet.label}."
    if diet.free_of and contains(dish, diet.free_of):
        return f"No, the {dish.name} contains {diet.free_of}.{_allergy_caution(profile)}"
    if verdict is None:
        return f"The {dish.name} isn't marked {diet.label} on our menu.{_allergy_caution(profile)}"
    others = [i for i in food_items(profile.menu) if has_diet(i, diet)]
    instead = f" Our {diet.label} dishes include {_names(others, 3)}." if others else ""
    return f"No, the {dish.name} isn't {diet.label}.{instead}"


def _diet_answer(profile: RestaurantProfile, scope: list[MenuItem], diet: Diet, label: str) -> str:
    fitting = [i for i in scope if has_diet(i, diet)]
    what = f"{diet.label} {label}" if label else f"{diet.label} dishes"
    caution = _allergy_caution(profile) if diet.free_of else ""
    if not fitting:
        return f"I'm sorry, our menu has no {what} marked.{caution}"
    return f"Our {what} include {_names(fitting, 5)}.{caution}"


def _price_answer(scope: list[MenuItem], prices: PriceAsk, label: str) -> str:
    if not scope:
        return ""
    what = label or "menu"
    if len(scope) == 1:
        return f"The {scope[0].name} {_is(scope[0].name)} {speak_price(scope[0].price)}."
    if prices.cheapest or prices.dearest:
        pick = (min if prices.cheapest else max)(scope, key=lambda i: i.price)
        which = "least expensive" if prices.cheapest else "most expensive"
        where = f"of our {what}" if label else "dish on our menu"
        return f"The {which} {where} is the {pick.name}, at {speak_price(pick.price)}."
    if prices.limit is not None:
        under = sorted((i for i in scope if i.price <= prices.limit), key=lambda i: i.price)
        if not under:
            return f"I'm sorry, nothing on our {what} is {speak_price(prices.limit)} or less."
        listed = join_words([f"the {i.name} at {speak_price(i.price)}" for i in _spread(under, 4)])
        return f"At {speak_price(prices.limit)} or less we have {listed}."
    low = min(scope, key=lambda i: i.price)
    high = max(scope, key=lambda i: i.price)
    name = f"Our {what}" if label else "Our dishes"
    return (
        f"{name} run from {speak_price(low.price)} for the {low.name} to "
        f"{speak_price(high.price)} for the {high.name}."
    )


def _allergy_caution(profile: RestaurantProfile) -> str:
    policy = next((p for p in profile.policies if "allerg" in f"{p.topic} {p.title}".lower()), None)
    return f" {first_sentence(policy.text)}" if policy else ""


# --- helpers ---------------------------------------------------------------------------------

_MASS = frozenset(["pasta", "pizza", "seafood", "fish", "food", "bread", "rice", "soup", "meat"])
_OVERVIEW = re.compile(
    r"\bwhat(?:'?s|\s+is|\s+do\s+you\s+have)\s+on\s+(?:the|your)\s+menu\b"
    r"|\bwhat\s+(?:kind|sort|type)s?\s+of\s+(?:food|cuisine|dishes|menu)\b"
    r"|\bwhat\s+(?:food\s+)?do\s+you\s+(?:serve|cook|do)\b",
    re.IGNORECASE,
)
_EXISTS = re.compile(
    r"\b(?:do|have|did)\s+(?:you|y'?all)\s+(?:have|got|serve|do|make|still)\b|\bis\s+there\b"
    r"|\bare\s+there\b|\bany\b|\bhave\s+you\s+got\b",
    re.IGNORECASE,
)
_DESCRIBE = re.compile(
    r"\bwhat\b|\bwhats\b|\btell\s+me\b|\bdescribe\b|\bcomes?\s+with\b|\bserved\b"
    r"|\bmade\b|\bingredients?\b|\blike\b",
    re.IGNORECASE,
)
_FREE = re.compile(r"\bfree\b|\bintoleran|\b(?:c|co)eliac|\bvegan|\bvegetarian", re.IGNORECASE)
_LISTS = re.compile(
    r"\bwhat\b.*\b(?:have|got|serve|do|are|is|on)\b|\bwhich\b|\bany\b|\blist\b|\boptions\b",
    re.IGNORECASE,
)


def _lists_category(text: str) -> bool:
    return _LISTS.search(text) is not None


def _names(items: Sequence[MenuItem], count: int, article: str = "") -> str:
    return join_words([f"{article}{i.name}" for i in _spread(items, count)])


def _plural(noun: str) -> str:
    """How a category or kind is said in a list: "mains", "pasta dishes", "wines"."""
    noun = noun.lower()
    if noun.endswith("s"):
        return noun
    if noun in _MASS:
        return f"{noun} dishes"
    return f"{noun}es" if noun.endswith(("sh", "ch", "x")) else f"{noun}s"


def _spread(items: Sequence[MenuItem], count: int) -> list[MenuItem]:
    """Up to `count` items taken in turn from each category, so a list shows the menu's
    range (a starter, a main, a dessert) rather than the first category's."""
    by_category: dict[str, list[MenuItem]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    picked: list[MenuItem] = []
    while len(picked) < count and any(by_category.values()):
        for queue in by_category.values():
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked
