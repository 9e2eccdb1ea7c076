"""Confirmation texts: everything a guest needs, in one SMS segment where the names allow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from resvoice.agent.texts import confirmation_text, sms_segments
from resvoice.restaurant.loader import load_profile
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.storage.records import Reservation, TableRecord

PROFILE = load_profile(Path(__file__).resolve().parents[2] / "fixtures" / "restaurant.yaml")


def _reservation(day: dt.date = dt.date(2026, 9, 30), party: int = 12) -> Reservation:
    return Reservation(
        id=1, table=TableRecord(id=1, name="T1", seats=12), end_time=dt.time(21, 0),
        created_at=dt.datetime(2026, 9, 1), conversation_id=None, name="Nora Quinn",
        phone="+14155550122", party_size=party, date=day, time=dt.time(19, 30), code="KD3PNY",
    )  # fmt: skip


def _renamed(name: str) -> RestaurantProfile:
    restaurant = PROFILE.restaurant.model_copy(update={"name": name})
    return PROFILE.model_copy(update={"restaurant": restaurant})


@pytest.mark.parametrize("kind", ["booked", "changed", "cancelled"])
def test_each_text_says_it_all_in_one_segment(kind: str) -> None:
    body = confirmation_text(kind, _reservation(), PROFILE)  # type: ignore[arg-type]
    assert sms_segments(body) == 1 and len(body) <= 160, body
    for part in ("Olive & Ember", "KD3PNY", "table for 12", "7:30 PM", "+1 555 010 0200"):
        assert part in body
    assert "Wednesday, September 30" in body or "Wed Sep 30" in body


@pytest.mark.parametrize("kind", ["booked", "changed", "cancelled"])
def test_a_long_name_takes_the_short_wording(kind: str) -> None:
    profile = _renamed("The Grand Riverside Brasserie and Oyster Bar")
    body = confirmation_text(kind, _reservation(), profile)  # type: ignore[arg-type]
    assert sms_segments(body) == 1, body
    assert "Wed Sep 30" in body and "KD3PNY" in body and "+1 555 010 0200" in body


def test_segments_follow_gsm7_and_ucs2_budgets() -> None:
    assert sms_segments("a" * 160) == 1 and sms_segments("a" * 161) == 2
    assert sms_segments("€" * 80) == 1 and sms_segments("€" * 81) == 2  # extension: 2 each
    assert sms_segments("ō" * 70) == 1 and sms_segments("ō" * 71) == 2  # not GSM-7: UCS-2
    assert sms_segments("a" * 306) == 2 and sms_segments("a" * 307) == 3
