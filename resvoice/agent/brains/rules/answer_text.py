"""Which sentences of a retrieved document answer the question, and menu hits with prices.

A document's first sentences are usually its answer, but not always: "Do you deliver?" is
answered by the last sentence of the takeout entry ("We do not deliver."). The first sentence
is kept (it says what the entry is about) and a later one that shares more of the question's
words (read through the restaurant lexicon) takes the second place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resvoice.agent.brains.rules.menu_words import price_words, words
from resvoice.agent.events import RagHit
from resvoice.language.phrases import join_words
from resvoice.retrieval.lexicon import expand_query
from resvoice.storage.search_terms import STOP_WORDS

__all__ = ["answer_sentences", "menu_with_prices"]


def answer_sentences(question: str, text: str, count: int = 2) -> str:
    """Up to `count` sentences of `text`: the first ones, unless a later sentence matches the
    question better than the last of them."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    if len(sentences) <= count:
        return " ".join(sentences)
    asked = words(expand_query(question)) - STOP_WORDS
    scores = [len(words(s) & asked) for s in sentences]
    chosen = list(range(count))
    best = max(range(count, len(sentences)), key=lambda i: (scores[i], -i))
    if scores[best] > scores[chosen[-1]]:
        chosen[-1] = best
    return " ".join(sentences[i] for i in chosen)


def menu_with_prices(question: str, menu: Sequence[RagHit]) -> str | None:
    """ "We have the X at $8 and the Y at $17." for a price question about retrieved dishes."""
    if not menu or not price_words(question).any:
        return None
    priced = [f"the {h.title} at {_price(h)}" for h in menu[:3] if _price(h)]
    return f"We have {join_words(priced)}." if priced else None


def _price(hit: RagHit) -> str:
    match = re.match(r"[^,]*,\s*(\$\d+(?:\.\d\d)?)\.", hit.text)  # "Name, $12." opens a menu doc
    return match.group(1) if match else ""
