"""Whisper in context: what a `Listening` hint does to the words, and the prompt-echo guard.

For a turn that answers "what number?", digit words Whisper mishears inside a spoken number
("five" as "fine" or "time", "four" as "for", "oh" as "o") are read as the digits they are,
only inside a run of at least three digits, so "a table for 4" is never touched; digits it
joins with a point ("For 1.5, triple 5") are apart, and a "double" it writes as "number"
between digits ("6 0 2, number 4 8") is "double".

The style prompt (a booking sentence: counts, dates and clock times as the extractor reads
them) is used for every turn except those answering "what number?" (`prompt_for`), where it
pulls digits towards its own words: on the clips of `bench.prompt_by_question` Whisper read
more 10-digit numbers exactly without it, in every seed (`docs/recognisers.md`); for names it
made no steady difference, so a name's turn keeps it. Names the call holds are not put into
it: the agent asks for a name again only when it heard it wrong, so the prompt would pull the
caller's repeat towards the wrong spelling; a prompt with a name and a digit-by-digit number
was worse on the replay's lines (see `DEFAULT_PROMPT`). A prompt Whisper copies into its
output instead of hearing (an echo, seen with Whisper base) is cut from the words.
"""

from __future__ import annotations

import re

from resvoice.voice.stt.digit_sounds import DIGIT_WORDS, SOUNDS_LIKE_DIGIT
from resvoice.voice.stt.hints import Listening

__all__ = [
    "digits_said",
    "heard_in_context",
    "number_heard_short",
    "prompt_for",
    "whole_number_among",
    "without_echo",
]


def prompt_for(prompt: str | None, hint: Listening) -> str | None:
    """The initial prompt for a turn under `hint`: none for an answer to "what number?", else
    `prompt`."""
    return None if hint.expect == "phone" else prompt


def heard_in_context(text: str, hint: Listening) -> str:
    """The words as the recogniser returns them under `hint`."""
    if hint.expect == "phone":
        text = _DECIMAL_RE.sub(" ", text)  # "For 1.5" for "four one five": no decimals here
        text = _SAID_DOUBLE_RE.sub(r"\g<gap>double", text)
        return _digits_in_numbers(text)
    return text


def number_heard_short(text: str, hint: Listening) -> bool:
    """Asked for a phone number, the words (as `heard_in_context` gives them) hold one that is
    one to three digits short of whole: most often a digit Whisper merged with its neighbour
    ("five five five" written "55"), so the readings it nearly chose are worth a look
    (`whole_number_among`). Fewer digits than that is a part of a number, given on purpose."""
    if hint.expect != "phone":
        return False
    return hint.number_digits - 3 <= digits_said(text) < hint.number_digits


def whole_number_among(readings: list[str], hint: Listening) -> str | None:
    """The first of Whisper's readings of a turn, best first, whose number is whole (as many
    digits as a phone number has where the restaurant is), as heard under `hint`; None when
    none is. On 120 spoken numbers, 37 came back short and 9 of those were whole in a nearer
    reading (`bench.number_readings`, `docs/recognisers.md`)."""
    for reading in readings:
        text = heard_in_context(reading, hint)
        if digits_said(text) == hint.number_digits:
            return text
    return None


def digits_said(text: str) -> int:
    """How many digits `text` says: written ("415" is 3), as words ("oh" is 0), and "double" /
    "triple" before a digit as the repeats ("triple 5" is 3)."""
    count, repeat = 0, 0
    for m in _TOKEN_RE.finditer(text):
        token = m.group(0)
        role = _role(token)
        if role == "repeat":
            repeat = 2 if token.lower() == "double" else 3
            continue
        if role == "digit":
            count += _digit_count(token) + (repeat - 1 if repeat and _digit_count(token) else 0)
        repeat = 0
    return count


def without_echo(text: str, prompt: str | None) -> str:
    """`text` with any sentence of `prompt` that Whisper copied into it removed."""
    if not prompt:
        return text
    for sentence in re.split(r"(?<=[.?!])\s+", prompt):
        piece = sentence.strip()
        if len(piece.split()) >= 2 and piece.lower() in text.lower():
            start = text.lower().index(piece.lower())
            text = (text[:start] + text[start + len(piece) :]).strip()
    return re.sub(r"\s{2,}", " ", text).strip()


_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+")
_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
# "6 0 2, double 4 8" written "6 0 2, number 4 8": between digits, before a digit
_SAID_DOUBLE_RE = re.compile(
    r"(?<=\d)(?P<gap>[\s,]+)\b(?:number|dabble|devil|trouble|bubble)\b(?=\s+\d)", re.IGNORECASE
)


def _digits_in_numbers(text: str) -> str:
    """Digit homophones inside a run of digits (digits, digit words, "double", joined by spaces,
    commas or dashes) as digits, when the run holds at least three digits: "5, 5, fine, 2, oh,
    1" -> "5, 5, 5, 2, 0, 1"; "a table for 4" is no such run."""
    runs: list[list[re.Match[str]]] = []
    for m in _TOKEN_RE.finditer(text):
        if _role(m.group(0)) is None:
            runs.append([])
        elif runs and runs[-1] and _JOINER.fullmatch(text[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    swaps = [
        m
        for run in runs
        if sum(_digit_count(m.group(0)) for m in run) >= 3
        for m in run
        if _role(m.group(0)) == "homophone"
    ]
    out, last = [], 0
    for m in swaps:
        out += [text[last : m.start()], SOUNDS_LIKE_DIGIT[m.group(0).lower()]]
        last = m.end()
    return "".join(out) + text[last:]


def _role(token: str) -> str | None:
    word = token.lower()
    if token.isdigit() or word in DIGIT_WORDS:
        return "digit"
    if word in SOUNDS_LIKE_DIGIT:
        return "homophone"
    return "repeat" if word in ("double", "triple") else None


def _digit_count(token: str) -> int:
    return len(token) if token.isdigit() else int(token.lower() in DIGIT_WORDS)


_JOINER = re.compile(r"[\s,\-]*")
