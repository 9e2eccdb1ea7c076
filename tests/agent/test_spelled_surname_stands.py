"""A surname the caller spelled stands against a later hearing that only sounds like it: the
recogniser writes "Raman" as "Ramen" again when the caller says the whole name once more."""

from __future__ import annotations

from resvoice.runtime import Runtime
from tests.agent.test_session import say, session


async def name_after(runtime: Runtime, *texts: str) -> str | None:
    s = session(runtime)
    for text in texts:
        await say(s, text)
    return s.state.notepad.name


async def test_a_spelled_surname_stands_against_one_that_sounds_like_it(
    runtime: Runtime,
) -> None:
    booking = "A table for 2 on Friday at 7 pm please"
    spelled = await name_after(runtime, booking, "Rio Ramen", "No, it's Rio Raman, R, A, M, A, N.")
    assert spelled == "Rio Raman"
    again = await name_after(
        runtime,
        booking,
        "Rio Ramen",
        "No, it's Rio Raman, R, A, M, A, N.",
        "No, the name is Priya Ramen.",
    )
    assert again == "Priya Raman"  # the first name taken, the spelled surname kept


async def test_another_surname_said_outright_still_replaces_it(runtime: Runtime) -> None:
    name = await name_after(
        runtime,
        "A table for 2 on Friday at 7 pm please",
        "Rio Ramen",
        "No, it's Rio Raman, R, A, M, A, N.",
        "Sorry, no, put it under Dana Whitfield.",
    )
    assert name == "Dana Whitfield"


async def test_a_first_name_spelled_as_the_first_name_keeps_the_surname(
    runtime: Runtime,
) -> None:
    booking = "A table for 2 on Friday at 7 pm please"
    # the whole name heard wrong in its first word; the caller spells the first name
    spelled = await name_after(
        runtime, booking, "Rio Raman", "No, my first name is Rio, P, R, I, Y, A."
    )
    assert spelled == "Priya Raman"
    said = await name_after(runtime, booking, "Jon Whitfield", "Sorry, my first name is Dana.")
    assert said == "Dana Whitfield"


async def test_a_listed_first_name_said_wins_over_letters_that_make_none(
    runtime: Runtime,
) -> None:
    """ "My first name is Abbie, A, double B, I, E" heard "... Abbie A, W-I-E": the census lists
    Abbie, not Awie, so Abbie is taken; an unlisted first name spelled is taken as spelled."""
    booking = "A table for 2 on Friday at 7 pm please"
    heard = await name_after(
        runtime, booking, "Abby Lawson", "No, my first name is Abbie A, W-I-E."
    )
    assert heard == "Abbie Lawson"
    unlisted = await name_after(
        runtime, booking, "Rio Raman", "No, my first name is Rio, P, R, I, Y, A."
    )
    assert unlisted == "Priya Raman"


async def test_a_word_heard_after_first_name_is_is_not_the_first_name(runtime: Runtime) -> None:
    """ "my first name is my B-A-W-B-I-E": "My" is on the census lists, but here a word; the
    letters, as heard, are the first name and the surname stays."""
    booking = "A table for 2 on Friday at 7 pm please"
    heard = await name_after(
        runtime, booking, "Abby Lawson", "No, my first name is my B-A-W-B-I-E."
    )
    assert heard is not None and heard.endswith(" Lawson") and not heard.startswith("My ")
