"""Escalation triggers that are not covered by a whole transcript."""

from __future__ import annotations

import datetime as dt

from resvoice.agent.clock import FixedClock
from resvoice.agent.escalation import FrustrationMeter, strip_marker
from resvoice.agent.events import Escalated
from resvoice.runtime import Runtime


def test_calm_turns_never_add_up() -> None:
    meter = FrustrationMeter()
    for text in ["table for two", "no", "Friday", "no thanks", "yes"] * 3:
        assert not meter.observe(text)


def test_anger_and_not_being_heard_escalate() -> None:
    meter = FrustrationMeter()
    assert not meter.observe("this is ridiculous")
    assert meter.observe("are you even listening")


def test_repeated_flat_no_and_misunderstanding_escalate() -> None:
    meter = FrustrationMeter()
    assert not meter.observe("no")
    assert not meter.observe("no")  # second flat no: one point
    assert not meter.misunderstood()  # two
    assert meter.observe("no")  # third flat no in a row: three


def test_old_turns_fall_out_of_the_window() -> None:
    meter = FrustrationMeter()
    meter.observe("this is useless")
    for text in ["table for 2", "Friday", "7pm"]:
        assert not meter.observe(text)
    assert not meter.observe("this is useless")


def test_marker_is_removed() -> None:
    assert strip_marker("One moment. <ESCALATE> Transferring.") == (
        "One moment. Transferring.",
        True,
    )
    assert strip_marker("Nothing here") == ("Nothing here", False)


async def test_one_misheard_answer_late_in_a_booking_is_asked_again_not_escalated(
    runtime: Runtime,
) -> None:
    clock = FixedClock.at(dt.datetime(2026, 2, 2, 15, 30), runtime.profile.restaurant.timezone)
    call = runtime.session(clock=clock)
    lines = ["I'd like to make a reservation", "four people", "Friday", "8pm"]
    for line in [*lines, "Family.", "It's Sam Lee", "212 555 0147", "yes"]:
        events = [event async for event in call.turn(line)]
        assert not any(isinstance(e, Escalated) for e in events), line
    assert call.state.reservation_id is not None


async def test_a_booking_stuck_for_turns_in_a_row_is_handed_over(runtime: Runtime) -> None:
    clock = FixedClock.at(dt.datetime(2026, 2, 2, 15, 30), runtime.profile.restaurant.timezone)
    call = runtime.session(clock=clock)
    lines = ["I'd like to make a reservation", "four people", "Friday", "8pm"]
    escalated = []
    for line in [*lines, "Family.", "Hmm.", "Well, maybe."]:
        events = [event async for event in call.turn(line)]
        escalated += [e for e in events if isinstance(e, Escalated)]
    assert [e.reason for e in escalated] == ["missing_data"]
