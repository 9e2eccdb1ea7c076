"""What a caller wants from one utterance, by keyword patterns (used by RAG and the rules brain)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from resvoice.agent.booking_intents import booking_intent

Intent = Literal[
    "human",
    "manage",
    "book",
    "availability",
    "menu",
    "policy",
    "faq",
    "yes",
    "no",
    "goodbye",
    "thanks",
    "greeting",
]


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_HUMAN = _rx(
    r"\b(speak|talk|chat)\s+(to|with)\s+(a|an|the|some|your)?\s*(real\s+|live\s+|actual\s+)?"
    r"(person|human|manager|supervisor|someone|somebody|staff|representative|agent|host|owner|"
    r"people)\b",
    r"\b(real|live|actual)\s+(person|human)\b",
    r"\b(operator|representative)\b",
    r"\btransfer\s+me\b",
    r"\bput\s+me\s+through\b",
    r"\bget\s+me\s+(a|the|some)?\s*(person|human|manager|supervisor|someone|somebody)\b",
    r"\b(person|human|manager|supervisor|someone|somebody)\s+(i|we)\s+(can|could)\s+"
    r"(speak|talk|chat)\s+(to|with)\b",
    r"\b(can|could|may)\s+i\s+(have|get)\s+(a|the|your)\s+(manager|supervisor|owner)\b",
    r"\bis\s+(the|your)\s+(manager|supervisor|owner)\s+(there|in|around|available)\b",
    r"\b(connect|transfer)\s+me\s+(to|with)\b",
)
_BOOK = _rx(
    r"\b(book|booking|reserve|reservation|reservations)\b",
    r"\btable\s+for\b",
    r"\b(get|need|want|like|love|grab|after|book|reserve|have)\s+(a|one)\s+table\b",
    r"\blooking\s+for\s+a\s+table\b",
    r"^\W*(a\s+)?table\s+(please|for|tonight|tomorrow|on|this|next)\b",
    r"\bmake\s+a\s+(booking|reservation)\b",
)
_AVAILABILITY = _rx(
    r"\b(available|availability|openings?|free\s+tables?|any\s+tables?|room\s+for)\b",
    r"\bdo\s+you\s+have\s+(a\s+)?(table|anything|space|room|something)\b",
    r"\b(fully\s+)?booked\s+up\b",
)
_MENU = _rx(
    r"\b(menu|dish|dishes|food|eat|serve|serving|entree|entrees|starter|starters|appetizers?)\b",
    r"\b(vegan|vegetarian|gluten|dairy[- ]free|plant[- ]based|keto|halal|kosher)\b",
    r"\b(pasta|pizza|dessert|desserts|salad|salads|steak|fish|seafood|chicken|soup|wine|wines)\b",
    r"\b(cocktails?|beer|drinks?|specials?|kids'?\s+menu|price|prices|cost|how\s+much)\b",
)
_POLICY = _rx(
    r"\b(policy|policies|cancel|cancellation|deposit|dress\s*code|corkage|byob)\b",
    r"\b(dogs?|pets?|puppy|service\s+animal|kids?|children|child|high\s*chairs?|babies|baby)\b",
    r"\b(wheelchair|accessible|accessibility|step[- ]free|ramp)\b",
    r"\b(garden|terrace|al\s+fresco|wi[- ]?fi|internet|restrooms?|bathrooms?|toilets?|loo)\b",
    r"\b(allergy|allergies|allergic|parking|park|valet|late|running\s+late)\b",
    r"\b(walk[- ]?ins?|gift\s*cards?|pay|payment|credit\s+cards?|cash|patio|outdoor|outside)\b",
    r"\b(cake|birthday|celebrat\w*|large\s+part(y|ies)|bring\s+(my|our|a|some)\b)",
    r"\bbring\s+(?:(?:my|our|your|a|some)\s+)?(?:own\s+)?(?:wine|bottles?|booze|drinks?)\b",
)
_FAQ = _rx(
    r"\b(address|located|location|where\s+(exactly\s+)?are\s+you|directions|how\s+do\s+i\s+get)\b",
    r"\b(hours|open|opening|close|closing|when\s+are\s+you)\b",
    r"\b(phone\s+number|website|email\s+address|private\s+(event|events|dining|party|room))\b",
    r"\b(happy\s+hour|take[- ]?out|takeaway|delivery|to\s+go)\b",
)
_YES = _rx(
    r"^\s*(yes|yeah|yep|yup|sure|correct|right|exactly|absolutely|definitely|ok|okay|perfect"
    r"|great|sounds\s+good|that'?s\s+(right|correct|perfect|it)|please\s+do|go\s+ahead"
    r"|book\s+it|do\s+it|confirm|uh[- ]huh|mm[- ]hmm|yes\s+please|that\s+works|works\s+for\s+me"
    r"|that\s+would\s+be\s+(great|perfect|fine)|fine)\b",
)
_NO = _rx(
    r"^\s*(no|nope|nah|not\s+really|not\s+quite|that'?s\s+(wrong|not\s+right|incorrect)"
    r"|wrong|incorrect|negative)\b",
)
_GOODBYE = _rx(
    r"\b(bye|goodbye|good\s*bye|see\s+you|that'?s\s+all|that'?s\s+it|nothing\s+else"
    r"|no\s+thanks|no\s+thank\s+you|have\s+a\s+good\s+(one|night|day|evening)"
    r"|(i'?ll|we'?ll|i\s+will|we\s+will|and)\s+(just\s+)?call\s+(you\s+)?back)\b",
)
_THANKS = _rx(r"\b(thanks|thank\s+you|cheers|appreciate\s+it)\b")
_GREETING = _rx(r"^\s*(hi|hello|hey|good\s+(morning|afternoon|evening))\b")
_QUESTION = _rx(
    r"\?\s*$",
    r"^\s*(what|which|where|when|how|do|does|can|could|is|are|will|would|may|should)\b",
    r"^\s*(whats|wheres|hows|have\s+you\s+got|got\s+any|tell\s+me\s+about)\b",
)

_NEW_BOOKING = _rx(
    r"\b(?:make|book|reserve|get)\s+(?:a|another|one\s+more|a\s+new)\s+(?:\w+\s+)?"
    r"(?:table|booking|reservation)\b",
    r"\b(?:new|another|second)\s+(?:table|booking|reservation)\b",
    r"\btable\s+for\s+\w+\b",
)

_ORDER: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("human", _HUMAN),
    ("book", _BOOK),
    ("availability", _AVAILABILITY),
    ("menu", _MENU),
    ("policy", _POLICY),
    ("faq", _FAQ),
    ("yes", _YES),
    ("no", _NO),
    ("goodbye", _GOODBYE),
    ("thanks", _THANKS),
    ("greeting", _GREETING),
)


@dataclass(frozen=True)
class Intents:
    """Every intent found in an utterance, plus whether it is phrased as a question."""

    found: frozenset[Intent]
    question: bool

    def __contains__(self, intent: object) -> bool:
        return intent in self.found

    @property
    def info_request(self) -> Literal["menu", "policy", "faq"] | None:
        """The knowledge the caller is asking about, if this is a question to answer."""
        if not self.question and not self.found & {"menu", "policy", "faq"}:
            return None
        for kind in ("policy", "faq", "menu"):
            if kind in self.found and (self.question or kind != "menu"):
                return kind
        if self.question and "menu" in self.found:
            return "menu"
        return None


def classify(text: str) -> Intents:
    found = frozenset(intent for intent, pattern in _ORDER if pattern.search(text))
    request = booking_intent(text)
    if request is not None and request.is_request:
        # about a booking the caller has: not a new booking, nor a policy question
        found = (found - {"book", "availability", "policy"}) | {"manage"}
    elif request is not None and request.existing and not _NEW_BOOKING.search(text):
        # "can I bring my dog to my reservation?": a question, not a new booking
        found = found - {"book"}
    return Intents(found=found, question=bool(_QUESTION.search(text)))
