"""Pull every reservation slot out of one caller utterance, using what the agent just asked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import day_said_as_year, hours_said_as_ordinals, parse_date
from .emails import extract_email
from .names import extract_name
from .numbers import sound_alike_numbers, words_to_digits
from .party import PartyMatch, count_people, fragment_party, parse_party_size
from .party_changes import changes_head_count
from .phones import extract_phone, region_named
from .self_repair import after_retraction, after_self_repair
from .times import parse_time

__all__ = ["Extraction", "expecting_from_prompt", "extract_slots"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """The slots one utterance gave; None where it gave none.

    `date_error` is set (and `date` None) when the caller named an impossible date;
    `date_relative` when the date was relative ("next Friday"), worth reading back;
    `date_same_day` when it is today read from a same-day word ("tonight"), not a named day;
    `date_weekday_said` the weekday said beside the date when it is another day's (0 = Monday);
    `time_explicit` when the caller said am or pm (or a part of the day), so it is not a guess;
    `special_requests` joins the canonical requests ("anniversary, high chair");
    `name_spelling` is the word the caller spelled for the name, as heard (see `NameMatch`).
    """

    party_size: int | None = None
    date: dt.date | None = None
    date_error: str | None = None
    date_relative: bool = False
    date_same_day: bool = False
    date_weekday_said: int | None = None
    time: dt.time | None = None
    time_explicit: bool = False
    name: str | None = None
    name_spelling: str | None = None
    phone: str | None = None
    email: str | None = None
    special_requests: str | None = None
    is_correction: bool = False

    @property
    def empty(self) -> bool:
        """True when nothing at all was extracted."""
        return self == _EMPTY


_EMPTY = Extraction()


def extract_slots(
    text: str,
    *,
    today: dt.date,
    expecting: frozenset[str] = frozenset(),
    system_before: str | None = None,
    region: str = "US",
    evening_bias: bool = True,
    name_open: bool = False,
    spelled_before: str | None = None,
) -> Extraction:
    """Extract party size, date, time, name, phone, email and requests from `text`.

    Args:
        text: what the caller said (an STT transcript or typed text).
        today: the restaurant's local date, for relative dates.
        expecting: notepad fields the agent just asked for ("party_size", "date", "time",
            "name", "phone", "email"); makes bare answers count ("four", "seven").
        system_before: what the agent said last; used to infer `expecting` when it is empty.
        region: ISO country for phone numbers said without a country code.
        evening_bias: read bare hours 1-11 as pm (a dinner-only restaurant).
        name_open: the booking still lacks a name, so a bare capitalised full name counts.
        spelled_before: the name spelling (as heard) taken earlier in the call: spelled
            again, it is taken as spelled (`extract_name`'s `again`).

    Returns:
        An Extraction; slots that cannot be read stay None.
    """
    if not expecting and system_before:
        expecting = expecting_from_prompt(system_before)
    work = sound_alike_numbers(
        day_said_as_year(words_to_digits(text)),
        expect_party_size="party_size" in expecting,
        expect_time="time" in expecting,
    )

    if "time" in expecting and "date" not in expecting:
        # asked what time, "8th is fine" is eight o'clock as the recogniser writes it
        work = hours_said_as_ordinals(work, anywhere=True)
    email_match = extract_email(text)
    if email_match is not None:
        work = _mask(work, words_to_digits(email_match.text))
    phone_match = extract_phone(text, region)
    abroad = region_named(text) if phone_match is None or phone_match.e164 is None else None
    if abroad is not None and abroad != region:  # "07700 900 482, it's a UK mobile"
        phone_match = extract_phone(text, abroad) or phone_match
    retracted = after_retraction(text)  # "0 7 7 0 0... sorry, I mean my US cell, 646 555 0123"
    later_phone = extract_phone(retracted, region) if retracted else None
    if later_phone is not None:
        phone_match = later_phone
    if phone_match is not None and (
        "phone" in expecting
        or len(phone_match.digits) >= 10
        or _PHONE_CUE_RE.search(text)
        or _mostly(text, phone_match.text)
    ):
        work = _mask(work, words_to_digits(phone_match.text))
    else:
        phone_match = None

    repaired = after_self_repair(work)  # "at eight, no sorry, eight thirty": the later one
    date_match = parse_date(work, today, day_first=region not in _MONTH_FIRST_REGIONS)
    if date_match is not None and any(c.isdigit() for c in date_match.text):
        # Only spans with digits need hiding; "this evening" must stay for "evening 7".
        work = _mask(work, date_match.text)

    party = parse_party_size(work, expect_party_size=False)
    if party is not None and party.strong:
        work = _mask(work, party.text)
    time_match = parse_time(work, expect_time="time" in expecting, evening_bias=evening_bias)
    if time_match is not None:
        work = _mask(work, time_match.text)
    if repaired:
        later_date = parse_date(repaired, today, day_first=region not in _MONTH_FIRST_REGIONS)
        if later_date is not None:
            date_match, repaired = later_date, _mask(repaired, later_date.text)
            work = _mask(work, later_date.text)
        later_time = parse_time(repaired, expect_time=True, evening_bias=evening_bias)
        # a time corrects a time, never a bare count: "make that three, my brother can't come"
        # is the party, whatever was said last before it
        if later_time is not None and time_match is not None and not changes_head_count(repaired):
            time_match = later_time
            work = _mask(work, later_time.text)
    if party is None or not party.strong:
        party = parse_party_size(work, expect_party_size="party_size" in expecting)
    if party is None and time_match is not None:
        party = fragment_party(work)  # "Table. Two. Tomorrow, half seven."
    if party is None and (time_match is not None or date_match is not None):
        party = count_people(work.lower())  # "me and my partner, Friday, around 7-ish"
    party = _corrected_party(work) or party
    if party is not None and _OTHER_SERVICE_RE.search(text) and not _TABLE_RE.search(text):
        party = None  # "a cab for 4", "2 tickets": counts, but not of diners

    # "Kofi Mensah 917 555 0123": the number ends the name as a comma would
    name_text = text
    if phone_match is not None and phone_match.text and phone_match.text in text:
        name_text = text.replace(phone_match.text, ", ", 1)
    name_match = extract_name(
        name_text, expect_name="name" in expecting, name_open=name_open, again=spelled_before
    )
    return Extraction(
        party_size=party.value if party else None,
        date=date_match.value if date_match else None,
        date_error=date_match.error if date_match else None,
        date_relative=date_match.relative if date_match else False,
        date_same_day=date_match.same_day if date_match else False,
        date_weekday_said=date_match.weekday_said if date_match else None,
        time=time_match.value if time_match else None,
        time_explicit=time_match.explicit if time_match else False,
        name=name_match.value if name_match else None,
        name_spelling=name_match.spelling if name_match else None,
        phone=phone_match.value if phone_match else None,
        email=email_match.value if email_match else None,
        special_requests=", ".join(special_requests(text)) or None,
        is_correction=is_correction(text),
    )


# countries that write a date month first ("3/14"); phone regions stand for the restaurant's
_MONTH_FIRST_REGIONS = frozenset({"US", "CA", "PH", "PR", "GU", "VI", "AS", "MP", "UM", "FM"})


def expecting_from_prompt(prompt: str) -> frozenset[str]:
    """Guess which notepad fields the agent's last question asked for."""
    tail = _LAST_QUESTION_RE.findall(prompt)
    question = tail[-1] if tail else prompt
    return frozenset(slot for slot, pattern in _PROMPT_CUES if pattern.search(question))


def special_requests(text: str) -> tuple[str, ...]:
    """Occasions, dietary needs and seating wishes named in `text`, in a canonical wording."""
    found: list[str] = []
    for label, pattern in _REQUESTS:
        for m in pattern.finditer(text):  # "one of us is vegan, another gluten-free": both
            item = label.format(*(g.lower() for g in m.groups() if g))
            if item not in found:
                found.append(item)
    return tuple(found)


def is_correction(text: str) -> bool:
    """True when the caller is changing something already said ("actually make it five")."""
    return _CORRECTION_RE.search(text) is not None


def _corrected_party(work: str) -> PartyMatch | None:
    """The party named after the last correction cue: "one person? Actually, make it three"."""
    cues = list(_CORRECTION_RE.finditer(work))
    if not cues:
        return None
    tail = work[cues[-1].end() :]
    found = parse_party_size(tail, expect_party_size=False)
    if found is None and changes_head_count(tail):
        # "make that three, my brother can't come": the bare number is the new head count
        first = re.split(r"[,;.!?]", tail, maxsplit=1)[0]
        found = parse_party_size(first, expect_party_size=True)
    return found


def _mostly(text: str, span: str) -> bool:
    """True when `span` is nearly all the caller said ("It's 555 0142."): an answer that is a
    number, given as the contact number even when the agent asked for something else."""
    rest = re.sub(r"[\W\d]+", " ", text.replace(span, " ")).split()
    return len([w for w in rest if w.lower() not in _FILLER_WORDS]) == 0


def _mask(text: str, span: str) -> str:
    """Blank the first occurrence of `span` so later parsers do not read it again."""
    index = text.lower().find(span.lower())
    if index < 0 or not span:
        return text
    return text[:index] + " " * len(span) + text[index + len(span) :]


_PHONE_CUE_RE = re.compile(
    r"\b(?:phone|number|mobile|cell|reach\s+(?:me|us)|call\s+(?:me|us)|contact)\b", re.IGNORECASE
)
_FILLER_WORDS: frozenset[str] = frozenset(
    {"it", "s", "its", "is", "that", "sorry", "oh", "um", "uh", "so", "yes", "yeah", "ok"}
    | {"okay", "and", "the", "my", "mine", "sure"}
)
_OTHER_SERVICE_RE = re.compile(
    r"\b(?:cab|taxi|ride|uber|lyft|tickets?|flight|hotel|movie|bus|train|car)\b", re.IGNORECASE
)
_TABLE_RE = re.compile(r"\b(?:table|restaurant|dinner|lunch|eat|dine|dining)\b", re.IGNORECASE)
_LAST_QUESTION_RE = re.compile(r"[^.?!]*\?")
_PROMPT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "party_size",
        re.compile(
            r"how\s+many|party\s+size|number\s+of\s+(?:people|guests|persons|seats)|"
            r"for\s+how\s+many|size\s+of\s+(?:the|your)\s+party",
            re.IGNORECASE,
        ),
    ),
    (
        "time",
        re.compile(
            r"what\s+time|which\s+time|\bwhen\b|(?:at|for|around)\s+what\s+time|"
            r"time\s+(?:would|do|should|is)|\bthe\s+time\b|what\s+hour",
            re.IGNORECASE,
        ),
    ),
    (
        "date",
        re.compile(
            r"what\s+(?:day|date)|which\s+(?:day|date)|\bwhen\b|what\s+night|\bthe\s+date\b",
            re.IGNORECASE,
        ),
    ),
    ("name", re.compile(r"\bname\b|who\s+(?:is|should)\s+(?:the|it)", re.IGNORECASE)),
    (
        "phone",
        re.compile(r"phone|number\s+(?:to|where|we)|contact\s+number|call\s+you", re.IGNORECASE),
    ),
    ("email", re.compile(r"e-?mail", re.IGNORECASE)),
)
_REQUESTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("anniversary", re.compile(r"\banniversary\b", re.IGNORECASE)),
    ("birthday", re.compile(r"\bbirthday\b|\bbday\b", re.IGNORECASE)),
    (
        "celebration: {}",
        re.compile(
            r"\b(engagement|graduation|promotion|retirement|proposal|date\s+night|"
            r"bachelorette|bachelor)\b",
            re.IGNORECASE,
        ),
    ),
    ("high chair", re.compile(r"\bhigh\s*-?\s*chairs?\b|\bbooster\s+seats?\b", re.IGNORECASE)),
    (
        "wheelchair access",
        re.compile(
            r"\bwheel\s*chairs?\b|\baccessib(?:le|ility)\b|\bmobility\b|\bwalker\b", re.IGNORECASE
        ),
    ),
    ("stroller space", re.compile(r"\b(?:stroller|pram|buggy)\b", re.IGNORECASE)),
    (
        "allergy: {}",
        re.compile(
            r"\ballergic\s+to\s+((?:tree\s+)?[a-z]+(?:\s+(?:and|or)\s+(?!allergic\b)[a-z]+)?)",
            re.IGNORECASE,
        ),
    ),
    (
        "allergy: {}",
        re.compile(
            r"\b((?:tree\s+)?(?:nut|peanut|shellfish|fish|dairy|gluten|egg|soy|sesame|wheat|"
            r"milk|lactose|seafood))\s+(?:allerg(?:y|ies)|intolerance|free)\b",
            re.IGNORECASE,
        ),
    ),
    ("celiac", re.compile(r"\b(?:c|co)eliac\b", re.IGNORECASE)),
    (
        "{}",
        re.compile(
            r"\b(vegetarian|vegan|pescatarian|halal|kosher|gluten[\s-]free|dairy[\s-]free|"
            r"nut[\s-]free|keto)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "{} seat",
        re.compile(
            r"\b(window|booth|bar|corner|patio|outdoor|outside)\s+"
            r"(?:seat|seats|seating|table)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "outside seating",
        re.compile(r"\b(?:sit|seated|seat\s+us|eat)\s+(?:outside|outdoors)\b", re.IGNORECASE),
    ),
    (
        "inside seating",
        re.compile(r"\b(?:sit|seated|seat\s+us|eat)\s+(?:inside|indoors)\b", re.IGNORECASE),
    ),
    ("patio seat", re.compile(r"\b(?:sit|seated|seat\s+us|eat)\s+on\s+the\s+patio\b", re.I)),
    ("bar seat", re.compile(r"\b(?:sit|seated|seat\s+us|eat)\s+at\s+the\s+bar\b", re.I)),
    (
        "window seat",
        re.compile(
            r"\b(?:by|near|next\s+to|beside|at|close\s+to)\s+(?:a|the)\s+window\b",
            re.IGNORECASE,
        ),
    ),
    (
        "quiet table",
        re.compile(r"\bquiet\s+(?:table|corner|spot|area)\b|\bsomewhere\s+quiet\b", re.IGNORECASE),
    ),
    ("private room", re.compile(r"\bprivate\s+(?:room|dining|area)\b", re.IGNORECASE)),
    ("cake", re.compile(r"\b(?:cake|candles?)\b", re.IGNORECASE)),
)
_CORRECTION_RE = re.compile(
    r"^\W*(?:no|nope|nah|sorry|oops|wait|actually|correction|hold\s+on)\b|"
    r"\bactually\b|\b(?:change|switch|move|update)\s+(?:it|that|this|the\s+\w+)\b|"
    r"\bmake\s+(?:it|that)\b(?!\s+(?:happen|work))|\bi\s+(?:said|meant|mean)\b|\binstead\b|"
    r"\brather\s+than\b|\bnot\s+\w+\s*,|\bi\s+made\s+a\s+mistake\b|\bscratch\s+that\b",
    re.IGNORECASE,
)
