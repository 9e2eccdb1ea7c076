"""A small restaurant lexicon: the other words callers use for what a restaurant file says.

A caller asks "do you do takeaway?" where the file says "Do you offer takeout?"; "where's the
loo?" where it says "restroom". Keyword search only finds shared words, so `expand_query`
adds a group's other words to the question before keyword search. The groups are general
restaurant vocabulary (US and UK wording, trade words), never one restaurant's text.

A phrase of several words is replaced by its group rather than kept: "web address" must stop
saying "address", or it finds the street address instead of the website.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["GROUPS", "expand_query", "lexicon_words", "synonyms"]

# Each group: words and phrases that mean the same thing to a caller. Hyphens and spaces are
# interchangeable ("take-away", "take away", "takeaway" are all found).
GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "takeout",
        "takeaway",
        "take out",
        "take away",
        "carryout",
        "carry out",
        "to go",
        "pickup",
        "pick up",
        "collection",
        "collect",
    ),
    ("website", "web site", "web address", "webpage", "web page", "url", "homepage"),
    ("email", "e mail", "email address"),
    (
        "restroom",
        "restrooms",
        "bathroom",
        "bathrooms",
        "toilet",
        "toilets",
        "loo",
        "loos",
        "washroom",
        "washrooms",
        "lavatory",
        "wc",
        "ladies room",
        "mens room",
    ),
    ("wifi", "wi fi", "wireless", "wireless internet", "internet access"),
    (
        "beer",
        "beers",
        "lager",
        "lagers",
        "ale",
        "ales",
        "bitter",
        "draft",
        "draught",
        "on tap",
        "pint",
        "pints",
        "ipa",
        "stout",
    ),
    ("dog", "dogs", "pup", "pups", "puppy", "pooch", "pet", "pets"),
    ("parking", "park", "car park", "parking lot", "garage", "valet"),
    (
        "amex",
        "american express",
        "visa",
        "mastercard",
        "credit cards",
        "debit cards",
        "contactless",
    ),
    (
        "wheelchair",
        "wheelchairs",
        "accessible",
        "accessibility",
        "step free",
        "disabled",
        "ramp",
        "mobility",
    ),
    ("outdoor", "outdoors", "outside", "patio", "terrace", "garden", "al fresco", "sidewalk"),
    (
        "children",
        "child",
        "kids",
        "kid",
        "toddler",
        "toddlers",
        "baby",
        "babies",
        "family",
        "families",
    ),
    ("high chair", "high chairs", "highchair", "booster", "booster seat"),
    (
        "address",
        "located",
        "location",
        "directions",
        "whereabouts",
        "where are you",
        "where exactly are you",
        "where is the restaurant",
        "how do i find you",
        "how do i get there",
        "how do we get there",
    ),
    ("sport", "sports", "football", "soccer", "rugby", "tv", "big screen"),
    ("vegetarian", "veggie", "meat free", "meatless", "without meat", "no meat"),
    ("vegan", "plant based", "no animal products"),
    ("gluten", "celiac", "coeliac", "wheat"),
    ("dairy", "lactose", "milk"),
    ("chips", "fries"),
    ("prawn", "prawns", "shrimp"),
    ("aubergine", "eggplant"),
    ("courgette", "zucchini"),
    ("rocket", "arugula"),
    ("coriander", "cilantro"),
    ("dessert", "desserts", "pudding", "puddings", "sweets", "afters"),
    (
        "starter",
        "starters",
        "appetizer",
        "appetizers",
        "appetiser",
        "appetisers",
        "small plate",
        "small plates",
        "small bites",
        "nibbles",
    ),
    (
        "main",
        "mains",
        "main course",
        "main courses",
        "entree",
        "entrees",
        "large plate",
        "large plates",
    ),
    ("cancel", "cancellation", "cancelling", "canceling"),
)

# Words of a phrase that say nothing alone: added as search terms they would find unrelated
# documents ("free" parking for "step free", "out" of "take out").
_WEAK = frozenset(
    [
        "to",
        "go",
        "out",
        "away",
        "up",
        "pick",
        "take",
        "carry",
        "on",
        "tap",
        "web",
        "page",
        "site",
        "free",
        "step",
        "no",
        "without",
        "meat",
        "based",
        "animal",
        "products",
        "car",
        "lot",
        "big",
        "screen",
        "booster",
        "seat",
        "course",
        "courses",
        "al",
        "ladies",
        "mens",
        "room",
        "e",
        "small",
        "large",
        "plate",
        "plates",
        "bites",
        "internet",
        "access",
        "where",
        "exactly",
        "are",
        "you",
        "is",
        "the",
        "restaurant",
        "how",
        "do",
        "i",
        "we",
        "find",
        "get",
        "there",
    ]
)


def synonyms(word: str) -> tuple[str, ...]:
    """Every member of the groups `word` (or phrase) belongs to, itself included."""
    key = _norm(word)
    found: list[str] = []
    for group in _NORMALISED:
        if key in group:
            found.extend(m for m in group if m not in found)
    return tuple(found) or (key,)


def lexicon_words(text: str) -> list[str]:
    """The single words of `text` that belong to a group (a searcher checks which of them
    its documents already use, see `expand_query`)."""
    said = _norm(text).split()
    members = {m for group in _NORMALISED for m in group if " " not in m}
    return [w for w in dict.fromkeys(said) if w in members or _stem(w) in members]


def expand_query(text: str, known: Collection[str] | None = None) -> str:
    """`text` with the other words of every group it mentions; a several-word phrase it
    names is replaced by its group's words (see the module doc). A one-word member in
    `known` (the documents already use it) brings no other words: it needs no translating."""
    work = f" {_norm(text)} "
    added: list[str] = []
    for group in _NORMALISED:
        hit = False
        for member in sorted(group, key=len, reverse=True):
            pattern = rf" {re.escape(member)}(?:s|es)? "  # "highchairs" is a "highchair"
            found = re.search(pattern, work)
            if found is None:
                continue
            if " " in member:  # "web address": its words must not search on their own
                work = re.sub(pattern, " ", work)
                hit = True
            elif known is None or found.group().strip() not in known:
                hit = True
        if hit:
            added.extend(_terms(group))
    if not added:
        return text
    # search stems words ("restrooms" is "restroom"): one term per stem, none the caller said
    said = {_stem(w) for w in work.split()}
    extra: list[str] = []
    for term in added:
        if _stem(term) not in said:
            said.add(_stem(term))
            extra.append(term)
    return " ".join([work.strip(), *extra]).strip()


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _terms(group: tuple[str, ...]) -> list[str]:
    """The search words of a group: its one-word members, and the words of its phrases that
    are not weak and not a member of another group ("address" of "web address")."""
    words = [m for m in group if " " not in m]
    for member in group:
        words += [w for w in member.split() if w not in _WEAK and _elsewhere(w, group)]
    return list(dict.fromkeys(words))


def _elsewhere(word: str, group: tuple[str, ...]) -> bool:
    return word in group or not any(word in other for other in _NORMALISED if other != group)


_NORMALISED: tuple[tuple[str, ...], ...] = tuple(
    tuple(dict.fromkeys(_norm(m) for m in group)) for group in GROUPS
)
