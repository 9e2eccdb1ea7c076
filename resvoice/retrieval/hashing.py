"""`HashingEmbedder`: a deterministic bag-of-features embedder that needs nothing downloaded.

The default when no model is installed. Text is lower-cased, split into words, stop words
dropped and words lightly stemmed ("dogs" -> "dog", "parking" -> "park"); a small, explicit
synonym table adds restaurant words a caller may use for a document's words ("dog" also
counts as "pet"). Word unigrams, word bigrams and character trigrams within words are
feature-hashed (CRC-32, stable across processes, unlike `hash()`) into signed buckets, with
sublinear term frequency, and the vector is L2-normalised.

It matches words and their spelling neighbours, not meaning: "can I bring my dog" finds the
pets policy through "dog", but a paraphrase sharing no word with a document will miss. The
MiniLM embedder covers that when installed.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

__all__ = ["SYNONYMS", "HashingEmbedder", "features", "normalize_words"]

UNIGRAM_WEIGHT = 1.0
BIGRAM_WEIGHT = 0.6
TRIGRAM_WEIGHT = 0.25  # per trigram; a word has several, so its spelling still counts
SYNONYM_WEIGHT = 0.7

# Extra words a word stands for, applied to documents and queries alike, so "dog" in a query
# meets "pet" in a text. Kept small and explicit: every entry is a word callers really use.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "dog": ("pet",),
    "puppy": ("dog", "pet"),
    "cat": ("pet",),
    "pet": ("animal",),
    "animal": ("pet",),
    "wheelchair": ("accessible",),
    "accessible": ("wheelchair",),
    "accessibility": ("accessible", "wheelchair"),
    "disabled": ("accessible",),
    "ramp": ("accessible",),
    "kid": ("child",),
    "child": ("kid",),
    "baby": ("child",),
    "toddler": ("child",),
    "vegan": ("plant", "based"),
    "plant": ("vegan",),
    "gluten": ("celiac",),
    "celiac": ("gluten",),
    "coeliac": ("gluten", "celiac"),
    "wheat": ("gluten",),
    "car": ("park",),
    "garage": ("park",),
    "valet": ("park",),
    "birthday": ("celebration", "cake"),
    "anniversary": ("celebration",),
    "celebrate": ("celebration",),
    "cancellation": ("cancel",),
    "cancel": ("cancellation",),
    "reservation": ("book",),
    "reserve": ("book", "reservation"),
    "book": ("reservation",),
    "allergic": ("allergy",),
    "allergen": ("allergy",),
    "nut": ("allergy",),
    "byob": ("corkage", "wine"),
    "corkage": ("wine",),
    "takeaway": ("takeout",),
    "pickup": ("takeout",),
    "delivery": ("takeout",),
    "located": ("address", "location"),
    "location": ("address",),
    "directions": ("address",),
    "open": ("hour",),
    "close": ("hour",),
    "group": ("party",),
    "wear": ("dress",),
    "attire": ("dress",),
    "pay": ("payment",),
    "card": ("payment",),
    "outside": ("outdoor", "patio"),
    "outdoor": ("patio",),
    "terrace": ("patio", "outdoor"),
    "late": ("delay",),
}

_IRREGULAR = {"children": "child", "kids": "kid", "people": "person", "teeth": "tooth"}

_STOP_WORDS = frozenset(
    """
    a about am an and any are as at be been but by can could did do does doing for from had
    has have how i if in is it its just me my of on or our please so some that the their them
    then there these they this those to too us was we were what whats when where which who
    will with would you your yours hi hello hey um uh okay ok yeah yes like tell know want
    wondering get got there's i'm i'd id im
    """.split()  # noqa: SIM905
)

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Signed feature hashing of words, word pairs and character trigrams; no model files."""

    name = "hashing-v1"

    def __init__(self, dim: int = 384) -> None:
        if dim < 16:
            raise ValueError("dim must be at least 16")
        self.dim = dim

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        # ~0.1 ms a text: cheaper inline than a thread hop, even for a seed of a few hundred.
        return [vector.tolist() for vector in self.embed_many(texts)]

    def embed_many(self, texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        """Synchronous embedding, for benchmarks and callers off the event loop."""
        return [self.embed_one(text) for text in texts]

    def embed_one(self, text: str) -> npt.NDArray[np.float32]:
        vector = np.zeros(self.dim, dtype=np.float32)
        for feature, weight in features(text).items():
            index, sign = _bucket(feature, self.dim)
            vector[index] += sign * weight
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            vector /= norm
        return vector


def features(text: str) -> dict[str, float]:
    """Weighted features of `text` (before hashing), for inspection and tests."""
    words = normalize_words(text)
    counts: dict[str, float] = {}

    def add(feature: str, weight: float) -> None:
        counts[feature] = counts.get(feature, 0.0) + weight

    for word in words:
        add(f"w:{word}", UNIGRAM_WEIGHT)
        padded = f"<{word}>"
        for i in range(len(padded) - 2):
            add(f"c:{padded[i : i + 3]}", TRIGRAM_WEIGHT)
        for extra in _STEMMED_SYNONYMS.get(word, ()):
            add(f"w:{extra}", SYNONYM_WEIGHT)
    for first, second in itertools.pairwise(words):
        add(f"b:{first} {second}", BIGRAM_WEIGHT)
    # Sublinear term frequency: a word said five times is not five times as relevant.
    return {
        feature: 1.0 + math.log(total) if total > 1 else total for feature, total in counts.items()
    }


def normalize_words(text: str) -> list[str]:
    """Lower-cased, stemmed content words: `"Can I bring my dogs?"` -> `["bring", "dog"]`."""
    words = []
    for raw in _WORD.findall(text.lower()):
        if raw in _STOP_WORDS or (len(raw) == 1 and not raw.isdigit()):
            continue
        words.append(_stem(raw))
    return words


# Both caches are per process and every new caller sentence brings new words and bigrams, so
# a long-running server fills them: their bounds keep that under ~6 MB (they were 82 MB).
@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """A deliberately small suffix stripper; the same word always gives the same stem."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        word = word[:-2]
    if word.endswith("e") and not word.endswith("ee") and len(word) > 3:
        word = word[:-1]  # "serve", "served" and "serving" all become "serv"
    return word


_STEMMED_SYNONYMS = {
    _stem(word): tuple(_stem(extra) for extra in extras) for word, extras in SYNONYMS.items()
}


@lru_cache(maxsize=16384)
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = zlib.crc32(feature.encode("utf-8"))
    return (digest >> 1) % dim, 1.0 if digest & 1 else -1.0
