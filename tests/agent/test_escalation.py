"""Escalation triggers that are not covered by a whole transcript."""

from __future__ import annotations

from resvoice.agent.escalation import FrustrationMeter, strip_marker


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
