"""Semantic end of turn: does a caller's transcript so far sound finished, or unfinished?

Silence alone cuts callers off: people pause mid-sentence to recall a number ("my number is
five five five ... one two three"), between a preposition and its object ("a table at ...
eight") or on a filler ("um"). When the words heard by the time the end-of-turn silence runs
out end like that, the recogniser waits longer (`SegmenterConfig.unfinished_silence_ms`)
before ending the turn; a finished-sounding turn ends at the usual `end_silence_ms`, so the
common case pays no latency. A wrong "unfinished" costs only the longer wait, never words.

The other way, words that are *clearly* finished end the turn sooner
(`SegmenterConfig.finished_silence_ms`, once the speculative transcription has them): a
question, a yes or a no, a whole sentence that does not end on a number or a name. Never when
the agent has just asked for a phone number or a name (`Listening`): those are where callers
pause to recall or spell, and a wrong "finished" would cut them off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resvoice.voice.stt.digit_sounds import DIGIT_WORDS, SOUNDS_LIKE_DIGIT
from resvoice.voice.stt.hints import ANYTHING, Listening

__all__ = ["sounds_finished", "sounds_nearly_whole", "sounds_unfinished"]

_CONTINUATIONS = frozenset(
    ["and", "or", "but", "because", "plus", "at", "for", "to", "in", "of", "with", "from",
     "under", "about", "around", "by", "until", "till", "than", "the", "a", "an", "my", "our",
     "your", "his", "her", "their", "this", "um", "uh", "uhm", "er", "erm", "hmm", "mm"]
)  # fmt: skip
"""Words a finished sentence does not end on (in a phone booking). Not "so", "then", "on",
"is", "like": "I think so.", "Tuesday then.", "Hold on.", "Yes, it is." end turns."""

_UNFINISHED_ENDINGS = (
    ("number", "is"),
    ("name", "is"),
    ("it's", "under"),
    ("number's",),
    ("name's",),
    ("phone", "is"),
    ("email", "is"),
)
_WORD_RE = re.compile(r"[a-z']+|\d+")
_DIGIT_WORD = "|".join(sorted(DIGIT_WORDS | {"oh"}))
_TRAILING_DIGITS_RE = re.compile(rf"(?:\b(?:\d+|{_DIGIT_WORD})\b[\s,.\-]*)+$")
_PHONE_CUE_RE = re.compile(r"\b(?:number|phone|cell|mobile|reach\s+me|call\s+me)\b[^.?!]*$")
_TIME_CUE_RE = re.compile(r"\b(?:at|around|about|by|say|until)\s+$")
_DIGIT_WORDS = frozenset(_DIGIT_WORD.split("|"))
_HOMOPHONE_AFTER_DIGIT_RE = re.compile(
    rf"(?P<lead>\b(?:\d+|{_DIGIT_WORD})[\s,\-]+)(?P<word>{'|'.join(SOUNDS_LIKE_DIGIT)})\b"
)
_DIGIT_GROUP_RE = re.compile(rf"\d+|\b(?:{_DIGIT_WORD})\b")
"""A group of digits as written ("415") or one digit said as a word ("four")."""
_PAUSED_ANSWERS = frozenset({"phone", "name"})
_NAME_CUE_RE = re.compile(
    r"\b(?:name(?:'s| is)|call me|under|it's|this is|i'm|spelled|spell(?:ing)?)"
    r"\s+[\w'-]+(?:\s+[\w'-]+)?[.?!]$"
)
"""A name or a word or two just given after its cue ("the name is Maria.", "under Lopez."): a
surname or a spelling may follow."""
_ONE_NAME_AFTER_CUE_RE = re.compile(r"\b(?i:name(?:'s| is)|call me|under)\s+[A-Z][a-z'-]*[.,]?$")
"""One capitalised word after a cue that only a name follows ("under Sam.")."""
_ONE_WORD_AFTER_NAME_CUE_RE = re.compile(
    r"\b(?:under|name(?:'s| is))\s+(?!(?:it|that|this|there|me|us|them|him|her|mine|ours|way|"
    r"control|age|review|construction|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
    r"[a-z][a-z'-]*[.,]?$"
)
"""One word, any case, after "under" or "the name is" ("for 2 under sand."): Whisper writes a
name it half hears as a common word, and the surname may still follow the pause."""
_ONE_NAME_ANSWER_RE = re.compile(
    r"^(?:(?i:yes|yeah|sure|ok|okay)[,.]?\s+)?(?:(?i:it's|it is|this is|i'm|i am|my name is|"
    r"the name is|name's|the name's|under|call me)\s+)?[A-Z][a-z'-]*[.,]?$"
)
"""A single name given as the answer to "what name?" ("Maria.", "It's Maria.")."""
_QUARTER_HOUR_RE = re.compile(r"^(?:1[0-2]|[1-9])(?:00|15|30|45)$")


def sounds_unfinished(text: str, hint: Listening = ANYTHING) -> bool:
    """True when `text` (a partial transcript) ends mid-sentence.

    Cases: a trailing conjunction, preposition, article or filler ("and", "at", "for", "the",
    "um"); "my number is" / "the name's"; a trailing comma, dash or ellipsis; a phone number in
    progress (after "number"/"phone", fewer digits than a whole number, `hint.number_digits`;
    otherwise 3 or more, short of whole, that are not a clock time such as "at 730"); a lone
    first name after "under" or "the name is" ("a table under Sam.": the surname often
    follows a pause), or one word there in any case (Whisper's "under sand." for "under
    Sam"). After a phone cue, a digit heard as a word ("5-0 free.") still counts. With the
    agent waiting for a phone number, any number short of whole, or no digit yet and only words
    that lead up to one ("Sure.", "Hang on."); waiting for a name, a single name ("It's
    Maria.").
    """
    stripped = text.strip()
    if not stripped:
        return False
    low = stripped.lower()
    if hint.expect == "phone":
        said = _digit_count(_ONE_AS_A_WORD_RE.sub("", low))  # "the one I'm on" is no digit
        if 0 < said < hint.number_digits or (said == 0 and _LEADING_UP_RE.match(low)):
            return True  # a number short of whole, or only the words that lead up to one
    if _ONE_NAME_AFTER_CUE_RE.search(stripped) or _ONE_WORD_AFTER_NAME_CUE_RE.search(low):
        return True
    if hint.expect == "name" and _ONE_NAME_ANSWER_RE.match(stripped):
        return True
    if stripped.endswith((",", "-", "...", "\u2026")):
        return True
    words = _WORD_RE.findall(low)
    if not words:
        return False
    if words[-1] in _CONTINUATIONS:
        return True
    if any(tuple(words[-len(end) :]) == end for end in _UNFINISHED_ENDINGS):
        return True
    return _number_in_progress(low, hint.number_digits)


def sounds_nearly_whole(text: str, hint: Listening = ANYTHING) -> bool:
    """True when `text` ends on a phone number one or two digits short of whole and nothing
    else in it sounds unfinished ("My number is 415-55-0142."): callers pause between the
    groups of a number (after 3 or 6 digits in 415 555 0142, 5 or 8 in 07700 900 123), rarely
    inside the last group, so a number this close to whole is more often a digit misheard than
    one still to come, and the hold on it is the shorter one
    (`SegmenterConfig.nearly_whole_silence_ms`). A phone number is the answer expected, or the
    words name it ("my number is", "call me on")."""
    stripped = text.strip()
    if stripped.endswith((",", "-", "...", "\u2026")):
        return False  # the caller's own pause mark: more is coming
    low = stripped.lower()
    tail = _trailing_number(low)
    if tail is None:
        return False
    if hint.expect == "phone":
        digits = _digit_count(low)
    elif tail.phone_named:
        digits = tail.digits
    else:
        return False
    return hint.number_digits - 2 <= digits < hint.number_digits


def sounds_finished(text: str, hint: Listening = ANYTHING) -> bool:
    """True when `text` (the speculative final transcript) is clearly a whole turn, so the
    end-of-turn silence may be short: it ends a sentence (".", "?", "!"), does not sound
    unfinished, and does not end on a number or a name that may go on ("for 4.", "It's
    Maria."); never while the agent waits for a phone number or a name."""
    stripped = text.strip()
    if hint.expect in _PAUSED_ANSWERS or not stripped.endswith((".", "?", "!")):
        return False
    if sounds_unfinished(stripped, hint):
        return False
    if _NAME_CUE_RE.search(stripped.lower()):
        return False
    if stripped.endswith("?"):
        return True  # "Can we come at 8?": a question is whole, numbers and all
    words = _WORD_RE.findall(stripped.lower())
    return bool(words) and not (words[-1].isdigit() or words[-1] in _DIGIT_WORDS)


def _digit_count(low: str) -> int:
    """Digits said so far, written or as words ("four one five" is 3, "415" is 3)."""
    return sum(len(g) if g.isdigit() else 1 for g in _DIGIT_GROUP_RE.findall(low))


@dataclass(frozen=True)
class _Tail:
    """The number a transcript ends on."""

    digits: int  # digits said, written or as words
    groups: tuple[str, ...]  # as written: "415", "five"
    phone_named: bool  # "my number is", "reach me at" before it
    before: str  # the words before it


def _trailing_number(low: str) -> _Tail | None:
    """The number `low` ends on, if any. After a phone cue, a word Whisper writes for a digit it
    half heard counts as that digit when it follows one ("reach me at 5-0 free.")."""
    read = _HOMOPHONE_AFTER_DIGIT_RE.sub(lambda m: m["lead"] + SOUNDS_LIKE_DIGIT[m["word"]], low)
    if read != low:
        tail = _tail_of(read)
        if tail is not None and tail.phone_named:
            return tail
    return _tail_of(low)


def _tail_of(text: str) -> _Tail | None:
    tail = _TRAILING_DIGITS_RE.search(text)
    if tail is None:
        return None
    before = text[: tail.start()]
    return _Tail(
        digits=_digit_count(tail.group(0)),
        groups=tuple(_DIGIT_GROUP_RE.findall(tail.group(0))),
        phone_named=bool(_PHONE_CUE_RE.search(before)),
        before=before,
    )


def _number_in_progress(low: str, whole: int) -> bool:
    """3 to `whole` - 1 digits at the end, read out one by one or in groups: a phone number
    half said."""
    tail = _trailing_number(low)
    if tail is None:
        return False
    if tail.phone_named:
        return tail.digits < whole  # "my number is 5 5": Whisper may have dropped a digit already
    if not 3 <= tail.digits < whole:
        return False
    # "at 730", "Sunday, 530": Whisper's clock times, not a number in progress
    clock = _QUARTER_HOUR_RE.match(tail.groups[0]) or _TIME_CUE_RE.search(tail.before)
    return not (len(tail.groups) == 1 and clock)


_LEADING_UP_RE = re.compile(
    r"^(?:(?:yes|yeah|yep|sure|ok|okay|of\s+course|right|so|well|um|uh|erm|er)[\s,.!]*)*"
    r"(?:(?:it's|it\s+is|that's|that\s+would\s+be|it'd\s+be|area\s+code|my\s+number|"
    r"the\s+number|my\s+cell|my\s+mobile|let\s+me\s+(?:see|check|think|look|find\s+it)|"
    r"(?:hang|hold)\s+on|(?:one|just\s+a)\s+(?:sec|second|moment|minute))[\s,.!]*)*$"
)
"""Asked for a phone number, words that only lead up to one: an acknowledgement, a lead-in, a
moment asked for ("Sure.", "Yes, area code.", "Hang on."). The caller is getting to it, or
Whisper wrote the digits as words it half heard; a whole answer without digits ("Thank you.",
"I'd rather not.", a question) is not held."""
_ONE_AS_A_WORD_RE = re.compile(r"\b(?:the|this|that|which|same|no|any|other)\s+one\b")
""""the one I'm calling from": "one" that is no digit."""
