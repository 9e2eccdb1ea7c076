"""Find a phone number a caller reads out or types, and normalise it to E.164 when valid."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import DIGIT_WORDS, parse_number
from .phone_validity import valid_e164

__all__ = ["PhoneMatch", "extract_phone", "region_named", "tail_correction"]


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A phone number: `digits` as heard (with a leading "+" if said), `e164` when valid."""

    digits: str
    text: str
    e164: str | None

    @property
    def value(self) -> str:
        """The best form to store: E.164 when valid, else the digits as spoken."""
        return self.e164 or self.digits


_MIN_DIGITS = 7
_MAX_DIGITS = 15
_DIGIT_WORDS: dict[str, str] = {
    **{word: str(value) for word, value in DIGIT_WORDS.items()},
    "oh": "0",
    "o": "0",
    "nought": "0",
    "fine": "5",  # Whisper's "five" among digits; alone it is never seven digits long
}
_REPEAT: dict[str, int] = {"double": 2, "triple": 3}
# One token of a spoken or written number: digit groups, digit words, "double five", "plus".
_UNIT_WORDS = r"(?:zero|oh|o|nought|one|two|three|four|five|fine|six|seven|eight|nine)"
_TENS_WORDS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_TEEN_WORDS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TOKEN_RE = re.compile(
    rf"\+|\bplus\b|(?<![A-Za-z\d])\d+|\b(?:double|triple|hundred|thousand)\b|"
    rf"\b{_TENS_WORDS}(?:[\s-]+(?!oh\b|o\b|zero\b|nought\b){_UNIT_WORDS})?\b|"
    rf"\b{_TEEN_WORDS}\b|\b{_UNIT_WORDS}\b",
    re.IGNORECASE,
)
_ISO_DATE_RE = re.compile(r"^(?:19|20)\d\d-\d\d?-\d\d?$")
_PLACES: dict[str, str] = {"hundred": "00", "thousand": "000"}
# What may sit between two tokens of one number.
_GAP_RE = re.compile(r"^[\s\-.,()/]*(?:and\s+)?[\s\-.,()/]*$")
# What may sit between pieces of one number said apart: "503, and then 555", "then the rest".
_SOFT_GAP_RE = re.compile(
    r"^[\s\-.,()/:]*(?:(?:and|then|the|rest|is|it's|its|followed|by|after|that|next|number|"
    r"area|code|dash|um+|uh+|er+|ok|okay|so|it|goes|continues|with|last|part|digits)"
    r"[\s\-.,()/:]+){0,5}$",
    re.IGNORECASE,
)
_TAIL_RE = re.compile(
    r"\b(?:(?:the\s+)?last\s+(?:four|4|three|3|two|2|bit|part|few|digits|numbers)"
    r"(?:\s+(?:digits|numbers|of\s+it))?\s+(?:are|is|should\s+be|were|was|it's)?|"
    r"(?:it|that|the\s+number)\s+ends?\s+(?:in|with)|ending\s+(?:in|with))\b",
    re.IGNORECASE,
)


def extract_phone(text: str, region: str = "US") -> PhoneMatch | None:
    """Find the first number of at least seven digits read out as one phone number.

    Spoken numbers are one grammar: digit groups and digit words ("oh" for 0), "double" and
    "triple", "plus" for a country code, and pieces said apart with a few words between them
    ("area code 503, and then 555 0148", "212, then 555, then 0123"); pieces are joined when
    the whole makes a number valid for its region.

    Args:
        text: the caller's words: "555 123 4567", "(555) 123-4567", "+44 20 7946 0958",
            "five five five one two three four five six seven", "double five", "oh" for 0.
        region: the ISO country assumed when no "+" or country code is said.

    Returns:
        A PhoneMatch (its `e164` None when the digits make no valid number), or None when no
        run is long enough (times, party sizes and dates are far shorter, so they never fire).
    """
    runs = _runs(text)
    for index, run in enumerate(runs):
        alone = _finish(run, text, region)
        if alone is not None and alone.e164 is not None:
            return alone
        joined = run
        for after in runs[index + 1 : index + 4]:
            if not _SOFT_GAP_RE.match(text[joined[-1].end() : after[0].start()]):
                break
            joined = joined + after
            found = _finish(joined, text, region)
            if found is not None and found.e164 is not None:
                return found
        if alone is not None:
            return alone
    return None


