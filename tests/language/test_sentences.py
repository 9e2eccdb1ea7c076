"""The streaming sentence splitter: examples, then properties over generated replies."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resvoice.language.sentences import SentenceSplitter, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Dr. Smith will see you at 7:30 p.m. on Friday. It costs $12.50 per person!",
            ["Dr. Smith will see you at 7:30 p.m. on Friday.", "It costs $12.50 per person!"],
        ),
        ("We open at 5 p.m. See you then.", ["We open at 5 p.m.", "See you then."]),
        (
            "Try a starter, e.g. the burrata. Or soup.",
            ["Try a starter, e.g. the burrata.", "Or soup."],
        ),
        (
            "Our specials: 1. Pasta 2. Pizza 3. Salad. Anything else?",
            ["Our specials: 1. Pasta 2. Pizza 3. Salad.", "Anything else?"],
        ),
        ("1. Pasta. 2. Pizza.", ["1. Pasta.", "2. Pizza."]),
        ("A table for 4. Is that right?", ["A table for 4.", "Is that right?"]),
        ("Mr. and Mrs. J. Smith, party of 2.", ["Mr. and Mrs. J. Smith, party of 2."]),
        ("Great! Wait... really?", ["Great!", "Wait...", "really?"]),
        ("Pasta\nPizza and more\n", ["Pasta", "Pizza and more"]),
        ("", []),
    ],
)
def test_examples(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_a_long_first_sentence_is_cut_at_a_clause_so_speech_starts_early() -> None:
    text = (
        "Thank you for calling Olive and Ember, this is the reservations line, "
        "how can I help you today? We are open until ten."
    )
    splitter = SentenceSplitter()
    first: list[str] = []
    index = 0
    while not first:
        first = splitter.feed(text[index])
        index += 1
    index -= 1
    assert first == ["Thank you for calling Olive and Ember,"]
    assert index < len("Thank you for calling Olive and Ember, this is the reservations")
    rest = splitter.feed(text[index + 1 :]) + splitter.flush()
    assert rest == [
        "this is the reservations line, how can I help you today?",
        "We are open until ten.",
    ]


def test_a_long_first_sentence_given_whole_is_still_cut() -> None:
    text = "Great, a table for 4 on Saturday, February 7th at 7 PM. May I have a name?"
    assert split_sentences(text) == [
        "Great, a table for 4 on Saturday,",
        "February 7th at 7 PM.",
        "May I have a name?",
    ]
    short_tail = "Thank you for calling Olive and Ember in the old town, Sam."
    assert split_sentences(short_tail) == [short_tail]


def test_later_sentences_are_not_cut_at_commas() -> None:
    text = "Sure. " + "We have pasta, pizza, salad, soup, bread, wine and many desserts too."
    assert split_sentences(text) == [
        "Sure.",
        "We have pasta, pizza, salad, soup, bread, wine and many desserts too.",
    ]


def test_a_sentence_is_given_as_soon_as_it_is_certain() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("Your table is booked.") == ["Your table is booked."]  # no waiting
    assert splitter.feed(" It costs $12.") == []  # "$12." may become "$12.50"
    assert splitter.feed("50 each. See you at 7 p.m.") == ["It costs $12.50 each."]
    assert splitter.feed(" on") == []  # "p.m." did not end the sentence
    assert splitter.feed(" Friday! Bye") == ["See you at 7 p.m. on Friday!"]
    assert splitter.feed(" Dr.") == []
    assert splitter.feed(" Smith?") == ["Bye Dr. Smith?"]
    assert splitter.flush() == []


# --- properties ------------------------------------------------------------------------------

PROTECTED = [
    "Dr. Smith",
    "Mr. Jones",
    "Mrs. Lee",
    "$12.50",
    "$1,200.99",
    "7:30 p.m. on",
    "9 a.m. sharp",
    "e.g. the",
    "i.e. a",
    "St. Louis",
    "J. R. Hartley",
]
WORDS = ["table", "for", "four", "Saturday", "the", "pasta", "Pizza", "we", "open", "at", "9"]
ENDS = [".", "!", "?", ",", ";", ":", ""]


@st.composite
def replies(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A reply and the spans of its protected tokens, in whitespace-free coordinates."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for _ in range(draw(st.integers(1, 30))):
        kind = draw(st.sampled_from(["word", "word", "protected", "list"]))
        if kind == "protected":
            token = draw(st.sampled_from(PROTECTED))
        elif kind == "list":
            count = draw(st.integers(1, 3))
            token = "".join(f" {n}. {draw(st.sampled_from(WORDS))}" for n in range(1, count + 1))
            token = ":" + token
        else:
            token = draw(st.sampled_from(WORDS)) + draw(st.sampled_from(ENDS))
        squeezed = "".join(token.split())
        if kind != "word":
            spans.append((position + (kind == "list"), position + len(squeezed)))
        position += len(squeezed)
        parts.append(token)
    separators = draw(st.lists(st.sampled_from([" ", " ", "  ", "\n"]), min_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, separators, strict=False))
    return text, spans


@st.composite
def deltas(draw: st.DrawFn, text: str) -> list[str]:
    cuts = sorted(draw(st.sets(st.integers(0, max(0, len(text))), max_size=12)))
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def stream(pieces: list[str]) -> list[str]:
    splitter = SentenceSplitter()
    out: list[str] = []
    for piece in pieces:
        out += splitter.feed(piece)
    return out + splitter.flush()


@settings(max_examples=300, deadline=None)
@given(data=st.data(), reply=replies())
def test_sentences_rejoin_to_the_reply_and_never_cut_a_protected_token(
    data: st.DataObject, reply: tuple[str, list[tuple[int, int]]]
) -> None:
    text, spans = reply
    out = stream(data.draw(deltas(text)))
    assert "".join("".join(out).split()) == "".join(text.split())
    assert all(sentence.strip() == sentence and sentence for sentence in out)
    cuts, position = set(), 0
    for sentence in out[:-1]:
        position += len("".join(sentence.split()))
        cuts.add(position)
    inside = [(a, b, cut) for a, b in spans for cut in cuts if a < cut < b]
    assert inside == [], (text, out)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab .!?,;:$1\n\"')-")), max_size=120))
def test_any_text_rejoins(text: str) -> None:
    out = stream(list(text))
    assert "".join("".join(out).split()) == "".join(text.split())
    whole = split_sentences(text)
    assert "".join("".join(whole).split()) == "".join(text.split())
    assert bool(whole) == bool(text.strip())
