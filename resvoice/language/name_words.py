"""Which words can be part of a person's name: a stop list of everyday words and name shapes.

A word is a name word when it is not a word callers use for something else (fillers,
interjections, greetings, function words, booking and restaurant words, days, months, numbers,
named occasions, common verbs and adjectives), has the letters of a name (alphabetic, with
inner apostrophes or hyphens as in O'Brien or Smith-Jones, at least one vowel or "y"), and, in
text that carries capitals, starts with one. Surnames that are also words (Bell, Grant, Young)
stay names: the stop list holds only words that are far more often something else on a call.
"""

from __future__ import annotations

import re

__all__ = ["FILLERS", "GREETINGS", "INTERJECTIONS", "STOP_WORDS", "has_case", "is_name_word"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FILLERS: frozenset[str] = _words(
    """
    um umm ummm uh uhh uhm er erm err hmm hm mm mmm mhm ah ahh aah eh oh ooh ok okay okey
    so well like yeah yes yep yup ya yah nah no nope right alright sure basically actually
    literally anyway anyways kinda sorta kind sort just also really totally honestly
    """
)
INTERJECTIONS: frozenset[str] = _words(
    """
    wait hold sorry oops whoops pardon excuse what huh gosh wow whoa oh hey yikes ugh argh
    damn darn dang shoot jeez geez lol haha hah ha great perfect lovely brilliant cool
    awesome wonderful fantastic excellent nice fine good thanks thank cheers ta please aha
    amazing super sweet gotcha absolutely definitely exactly correct indeed certainly sounds
    """
)
# "high" is how speech-to-text often writes "hi".
GREETINGS: frozenset[str] = _words(
    """
    hi hiya hello hallo hullo hey heya heyo howdy yo greetings morning afternoon evening
    evenin mornin bye goodbye goodnight welcome high
    """
)
_COMMON = _words(
    """
    a an the and or but nor for of to at on in by with from into onto about above after
    before under over up down out off is are was were be been being am it its it's itself
    this that these those there here then than when where who whom whose which what why how
    if as i me my mine we us our ours you your yours he him his she her hers they them
    their theirs one's myself yourself ourselves not also still only even very too much
    many more most some any all both each every few no yes maybe perhaps probably
    table tables booking bookings reservation reservations reserve reserved book booked
    party people person persons guests guest group seat seats seating spot spots room
    tonight today tomorrow yesterday morning afternoon evening night noon midnight midday lunch
    dinner breakfast brunch supper time times date dates day days week weeks month months
    year years hour hours minute minutes weekend weekday next last this coming ish o'clock
    oclock monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu
    thur thurs fri sat sun january february march april may june july august september
    october november december jan feb mar apr jun jul aug sep sept oct nov dec
    valentine valentine's valentines christmas xmas easter thanksgiving halloween new eve
    mother's mothers father's fathers independence memorial labor labour veterans
    presidents juneteenth year's st saint patrick's
    zero oh one two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
    seventy eighty ninety hundred thousand dozen couple half quarter double triple first
    second third fourth fifth sixth seventh eighth ninth tenth
    calling call called looking wondering trying hoping going coming come came get got
    getting want wanted wanting need needed needing like liked would could can can't
    cannot will won't should shall might must do does did done don't doesn't didn't have
    has had having make made making put putting take taking give giving let let's see say
    said tell told know think thought mean meant go went bring bringing check checking
    change changing cancel confirm confirmed move moving keep hear heard speak speaking
    talk talking ask asking try wish love
    i'm i'll i'd i've you're you'll we're we'll we'd they're that's there's what's it'll
    here's he's she's
    name names number phone mobile cell email address code area digits digit line
    wrong free available open closed done finished ready interested same different other
    another else bad busy full
    husband wife partner boyfriend girlfriend fiance fiancee son daughter mom mum mother
    dad father friend friends family kids kid children child baby babies brother sister
    aunt uncle grandma grandpa grandmother grandfather colleague colleagues boss team
    client clients mr mrs ms miss dr doctor sir madam ma'am
    restaurant place food menu drink drinks wine bar patio window booth inside outside
    outdoor indoor private vegan vegetarian gluten allergy birthday anniversary
    celebration deposit parking cake dog dogs italian mexican chinese indian thai japanese
    french greek spanish korean vietnamese american
    again instead though although because since until till while during early late
    earlier later soon now already yet ago
    something anything nothing everything someone anyone somebody anybody everyone
    gonna wanna gotta lemme sound works work worked end
    """
)
STOP_WORDS: frozenset[str] = _COMMON | FILLERS | INTERJECTIONS | GREETINGS

_SHAPE_RE = re.compile(r"^[A-Za-z](?:[A-Za-z]|['’-](?=[A-Za-z]))*$")
_VOWEL_RE = re.compile(r"[aeiouy]", re.IGNORECASE)


def is_name_word(word: str, *, cased: bool) -> bool:
    """True when `word` can be (part of) a person's name.

    Args:
        word: one word as the caller's text has it.
        cased: the text carries capitals (typed, or an STT that capitalises names), so a name
            must start with one.
    """
    bare = word.strip("'’-.,")
    if len(bare) < 2 or not _SHAPE_RE.match(bare) or not _VOWEL_RE.search(bare):
        return False
    low = bare.lower().replace("’", "'")
    if low in STOP_WORDS or (low.endswith("'s") and low[:-2] in STOP_WORDS):
        return False  # "name's", "today's" are everyday words too
    return not (cased and not bare[0].isupper())


def has_case(text: str) -> bool:
    """True when `text` carries capitals somewhere other than its very first letter, so a
    lower-case word in it was written lower-case on purpose."""
    letters = [c for c in text.lstrip(" \"'")[1:] if c.isalpha()]
    return any(c.isupper() for c in letters) and any(c.islower() for c in letters)
