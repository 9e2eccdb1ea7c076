"""What a caller wants done with a booking that already exists, by keyword patterns.

"I booked a table for Friday under Miller and I need to cancel it" is a request about an
existing booking, not a new booking nor a question about the cancellation policy: `classify`
(intents.py) lets a request found here win over both. The patterns look for a verb of the
action (cancel, move, add guests, note, running late, what time is...) and a reference to a
booking the caller already has (my/our booking, I booked, the reservation under, a code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from resvoice.language.party_changes import mentions_party_change, someone_else_drops_out
from resvoice.language.self_repair import after_retraction
from resvoice.language.shifts import day_shift, time_shift
from resvoice.language.slots import special_requests

__all__ = [
    "BookingIntent",
    "ManageAction",
    "about_a_booking",
    "actions",
    "booking_intent",
    "late_minutes",
    "no_text_wanted",
]

ManageAction = Literal["cancel", "move", "party", "note", "late", "check"]


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_BOOKING_NOUN = r"(?:booking|reservation|table|rez|res)"
# a booking the caller already has
_EXISTING = _rx(
    rf"\b(?:my|our|the|this|that|existing|current|original)\s+(?:\w+\s+){{0,3}}?{_BOOKING_NOUN}s?\b",
    rf"\b(?:i|we)\s*(?:'ve|\s+have|\s+had|'d|\s+already)?\s+(?:got\s+|made\s+|booked\s+|reserved\s+)"
    rf"(?:a|an|the)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    # "we have a table", "I have reservation" (the article left out)
    rf"\b(?:i|we)\s+(?:have|had)\s+(?:a\s+|an\s+)?(?:\w+\s+)?{_BOOKING_NOUN}\b",
    r"\b(?:i|we)\s+(?:already\s+)?(?:booked|reserved)\b",
    rf"\b{_BOOKING_NOUN}\s+(?:is\s+|was\s+)?(?:under|in\s+the\s+name)\b",
    r"\bconfirmation\s+(?:code|number)\b|\bbooking\s+(?:code|reference|number)\b",
    r"\b(?:my|our)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|other|"
    r"earlier|first|second|dinner|lunch)(?:'s)?\s+one\b",
    r"\b(?:booked|reserved)\s+(?:a\s+table\s+)?(?:for|under|on)\b",
    rf"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow)'?s\s+"
    rf"(?:\w+\s+)?(?:{_BOOKING_NOUN}|dinner|lunch|brunch|one)\b",
    r"\b(?:my|our)\s+(?:\w+\s+){0,2}?(?:dinner|lunch|brunch)\s+(?:booking|reservation|on|for|at|"
    r"to|tonight|tomorrow)\b|\b(?:my|our)\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\s+(?:night\s+)?(?:dinner|lunch|brunch)\b",
    r"\b(?:we|i)(?:\s+(?:have|had|got)|'ve\s+got|\s+'ve\s+got)\s+(?:a\s+)?"
    r"(?:table|booking|reservation)s?\b",
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow)'s(?=\s*(?:[.?!,]|$))",
)
# a bare "it" after the verb, for a call already about a booking
_IT = r"(?:it|that|this|them|ours|mine)"
_CANCEL = _rx(
    r"\bcancel(?!lation)\w*\b",
    r"\bcall\s+(?:it\s+)?off\b",
    r"\b(?:can(?:'t|not)|won'?t|will\s+not|unable\s+to|not\s+able\s+to|no\s+longer)\s+"
    r"(?:be\s+)?(?:able\s+to\s+)?(?:make\s+it|come|attend|make\s+(?:our|my|the))\b",
    # "we won't need the table on Friday after all", "we have to give up our Saturday table"
    rf"\b(?:won'?t|will\s+not|no\s+longer)\s+need\s+(?:the|our|my|that)\s+"
    rf"(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\bgive\s+up\s+(?:the|our|my|that)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\b(?:drop|scrap|get\s+rid\s+of)\s+(?:my|our|the)\s+{_BOOKING_NOUN}\b",
)
# a cancellation said outright ("cancel it", "call the whole thing off"), not "cancelled on me"
_CANCEL_EXPLICIT = _rx(
    r"\bcancel(?!lation)(?!(?:l)?ed\s+on\b)\w*\b",
    r"\bcall\s+(?:it\s+|the\s+\w+\s+|everything\s+)?off\b",
    rf"\b(?:drop|scrap|get\s+rid\s+of)\s+(?:my|our|the)\s+{_BOOKING_NOUN}\b",
)
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# a head count with a booking already in view: "make our reservation for 6 people"
_HEADCOUNT = _rx(rf"\b(?:for|to)\s+{_NUMBER}\s+(?:people|persons|guests|of\s+us)\b")
_WHEN = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|\d{1,2}(?::\d\d)?"
    r"(?:\s*[ap]m)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
)
# "not Friday, Saturday please", "not at seven but eight": the old value, then the new (a move
# only when a booking the caller has is named: "a table, not tonight, tomorrow" is a new one)
_NOT_THIS_BUT_THAT = _rx(
    rf"\bnot\s+(?:on\s+|at\s+)?{_WHEN}\s*[,;-]?\s+(?:but\s+)?(?:on\s+|at\s+)?{_WHEN}"
)
_MOVE = _rx(
    r"\b(?:move|moving|reschedul\w*|re-schedul\w*|postpone|bring\s+(?:it\s+)?forward)\b",
    r"\b(?:push|bump|shift)\s+(?:\w+\s+){0,3}?(?:back|forward|later|earlier|to|till|til|until|"
    r"up)\b",
    r"\binstead\s+of\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|noon|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight)",
    r"\b(?:come|arrive|get\s+there|be\s+there)\s+(?:at|on|by)\s+\S+\s+(?:instead|rather)\b",
    rf"\b(?:change|switch|shift|swap|amend|modify|alter|update)\s+(?:[\w']+\s+){{0,4}}?"
    rf"(?:{_BOOKING_NOUN}|{_IT}|time|date|day)\b",
    r"\b(?:different|another|later|earlier)\s+(?:time|day|date|night|slot|sitting|seating)\b",
    r"\bput\s+(?:us|me|it)\s+down\s+(?:for|at|on)\s+(?:[\w:']+\s+){1,2}?(?:instead|rather)\b",
    r"\b(?:come|make\s+it|arrive|get\s+there)\s+(?:\w+\s+){0,3}?(?:later|earlier)\b",
    r"\b(?:change|switch|shift|swap|move)\s+(?:\w+\s+){0,3}?(?:dinner|lunch|brunch)\b",
    r"\b(?:would|'d)\s+rather\s+(?:come|do|have|make\s+it|go\s+for)\b|\brather\s+than\s+"
    r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve)",
    r"\bdelay\s+(?:my|our|the|it|this|that)\b",
    r"\b(?:be|get|been|got)\s+(?:changed|moved|switched|shifted|pushed|bumped|brought|"
    r"rescheduled)\b",
    r"\b(?:make\s+it|do|come|have\s+it|go\s+with)\s+(?:on\s+|at\s+)?(?:[\w:']+\s+){1,2}?"
    r"(?:instead|rather)\b",
    r"\bbe\s+(?:at|on)\s+(?:[\w:']+\s+){1,2}?(?:instead|rather)\b",  # "could it be at 8 instead"
)
_PARTY = _rx(
    r"\b(?:add|bring|adding|bringing)\s+(?:\w+\s+)?(?:more|extra|another|additional)\s+"
    r"(?:people|persons?|guests?|friends?|one|adults?|kids?|children)\b",
    r"\b(?:add|adding)\s+(?:one|two|three|four|\d+)\s+(?:people|persons?|guests?)\b",
    r"\b(?:one|two|three|four|\d+|a\s+few)\s+(?:more|extra|fewer|less)\s+"
    r"(?:people|persons?|guests?)?\b",
    r"\b(?:one|two|three|\d+)\s+(?:people|persons?|guests?|of\s+us|friends?)\s+"
    r"(?:can'?t|cannot|won'?t|will\s+not|isn'?t|aren'?t)\s+(?:come|coming|make\s+it|join)\b",
    r"\b(?:so|now)\s+(?:we'?ll|we\s+will|we'?re|we\s+are|there'?ll|there\s+will)\s+be\s+"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    r"\b(?:party|group)\s+size\b|\bnumber\s+of\s+(?:people|guests)\b|\bhead\s*count\b",
    r"\b(?:we'?ll|we\s+will|we\s+are|we'?re|there\s+will|there'?ll|it'?ll|it\s+will)\s+be\s+"
    r"(?:\w+\s+)?(?:of\s+us\s+)?(?:now|instead|people\s+now)\b",
    r"\b(?:more|fewer|less)\s+(?:people|guests)\b",
    rf"\b(?:make|change)\s+(?:{_IT}|the\s+{_BOOKING_NOUN})\s+(?:for|to)\s+\w+\s+(?:people|guests)\b",
)
_NOTE = _rx(
    r"\badd\s+(?:a\s+)?(?:note|request|comment)\b|\bspecial\s+request\b|\bmake\s+a\s+note\b",
    r"\b(?:note|mention)\s+(?:that|on)\b|\blet\s+(?:the\s+)?(?:kitchen|staff|chef)\s+know\b",
    rf"\b(?:add|put)\s+(?:\w+\s+){{0,4}}?(?:to|on)\s+(?:my|our|the)\s+{_BOOKING_NOUN}\b",
    r"\b(?:window|booth|patio|terrace|outside|outdoors?|quiet|corner|high\s*-?\s*chairs?|"
    r"booster|birthday|anniversary|allerg\w*|wheelchair|accessible|stroller|cake)\b",
)
_LATE = _rx(
    r"\b(?:running|be|being|are|'re|am|'m|will\s+be|gonna\s+be|going\s+to\s+be)\s+"
    r"(?:a\s+(?:bit|little)\s+|about\s+|around\s+|like\s+|maybe\s+)?(?:\w+\s+){0,4}?"
    r"(?:minutes?\s+|mins?\s+)?(?:late|behind)\b",
    r"\brunning\s+(?:a\s+(?:bit|little)\s+)?(?:late|behind)\b",
    r"\b(?:stuck|held\s+up|delayed|behind\s+schedule|traffic\s+is|"
    r"in\s+traffic|(?:minutes?|mins?)\s+(?:out|away))\b",
    r"\b(?:won'?t|will\s+not|can'?t|not\s+going\s+to)\s+(?:\w+\s+)?(?:get|be|make\s+it)\s+"
    r"(?:there|in)?\s*(?:until|till|before)\b",
    r"\blate\s+for\s+(?:my|our|the)\b",
    r"\b(?:we'?ll|we\s+will|i'?ll|i\s+will|going\s+to|gonna|we'?re|i'?m)\s+(?:\w+\s+){0,2}?"
    r"(?:arrive|arriving|get\s+there|getting\s+there|show\s+up|be\s+there|get\s+in)\s+"
    r"(?:\w+\s+){0,3}?late\b",
    r"\b(?:\d+|five|ten|fifteen|twenty|thirty|forty|a\s+few|a\s+couple)\s+(?:minutes?|mins?)\s+late\b",
)
_CHECK = _rx(
    r"\b(?:lost|forgot(?:ten)?|need|misplaced|what'?s|what\s+is|what\s+was|give\s+me|"
    r"remind\s+me\s+of|"
    r"read\s+me|tell\s+me)\s+(?:\w+\s+){0,2}?(?:confirmation|booking|reservation)\s+(?:code|number)\b",
    rf"\bwhat\s+time\s+(?:is|was|'s)\s+(?:my|our|the)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\bwhen\s*(?:is|was|'s)\s+(?:my|our|the)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\b(?:check|confirm|verify|double[- ]check)\s+(?:on\s+|if\s+|whether\s+|that\s+)?"
    rf"(?:my|our|the)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\b(?:my|our)\s+(?:\w+\s+){{0,3}}?{_BOOKING_NOUN}\s+(?:\w+\s+){{0,3}}?(?:is\s+)?still\s+"
    r"(?:on|there|good|confirmed|valid)\b",
    rf"\b(?:do|did)\s+(?:i|we)\s+(?:still\s+)?have\s+(?:a|an)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\bis\s+(?:my|our|the)\s+(?:\w+\s+)?{_BOOKING_NOUN}\s+(?:still\s+)?(?:on|confirmed|booked)\b",
    r"\b(?:remind|tell)\s+me\s+(?:what\s+time|when|the\s+time)\b",
    rf"\bdetails\s+of\s+(?:my|our)\s+{_BOOKING_NOUN}\b",
    # "read me back my booking details", "go over our reservation", "what are my booking details"
    rf"\b(?:read|go)\s+(?:me\s+)?(?:back|over|through)\s+(?:my|our|the)\s+(?:\w+\s+)?"
    rf"{_BOOKING_NOUN}\b|\b(?:my|our)\s+{_BOOKING_NOUN}\s+details\b",
    rf"\bwhat\s+time\s+(?:my|our)\s+(?:\w+\s+)?{_BOOKING_NOUN}\s+is\b",
    r"\b(?:know|tell\s+me|remind\s+me|check)\s+(?:what\s+time|when|what\s+day)\s+(?:my|our)\b",
    r"\bhow\s+many\s+(?:people|guests)\s+(?:did|have)\s+(?:i|we)\s+book",
    r"\bwhat\s+time\s+(?:did|do)\s+(?:i|we)\s+book\b",
    r"\bwhat\s+time\s+(?:are|were)\s+we\s+(?:booked|coming|supposed)\b",
    r"\b(?:forgot|forgotten|forget|can'?t\s+remember|cannot\s+remember|don'?t\s+remember|"
    r"dont\s+remember|do\s+not\s+remember|not\s+sure|lost\s+track\s+of|can'?t\s+recall)\b"
    r"[^.?!]{0,60}?\b(?:what\s+time|when|the\s+time|what\s+day|which\s+day|the\s+date)\b",
    r"\b(?:what\s+time|when)\b[^.?!]{0,50}?\b(?:forgot|forgotten|can'?t\s+remember|"
    r"don'?t\s+remember|dont\s+remember)\b",
    r"\bwhat\s+time\s*(?:'s|is|was)\s+(?:my|our|the)\b",
    r"\bwhat\s+time\s+(?:am\s+i|are\s+we|were\s+we|was\s+i|we'?re|i'?m|is\s+it|was\s+it|"
    r"it'?s|it\s+is)\s+(?:booked|reserved|in|coming|due|down|supposed|for|again)\b",
    r"\bwhat\s+time\s+(?:did|do|have)\s+(?:i|we)\s+(?:\w+\s+)?(?:book|reserve|make)",
    r"\b(?:check|confirm|verify|double[- ]?check\w*)\s+(?:the\s+)?(?:time|date|day|details)\s+"
    r"(?:of|for|on)\s+(?:my|our|the)\b",
    rf"\b(?:look\s+up|pull\s+up|find)\s+(?:my|our)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b",
    rf"\bis\s+(?:my|our|the)\s+(?:\w+\s+){{0,2}}?{_BOOKING_NOUN}\s+(?:at|for)\s+\d",
    rf"\bis\s+(?:my|our|the)\s+(?:\w+\s+){{0,2}}?{_BOOKING_NOUN}\s+(?:at|for)\s+"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    r"\bremind\s+(?:me|us)\s+(?:of\s+)?(?:what|when|the\s+(?:time|date|day|details))\b",
    r"\b(?:ringing|calling|phoning)\s+(?:just\s+)?to\s+(?:confirm|check|double[- ]?check)\s+"
    r"(?:on\s+)?(?:my|our|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|for\s+(?:tonight|tomorrow))\b",
    # "is it still on for tonight?", "are we still good for Friday?": nothing to change
    r"\b(?:is\s+it|are\s+we|we'?re|it'?s|is\s+that|is\s+everything)\s+still\s+(?:on|good|"
    r"happening|confirmed|going\s+ahead|booked|okay|ok|set)\b",
    # "did we book for seven or half seven?", "have I booked it for Friday?"
    r"\b(?:did|have|had)\s+(?:i|we)\s+(?:book|booked|reserve|reserved)\s+(?:it\s+|a\s+table\s+)?"
    r"(?:for|at|on)\b",
)
# only mentions a booking the caller has: "I'm calling about my reservation under Roberts"
# "I'm calling about a reservation": an existing one, or a new one? (the agent asks)
_ABOUT_A_BOOKING = _rx(
    rf"\b(?:calling|call|ringing|phoning|question|enquiry|inquiry)\s+(?:about|regarding|re)\s+"
    rf"(?:a|an)\s+(?:\w+\s+)?{_BOOKING_NOUN}\b"
)
_ENQUIRY = _rx(
    r"\b(?:about|regarding|concerning|re|question\s+(?:about|on))\s+(?:my|our|the|a)\s+"
    rf"(?:\w+\s+)?{_BOOKING_NOUN}",
    rf"\b{_BOOKING_NOUN}\s+(?:is\s+|was\s+)?(?:under|in\s+the\s+name)\b",
)
_POLICY_ASKED = _rx(
    r"\b(?:fees?|charge[ds]?|penalty|polic(?:y|ies)|refunds?|refundable|free\s+of\s+charge|"
    r"for\s+free|cost)\b.*\?|\?.*\b(?:fees?|charge[ds]?|penalty|polic(?:y|ies)|refunds?)\b",
    r"\b(?:what\s+happens|how\s+(?:late|far\s+ahead|long\s+before)|until\s+when|by\s+when)\b",
    r"\bif\s+(?:i|we)\s+(?:book|need|have|want|had|were)\b",
)
"""A question about the rules for changing or cancelling, not a change asked for."""
_NO_TEXT = _rx(
    r"\b(?:no|don'?t|do\s+not|no\s+need\s+to|without\s+a?)\s+(?:\w+\s+){0,3}?"
    r"(?:text|texts|sms|message|texting)\b",
    r"\bnot?\s+(?:need|want)\s+(?:a|the|any)\s+(?:text|sms|message|confirmation)\b",
)
_WORD_MINUTES = {
    "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "twenty-five": 25,
    "thirty": 30, "forty": 40, "forty five": 45, "forty-five": 45,
}  # fmt: skip
_MINUTES = re.compile(
    r"\b(\d{1,3}|five|ten|fifteen|twenty[\s-]five|twenty|thirty|forty[\s-]five|forty)\s*"
    r"(?:minutes?|mins?)\b",
    re.IGNORECASE,
)
_HOUR = re.compile(
    r"\b(half\s+(?:an\s+)?hour|quarter\s+(?:of\s+)?(?:an\s+)?hour|an\s+hour|hour\s+late)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BookingIntent:
    """`action` asked for (None: only a booking was mentioned); `existing`: the caller
    referred to a booking they already have."""

    action: ManageAction | None
    existing: bool
    enquiry: bool = False  # "I'm calling about my reservation": which action comes next

    @property
    def is_request(self) -> bool:
        """A request about an existing booking, strong enough to win over other readings."""
        if self.action in ("late", "check"):
            return True
        return self.existing and (self.action is not None or self.enquiry)


def booking_intent(text: str) -> BookingIntent | None:
    """The management request in an utterance, or None when it has none (a question about the
    policy, "if I book and need to cancel, is there a fee?", asks to change nothing)."""
    existing = bool(_EXISTING.search(text))
    if not existing and _POLICY_ASKED.search(text):
        return None
    action = actions(text)
    if not action and existing and special_requests(text):
        action = ["note"]  # "we have a reservation Saturday, can we get a window table?"
    if not action and not existing:
        return None
    return BookingIntent(
        action=action[0] if action else None,
        existing=existing,
        enquiry=bool(_ENQUIRY.search(text)),
    )


def actions(text: str) -> list[ManageAction]:
    """Every action the utterance asks for, most specific first; after a retraction ("cancel
    it. Actually no, move it"), the ones asked for after it."""
    later = after_retraction(text)
    if later and (retracted := _actions_in(later)):
        return retracted
    return _actions_in(text)


def _actions_in(text: str) -> list[ManageAction]:
    found: list[ManageAction] = []
    for name, pattern in (
        ("check", _CHECK),
        ("late", _LATE),
        ("party", _PARTY),  # before cancel: "one of us can't come, so we'll be 3"
        ("cancel", _CANCEL),
        ("move", _MOVE),
        ("note", _NOTE),
        ("party", _HEADCOUNT),
    ):
        if name in found:
            continue
        if pattern.search(text) or (pattern is _PARTY and mentions_party_change(text)):
            found.append(name)  # type: ignore[arg-type]
    if "move" not in found and _shifted(text):
        found.append("move")  # "an hour later", "the day after"
    if "move" not in found and _NOT_THIS_BUT_THAT.search(text) and _EXISTING.search(text):
        found.append("move")
    dropping_out = "party" in found or someone_else_drops_out(text)
    if "cancel" in found and dropping_out and not _CANCEL_EXPLICIT.search(text):
        found.remove("cancel")  # one guest not coming is not the booking called off
    return found


def _shifted(text: str) -> bool:
    """A time or day said relative to the booking's ("push it back an hour", "a day later")."""
    return time_shift(text) is not None or day_shift(text) is not None


def about_a_booking(text: str) -> bool:
    """ "Calling about a reservation": could be one the caller has, or a new one."""
    return bool(_ABOUT_A_BOOKING.search(text))


def no_text_wanted(text: str) -> bool:
    """The caller asked not to be sent a text message."""
    return bool(_NO_TEXT.search(text))


def late_minutes(text: str) -> int | None:
    """How late the caller says they will be, in minutes ("20 minutes", "half an hour")."""
    match = _MINUTES.search(text)
    if match:
        raw = match.group(1).lower().replace("-", " ")
        raw = " ".join(raw.split())
        value = int(raw) if raw.isdigit() else _WORD_MINUTES.get(raw)
        return value if value and 0 < value <= 240 else None
    hour = _HOUR.search(text)
    if hour:
        words = hour.group(1).lower()
        return 30 if words.startswith("half") else 15 if words.startswith("quarter") else 60
    return None
