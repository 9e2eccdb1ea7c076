"""Matters for the team (a complaint, something left behind, a job): the agent offers to put
the caller through, and a "yes" to any transfer it offered is a hand-off the caller asked for."""

from __future__ import annotations

import pytest

from resvoice.agent.events import Escalated, SessionEvent
from resvoice.runtime import Runtime
from tests.agent.test_session import reply, say, session


def escalations(events: list[SessionEvent]) -> list[Escalated]:
    return [e for e in events if isinstance(e, Escalated)]


@pytest.mark.parametrize(
    "matter",
    [
        "Hi, I'm calling with a complaint about my dinner on Friday",
        "I think I left my scarf there last night",
        "did anybody hand in a set of keys?",
        "are you hiring at the moment?",
        "you charged me twice for my meal",
    ],
)
async def test_a_matter_for_the_team_is_offered_a_transfer(runtime: Runtime, matter: str) -> None:
    s = session(runtime)
    first = await say(s, matter)
    assert "put you through" in reply(first) and not escalations(first)
    second = await say(s, "yes please")
    [handoff] = escalations(second)
    assert handoff.reason == "user_requested"


async def test_no_to_the_offer_keeps_the_call_with_the_agent(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "I lost my glasses at your restaurant yesterday")
    answer = await say(s, "no, that's okay")
    assert not escalations(answer) and "anything else" in reply(answer)
    booking = reply(await say(s, "actually, can I book a table for 2 on Friday at 7"))
    assert "Friday" in booking


async def test_yes_to_the_offer_after_an_unanswered_question_transfers(runtime: Runtime) -> None:
    s = session(runtime)
    first = await say(s, "what's the wifi password?")
    assert "transferred" in reply(first)
    [handoff] = escalations(await say(s, "yes"))
    assert handoff.reason == "user_requested"


async def test_yes_without_an_offer_is_not_a_transfer(runtime: Runtime) -> None:
    s = session(runtime)
    await say(s, "Do you have parking?")
    assert not escalations(await say(s, "yes"))


@pytest.mark.parametrize(
    "text",
    ["is there a human I can talk to", "get me somebody", "can I have the manager please"],
)
async def test_asking_for_a_person_in_other_words(runtime: Runtime, text: str) -> None:
    [handoff] = escalations(await say(session(runtime), text))
    assert handoff.reason == "user_requested"
