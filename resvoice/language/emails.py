"""Find an email address a caller types or spells out ("john dot smith at gmail dot com")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import DIGIT_WORDS

__all__ = ["EmailMatch", "extract_email"]


@dataclass(frozen=True, slots=True)
class EmailMatch:
    """An email address, lower-cased, and the words it came from."""

    value: str
    text: str


_WRITTEN_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_SYMBOLS: dict[str, str] = {
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
    "minus": "-",
    "plus": "+",
}
_DIGITS: dict[str, str] = {word: str(value) for word, value in DIGIT_WORDS.items()}
_SYM = r"(?:dot|period|point|underscore|dash|hyphen|minus|plus)"
_UNDER_SCORE_RE = re.compile(r"\bunder\s+score\b", re.IGNORECASE)
_PIECE = r"(?:[a-z0-9](?:[a-z0-9'-]*[a-z0-9])?)"
_TLD = r"(?:com|net|org|edu|gov|io|co|us|uk|ca|au|de|fr|info|biz|me|ai|app|dev)"
# Anchored on the "at <domain> dot <tld>" tail; the local part is read back from there.
_SPOKEN_RE = re.compile(
    rf"\bat\s+(?:sign\s+)?(?P<domain>{_PIECE}(?:\s+{_SYM}\s+{_PIECE}){{0,4}}"
    rf"\s+(?:dot|period|point)\s+{_TLD}(?:\s+(?:dot|period|point)\s+{_TLD})?)\b",
    re.IGNORECASE,
)
_MAX_LOCAL_WORDS = 12
_LEAD_IN_RE = re.compile(
    r"^(?:.*\b(?:email|e-mail|address|mail)\s+(?:address\s+)?(?:is|it's|would\s+be|:)\s+|"
    r".*\b(?:it's|its|it\s+is|is|me\s+at|reach\s+me\s+at)\s+)",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\s+")


def extract_email(text: str) -> EmailMatch | None:
    """Find the first email address in `text`, written or read out word by word.

    Returns:
        The address lower-cased ("john.smith@gmail.com"), or None.
    """
    written = _WRITTEN_RE.search(text)
    if written:
        return EmailMatch(written.group(0).lower().rstrip("."), written.group(0))
    text = _UNDER_SCORE_RE.sub("underscore", text)
    m = _SPOKEN_RE.search(text)
    if m is None:
        return None
    before = text[: m.start()].rstrip()
    local_words = " ".join(before.split()[-_MAX_LOCAL_WORDS:])
    lead = _LEAD_IN_RE.match(local_words)
    local_words = local_words[lead.end() :] if lead else _last_address_words(local_words)
    local = _join(local_words)
    domain = _join(m.group("domain"))
    if not local or not domain:
        return None
    start = before.rfind(local_words.split()[0]) if local_words else m.start()
    return EmailMatch(f"{local}@{domain}", text[start : m.end()])


def _last_address_words(words: str) -> str:
    """Keep only the tail that reads as an address: "my email is john" -> "john"."""
    tokens = _WORD_RE.split(words.strip())
    kept: list[str] = []
    for token in reversed(tokens):
        low = token.lower()
        joins = low in _SYMBOLS or (kept and _joins_left(kept[-1].lower())) or low.isdigit()
        spelled = len(low) == 1 and (not kept or len(kept[-1]) == 1)
        if kept and not joins and not spelled:
            break
        kept.append(token)
    return " ".join(reversed(kept))


def _joins_left(token: str) -> bool:
    return token in _SYMBOLS or token in _DIGITS or token.isdigit()


def _join(words: str) -> str:
    out: list[str] = []
    for token in _WORD_RE.split(words.strip().lower()):
        out.append(_SYMBOLS.get(token, _DIGITS.get(token, token)))
    return "".join(out)
