"""Spelled letters as a recogniser writes them, read back as the letters.

A caller spells a name letter by letter; Whisper writes a doubled letter as "double E",
"Dumble, N" or "W-T", a letter as the word it sounds like ("hey, oh, W" for K, O, W), and the
marks of a name as words ("O apostrophe N E I L L"). `letters_of_spellings` puts the letters
back, so the spelling can be read (`resvoice.language.names`).
"""

from __future__ import annotations

import re

__all__ = ["letters_of_spellings"]

_REPEATED_LETTER_RE = re.compile(
    r"(?<![A-Za-z'’])(?P<times>double|triple|dumble|dumbel|dubble|dabble|doble|dumlin)[\s,-]+"
    r"(?P<letter>[A-Za-z])(?![A-Za-z'’])|(?<![A-Za-z'’])(?P<times_l>dumbbell|dumbell)\b",
    re.I,
)
"""A spelling's doubled letter: "double E", "triple X", and the words Whisper writes for
"double" when letters are spelled (measured in the voice replays: "Dumble, N", "dumlin, E";
"double L" as "dumbbell"). "W" for "double" is weighed in `known_name`."""


_DONE_WELL_RE = re.compile(
    r"(?P<before>(?<![A-Za-z'’])[A-Za-z][\s,.-]+)(?:done|dun)\s+(?:a\s+)?(?:little|well)\b",
    re.I,
)
""" "double L" right after a spelled letter as Whisper writes it on the phone voices ("B-E,
done well", "O-N-E-I, done a little": measured in the voice replays)."""


def letters_of_spellings(text: str) -> str:
    """A spelling's "double E" / "triple X" as the letters ("L, double E" -> "L, E, E"): how
    people spell a doubled letter, and speech-to-text merges two letters said alike into one.
    Letters written as the words they sound like are letters too (`_letter_words`)."""

    def letters(m: re.Match[str]) -> str:
        if m.group("times_l"):
            return "L, L"
        times = 3 if m.group("times").lower() == "triple" else 2
        return ", ".join([m.group("letter").upper()] * times)

    text = _DONE_WELL_RE.sub(lambda m: f"{m.group('before')}L, L", text)
    # "O apostrophe N E I L L", "S M I T H hyphen J O N E S": the mark is not a letter
    text = _SPOKEN_MARK_RE.sub(" ", _REPEATED_LETTER_RE.sub(letters, text))
    return _letter_words(text)


_LETTER_NAMES = {
    "hey": "A", "ay": "A", "eh": "A", "be": "B", "bee": "B", "see": "C", "sea": "C",
    "dee": "D", "ee": "E", "eff": "F", "ef": "F", "gee": "G", "aitch": "H", "eye": "I",
    "hi": "I", "jay": "J", "kay": "K", "el": "L", "elle": "L", "hell": "L", "em": "M",
    "en": "N", "oh": "O", "owe": "O", "pee": "P", "pea": "P", "queue": "Q", "cue": "Q",
    "are": "R", "ar": "R", "ess": "S", "tee": "T", "tea": "T", "you": "U", "vee": "V",
    "we": "V", "ex": "X", "why": "Y", "wye": "Y", "zed": "Z", "zee": "Z",
}  # fmt: skip
"""Words Whisper writes for letters spelled one at a time ("K, O, W" as "hey, oh, W")."""
_SPELLING_ITEM_RE = re.compile(
    rf"(?<![A-Za-z'’])(?:[A-Za-z]|(?i:{'|'.join(_LETTER_NAMES)}))(?![A-Za-z'’])"
)
_ITEM_GAP_RE = re.compile(r"[\s,.-]+")


def _letter_words(text: str) -> str:
    """Letters the recogniser wrote as words inside a spelling, as the letters: in a run of four
    or more letters and letter words with nothing else between them, at least two of them
    letters that are no word ("It's called, hey, oh, W, hey, hell, S, hey, hi" -> "..., A, O,
    W, A, L, S, A, I"), so a sentence of short words ("oh hi, are you there?") is left alone."""
    items = list(_SPELLING_ITEM_RE.finditer(text))
    runs: list[list[re.Match[str]]] = []
    for item in items:
        if runs and _ITEM_GAP_RE.fullmatch(text[runs[-1][-1].end() : item.start()]):
            runs[-1].append(item)
        else:
            runs.append([item])
    out, last = [], 0
    for run in runs:
        letters = [m for m in run if len(m.group(0)) == 1 and m.group(0).lower() not in "ai"]
        words = [m for m in run if len(m.group(0)) > 1]
        if len(run) < 4 or len(letters) < 2 or not words:
            continue
        for m in words:
            out += [text[last : m.start()], _LETTER_NAMES[m.group(0).lower()]]
            last = m.end()
    return "".join(out) + text[last:]


_SPOKEN_MARK_RE = re.compile(
    r"(?<=\b[A-Za-z])[\s,]+(?:apostrophe|hyphen|dash)[\s,]+(?=[A-Za-z]\b)", re.IGNORECASE
)
