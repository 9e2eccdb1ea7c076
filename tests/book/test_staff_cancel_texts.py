"""A staff cancellation made with `resvoice bookings cancel CODE` reaches Twilio's REST API.

The command runs as its own process, as staff run it; the peer is the fake Twilio REST server
(`tests/fakes/twilio_rest.py`), which speaks the documented Messages API and checks basic auth
and the exact form fields.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.storage.records import ReservationRequest
from tests.book.test_bookings_command import PHONE, WEDNESDAY
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest

ACCOUNT_SID = "AC" + "3" * 32
AUTH_TOKEN = "staff-cancel-token"
FROM = "+14155550000"
SERVICE = "MG" + "4" * 32
ROOT = Path(__file__).resolve().parents[2]


async def _cli(*args: str, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "resvoice.cli", *args,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, output.decode()


@pytest.mark.parametrize("sender", ["From", "MessagingServiceSid"])
async def test_a_staff_cancel_from_the_command_line_is_texted_through_twilio(
    seeded_url: str, settings: Settings, sender: str
) -> None:
    async with await Runtime.open(settings, seeded_url) as runtime:
        booked = await runtime.storage.book(
            ReservationRequest(
                conversation_id="CA-1", name="Nora Quinn", phone=PHONE, party_size=3,
                date=WEDNESDAY, time=dt.time(19, 30), sitting_minutes=90,
            )
        )  # fmt: skip
    reservation = booked.reservation
    assert reservation is not None
    twilio = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN)
    env = {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_PHONE_NUMBER": FROM,
    }
    if sender == "MessagingServiceSid":
        env["TWILIO_MESSAGING_SERVICE_SID"] = SERVICE
    async with serving(twilio.app()) as url:
        code, output = await _cli(
            "bookings", "cancel", reservation.code, "--db", seeded_url,
            env={**env, "RESVOICE_TWILIO_API_URL": url},
        )  # fmt: skip
    assert code == 0, output
    assert f"{reservation.code} cancelled" in output and "texting" in output
    [message] = twilio.messages
    expected_sender = {"From": FROM} if sender == "From" else {"MessagingServiceSid": SERVICE}
    assert message.params == {"To": PHONE, "Body": message.params["Body"], **expected_sender}
    body = message.params["Body"]
    assert "Olive & Ember" in body and "cancelled" in body and reservation.code in body
    assert "table for 3" in body and len(body) <= 160  # one SMS segment
    async with await Runtime.open(settings, seeded_url) as runtime:
        [stored] = await runtime.storage.texts(reservation_id=reservation.id)
        changes = await runtime.storage.reservation_changes(reservation.id)
    assert (stored.status, stored.provider_id, stored.body) == ("sent", message.sid, body)
    assert stored.conversation_id is None
    assert [(c.kind, c.by) for c in changes] == [("book", "caller"), ("cancel", "staff")]
