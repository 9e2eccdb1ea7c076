"""Turn a caller's free text into safe keyword-search terms, for any backend.

Callers say things like `is the "dog's" menu NOT spicy (` -- quotes, apostrophes, brackets and
words that full-text engines read as operators. We keep only word tokens, drop stop words and
let each backend quote them (FTS5 here, `to_tsquery` in Postgres), so no input is ever syntax.
"""

from __future__ import annotations

import re

__all__ = ["STOP_WORDS", "fts5_query", "search_terms"]

MAX_TERMS = 32

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself near no nor not of off on once
    only or other our ours ourselves out over own please same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yours yourself yourselves hi hello hey um uh like okay ok yeah yes tell know
    want wanted wondering
    """.split()  # noqa: SIM905
)

_WORD = re.compile(r"\w+")


def search_terms(text: str) -> list[str]:
    """Lower-cased word tokens of `text`, stop words and single letters dropped, deduplicated.

    Returns an empty list when nothing searchable is left; callers then return no hits.
    """
    terms: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("_")
        if not word or word in STOP_WORDS or (len(word) == 1 and not word.isdigit()):
            continue
        if word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression that ORs the terms, each a quoted string (never an operator)."""
    return " OR ".join(f'"{term}"' for term in terms)