def tail_correction(text: str) -> str | None:
    """The digits of a corrected ending ("the last four are 0132", "it ends in 6 7 8 9"), or
    None when `text` corrects no ending."""
    m = _TAIL_RE.search(text)
    if m is None:
        return None
    found = _runs(text[m.end() :])
    if not found:
        return None
    digits = "".join(
        _digits_of(t.group(0).lower())
        for t in found[0]
        if t.group(0).lower() not in _REPEAT and t.group(0).lower() not in ("+", "plus")
    )
    return digits if 2 <= len(digits) <= 4 else None


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Number tokens grouped into runs: tokens with only punctuation (or "and") between."""
    runs: list[list[re.Match[str]]] = []
    for m in _TOKEN_RE.finditer(text):
        if runs and _GAP_RE.match(text[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _finish(run: list[re.Match[str]], text: str, region: str) -> PhoneMatch | None:
    digits: list[str] = []
    plus = False
    repeat = 1
    for m in run:
        token = m.group(0).lower()
        if token in ("+", "plus"):
            if digits:
                break
            plus = True
        elif token in _REPEAT:
            repeat = _REPEAT[token]
        elif token in _PLACES:
            if digits:
                digits.append(_PLACES[token])
        else:
            chunk = _digits_of(token)
            digits.append(chunk[0] * repeat + chunk[1:])
            repeat = 1
    number = "".join(digits)
    if not _MIN_DIGITS <= len(number) <= _MAX_DIGITS or not _has_digit_evidence(run):
        return None
    start = run[0].start()
    if start and text[start - 1] == "(":
        start -= 1
    span = text[start : run[-1].end()]
    if _ISO_DATE_RE.match(span):
        return None
    shown = ("+" if plus else "") + number
    return PhoneMatch(shown, span, _e164(shown, region))


def _digits_of(token: str) -> str:
    if token.isdigit():
        return token
    if token in _DIGIT_WORDS:
        return _DIGIT_WORDS[token]
    return str(parse_number(token))


def _has_digit_evidence(run: list[re.Match[str]]) -> bool:
    """A run made only of "o"/"oh" words is speech ("oh, oh"), not a number."""
    return any(m.group(0).lower() not in ("o", "oh", "fine", "double", "triple") for m in run)


def _e164(number: str, region: str) -> str | None:
    return valid_e164(number, region)


def region_named(text: str) -> str | None:
    """The country a caller names for their number ("it's a UK mobile", "my Irish number"), as
    an ISO code, or None: a number that is not whole where the restaurant is may be whole there."""
    for pattern, region in _COUNTRY_WORDS:
        if pattern.search(text):
            return region
    return None


_COUNTRY_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, flags), region)
    for pattern, region, flags in (
        (r"\b(?:U\.?K\.?|G\.?B\.?)(?![\w.])", "GB", 0),
        (r"\b(?:uk|british|britain|england|english|scottish|scotland|welsh|wales)\b", "GB", re.I),
        (r"\b(?:irish|ireland|dublin)\b", "IE", re.I),
        (r"\b(?:canadian|canada)\b", "CA", re.I),
        (r"\b(?:french|france|paris)\b", "FR", re.I),
        (r"\b(?:german|germany|berlin)\b", "DE", re.I),
        (r"\b(?:spanish|spain|madrid)\b", "ES", re.I),
        (r"\b(?:italian|italy|rome)\b", "IT", re.I),
        (r"\b(?:australian|australia)\b", "AU", re.I),
        (r"\b(?:mexican|mexico)\b", "MX", re.I),
        (r"\b(?:indian|india)\b", "IN", re.I),
        (r"\b(?:U\.?S\.?A?\.?)(?![\w.])|(?i:\b(?:american|usa|the\s+states)\b)", "US", 0),
    )
)
