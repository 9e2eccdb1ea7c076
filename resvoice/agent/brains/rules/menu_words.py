"""The words of menu questions: diets and allergens in callers' wording, price questions,
whether an utterance asks at all, and what a dish's tags and allergens say about a diet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from resvoice.restaurant.profile import MenuItem

__all__ = [
    "DIETS",
    "Diet",
    "PriceAsk",
    "allergen_asked",
    "asks",
    "contains",
    "diet_asked",
    "first_sentence",
    "has_diet",
    "price_words",
    "words",
]


@dataclass(frozen=True)
class Diet:
    """A diet a caller asks for: the menu tags that mark it, and the allergen it avoids."""

    label: str  # as said back: "vegetarian", "gluten-free"
    tags: tuple[str, ...]  # normalised tags that mark a dish as fitting
    said: re.Pattern[str]  # how callers say it, including as an absence ("without meat")
    free_of: str | None = None  # the allergen whose absence also fits ("gluten")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_NOT = (
    r"(?:no|without|free\s+of|avoid(?:ing)?|allergic\s+to|intolerant\s+to|not\s+(?:eating|having)"
    r"|(?:don'?t|doesn'?t|does\s+not|do\s+not|won'?t|never|can'?t|cannot)\s+(?:eat|have|do))"
)
# Order matters: vegan before vegetarian ("plant-based vegetarian" is vegan's word).
DIETS: tuple[Diet, ...] = (
    Diet(
        "vegan",
        ("vegan", "plant-based"),
        _rx(r"\bvegan|\bplant[\s-]?based|\bno\s+animal\s+products"),
    ),
    Diet(
        "vegetarian",
        ("vegetarian", "veggie", "vegan", "plant-based"),
        _rx(
            rf"\bvegetarian|\bveggie|\bmeat[\s-]?free|\bmeatless|\b{_NOT}\s+(?:any\s+)?meat\b"
            r"|\bnon[\s-]?meat\b|\bnot\s+a\s+meat\s+eater"
        ),
    ),
    Diet(
        "gluten-free",
        ("gluten-free",),
        _rx(rf"\bgluten\b|\b(?:c|co)eliac|\b{_NOT}\s+(?:any\s+)?wheat\b"),
        "gluten",
    ),
    Diet(
        "dairy-free",
        ("dairy-free", "vegan", "plant-based"),
        _rx(rf"\bdairy\b|\blactose|\b{_NOT}\s+(?:any\s+)?(?:milk|cheese)\b"),
        "dairy",
    ),
    Diet(
        "nut-free",
        ("nut-free",),
        _rx(rf"\bnut[\s-]?free|\b{_NOT}\s+(?:any\s+)?(?:tree\s+)?(?:pea)?nuts?\b"),
        "nuts",
    ),
    Diet("spicy", ("spicy", "hot"), _rx(r"\bspicy|\bspice\b|\bwith\s+a\s+kick|\bheat\b")),
    Diet("halal", ("halal",), _rx(r"\bhalal")),
    Diet("kosher", ("kosher",), _rx(r"\bkosher")),
    Diet("pescatarian", ("pescatarian",), _rx(r"\bpescatarian|\bpescetarian")),
)
_TAG_SAME = {
    "veg": "vegetarian",
    "v": "vegetarian",
    "vg": "vegan",
    "gf": "gluten-free",
    "df": "dairy-free",
    "nf": "nut-free",
}

# allergen -> words for it, as callers say them and as descriptions show them
_ALLERGENS: dict[str, tuple[str, ...]] = {
    "nuts": (
        "nut",
        "nuts",
        "peanut",
        "peanuts",
        "almond",
        "almonds",
        "walnut",
        "walnuts",
        "pistachio",
        "pistachios",
        "cashew",
        "cashews",
        "hazelnut",
        "hazelnuts",
        "pecan",
        "pecans",
        "pine nut",
        "pine nuts",
    ),
    "dairy": ("dairy", "milk", "cheese", "cream", "butter", "lactose", "yoghurt", "yogurt"),
    "gluten": ("gluten", "wheat", "flour"),
    "eggs": ("egg", "eggs"),
    "shellfish": ("shellfish", "shrimp", "prawn", "prawns", "crab", "lobster", "clams", "mussels"),
    "fish": ("fish",),
    "sesame": ("sesame", "tahini"),
    "soy": ("soy", "soya"),
    "mustard": ("mustard",),
    "celery": ("celery",),
}
_ALLERGEN_Q = _rx(
    r"\b(?:have|has|contain|contains|got|with|any|there|made\s+with|use|uses|cooked\s+in)\b"
)
_ASKS = _rx(
    r"\?\s*$|^\W*(?:so\s+|and\s+|um+\s+|uh+\s+|oh\s+|hi\s+|hey\s+|also\s+|just\s+)?"
    r"(?:what|whats|which|where|how|do|does|did|can|could|is|isn'?t|are|will|would|may|"
    r"have|has|got|any|anything|tell|describe|i'?d\s+like\s+to\s+know|wondering)\b"
    r"|\b(?:tell\s+me|wondering|i\s+wanted\s+to\s+(?:know|ask)|what'?s|what\s+is|how\s+much"
    r"|anything|any\s+\w+\s+options)\b"
    r"|[,.;!]\s*(?:so\s+|and\s+)?(?:what|which|where|how|do|does|can|could|is|are|any)\b"
)
_CHEAPEST = _rx(
    r"\b(?:cheapest|least\s+expensive|lowest[\s-]priced|most\s+affordable|cheaper|budget)\b"
)
_DEAREST = _rx(r"\b(?:most\s+expensive|priciest|dearest|highest[\s-]priced|fanciest)\b")
_LIMIT = _rx(
    r"\b(?:under|below|less\s+than|cheaper\s+than|up\s+to|no\s+more\s+than|within)\s+"
    r"\$?\s*(\d+(?:\.\d+)?)"
)
_PRICE = _rx(
    r"\b(?:how\s+much|price|prices|priced|cost|costs|pricey|expensive|cheap|afford|"
    r"dollars?|bucks|pounds|euros)\b|\$\s*\d"
)


@dataclass(frozen=True)
class PriceAsk:
    """What a caller asks about prices: anything at all, the extremes, or a ceiling."""

    any: bool = False
    cheapest: bool = False
    dearest: bool = False
    limit: float | None = None


def words(text: str) -> set[str]:
    """Lower-case words, with plurals read as singular ("meatballs" finds "Meatball")."""
    raw = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return {_singular(w) for w in raw if w not in _NAME_STOP}


def asks(text: str) -> bool:
    """True when `text` asks something (a question form, or "tell me about ...")."""
    return _ASKS.search(text.strip()) is not None


def diet_asked(text: str) -> Diet | None:
    return next((d for d in DIETS if d.said.search(text)), None)


def allergen_asked(text: str) -> str | None:
    """The allergen a question names ("does it have nuts", "any dairy in it"), if any."""
    if not _ALLERGEN_Q.search(text):
        return None
    said = " ".join(re.findall(r"[a-z]+", text.lower()))
    for allergen, forms in _ALLERGENS.items():
        if any(re.search(rf"\b{re.escape(f)}\b", said) for f in forms):
            return allergen
    return None


def price_words(text: str) -> PriceAsk:
    limit = _LIMIT.search(text)
    cheapest = _CHEAPEST.search(text) is not None
    dearest = _DEAREST.search(text) is not None
    return PriceAsk(
        any=bool(cheapest or dearest or limit or _PRICE.search(text)),
        cheapest=cheapest and not dearest,
        dearest=dearest,
        limit=float(limit.group(1)) if limit else None,
    )


def has_diet(item: MenuItem, diet: Diet) -> bool | None:
    """True when the dish is marked for `diet`; False when its tags or allergens rule it
    out; None when the menu does not say (an allergen diet with no allergens listed)."""
    tags = {_tag(t) for t in item.tags}
    if tags & set(diet.tags):
        return True
    if diet.free_of is not None:
        if contains(item, diet.free_of):
            return False
        return True if item.allergens else None
    return False


def contains(item: MenuItem, allergen: str) -> bool:
    """True when the dish lists `allergen`, or its name or description shows it."""
    listed = {_singular(a.lower()) for a in item.allergens}
    if _singular(allergen) in listed:
        return True
    if allergen == "dairy" and _tag("dairy-free") in {_tag(t) for t in item.tags}:
        return False
    text = " ".join(re.findall(r"[a-z]+", f"{item.name} {item.description}".lower()))
    forms = _ALLERGENS.get(allergen, (allergen,))
    if allergen == "dairy" and any(_tag(t) in ("vegan", "plant-based") for t in item.tags):
        return False  # "cashew cream" in a vegan dish is no dairy
    return any(re.search(rf"\b{re.escape(f)}\b", text) for f in forms)


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", " ".join(text.split()), maxsplit=1)[0]


_NAME_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "with",
        "of",
        "in",
        "on",
        "al",
        "alle",
        "alla",
        "e",
        "di",
        "de",
        "del",
        "la",
        "le",
        "el",
        "los",
        "da",
        "con",
        "au",
        "aux",
    ]
)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _tag(tag: str) -> str:
    key = re.sub(r"[\s_]+", "-", tag.strip().lower())
    return _TAG_SAME.get(key, key)
