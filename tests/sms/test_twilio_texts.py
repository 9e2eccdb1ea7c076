"""Texts through the real `twilio` SDK against a local fake of Twilio's REST API.

A booking call made through the runtime texts the guest; Twilio refusing (401, 400), failing
once (500) or never answering (a timeout) leaves the call and the booking as they were, and the
text is stored with what became of it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator

import pytest

from resvoice.agent.clock import FixedClock
from resvoice.agent.events import TurnCompleted
from resvoice.agent.session import AgentSession
from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.sms.twilio_sms import TwilioMessenger
from resvoice.twilio_rest import close_twilio_client, twilio_client
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "sms-test-token"
FROM = "+14155550000"
SERVICE = "MG" + "9" * 32
CALLER = "+14155550122"
TODAY = dt.datetime(2026, 2, 2, 15, 30)
TURNS = (
    "Hi, a table for two on Wednesday at 7:30 please, name is Nora Quinn",
    "Yes, the number I'm calling from",
    "Yes please",
)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeTwilioRest, str]]:
    twilio = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN)
    async with serving(twilio.app()) as url:
        try:
            yield twilio, url
        finally:
            twilio.release()


def _settings(
    monkeypatch: pytest.MonkeyPatch, url: str, token: str = AUTH_TOKEN, **env: str
) -> Settings:
    values = {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": token,
        "TWILIO_PHONE_NUMBER": FROM,
        "RESVOICE_TWILIO_API_URL": url,
        "RESVOICE_TEXT_TIMEOUT": "1",
        **env,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return Settings()


async def _book_by_phone(runtime: Runtime, caller: str = CALLER) -> tuple[AgentSession, str]:
    """The shipped 'new booking is texted' call; returns the session (not ended) and the last
    reply."""
    timezone = runtime.profile.restaurant.timezone
    session = runtime.session(caller_id=caller, clock=FixedClock.at(TODAY, timezone))
    async for _ in session.start():
        pass
    reply = ""
    for text in TURNS:
        async for event in session.turn(text):
            if isinstance(event, TurnCompleted):
                reply = event.reply
    return session, reply


async def _booked(runtime: Runtime, session: AgentSession) -> None:
    assert session.state.reservation_id is not None
    reservation = await runtime.storage.reservation(session.state.reservation_id)
    assert reservation is not None and reservation.status == "booked"
    assert reservation.phone == CALLER and reservation.name == "Nora Quinn"


async def test_the_sdk_posts_exactly_to_from_and_body_with_basic_auth(
    fake: tuple[FakeTwilioRest, str],
) -> None:
    twilio, url = fake
    client = twilio_client(ACCOUNT_SID, AUTH_TOKEN, url)
    try:
        by_number = await TwilioMessenger(client, from_number=FROM).send(CALLER, "Hello")
        by_service = await TwilioMessenger(
            client, from_number=FROM, messaging_service_sid=SERVICE
        ).send(CALLER, "Again")
    finally:
        await close_twilio_client(client)
    assert by_number.sent and by_number.id == twilio.messages[0].sid
    assert by_service.sent and by_service.id == twilio.messages[1].sid
    assert [m.params for m in twilio.messages] == [
        {"To": CALLER, "From": FROM, "Body": "Hello"},
        {"To": CALLER, "MessagingServiceSid": SERVICE, "Body": "Again"},
    ]


async def test_a_booking_call_texts_the_guest(
    fake: tuple[FakeTwilioRest, str], monkeypatch: pytest.MonkeyPatch, seeded_url: str
) -> None:
    twilio, url = fake
    async with await Runtime.open(_settings(monkeypatch, url), seeded_url) as runtime:
        session, reply = await _book_by_phone(runtime)
        await session.end()
        await _booked(runtime, session)
        [stored] = await runtime.storage.texts(conversation_id=session.conversation_id)
        record = await runtime.storage.load_session(session.conversation_id)
    assert "all set" in reply.lower()
    [message] = twilio.messages
    assert message.params["To"] == CALLER and message.params["From"] == FROM
    body = message.params["Body"]
    for part in ("Olive & Ember", "Wednesday", "7:30 PM", "table for 2"):
        assert part in body
    assert (stored.status, stored.provider_id, stored.attempts) == ("sent", message.sid, 1)
    assert stored.body == body and stored.to == CALLER
    assert record is not None and record.metadata.texts == {"sent": 1}


@pytest.mark.parametrize(
    ("token", "faults", "error"),
    [
        ("wrong-token", [], "401"),
        (AUTH_TOKEN, [400, 400], "400"),
        (AUTH_TOKEN, ["hang", "hang"], "did not answer"),
    ],
    ids=["401", "400", "timeout"],
)
async def test_a_refused_or_silent_twilio_leaves_call_and_booking_alone(
    fake: tuple[FakeTwilioRest, str],
    monkeypatch: pytest.MonkeyPatch,
    seeded_url: str,
    token: str,
    faults: list[int | str],
    error: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    twilio, url = fake
    twilio.message_faults.extend(faults)  # type: ignore[arg-type]
    async with await Runtime.open(_settings(monkeypatch, url, token), seeded_url) as runtime:
        session, reply = await _book_by_phone(runtime)
        assert "all set" in reply.lower()  # the turn did not wait for the text
        await session.end()
        await _booked(runtime, session)
        [stored] = await runtime.storage.texts(conversation_id=session.conversation_id)
        record = await runtime.storage.load_session(session.conversation_id)
    assert twilio.messages == [] and twilio.message_requests == 2  # tried, then once more
    assert (stored.status, stored.attempts) == ("failed", 2)
    assert stored.error is not None and error in stored.error
    assert record is not None and record.metadata.texts == {"failed": 1}
    assert record.metadata.ended is True
    logged = [r for r in caplog.records if r.name.startswith("resvoice")]
    assert any(r.getMessage() == "text send failed" for r in logged)
    assert not [r for r in logged if CALLER in str(vars(r))]  # the number is masked (Twilio's
    # 400 names it in its message)


async def test_the_turn_does_not_wait_for_the_text_and_one_failure_is_retried(
    fake: tuple[FakeTwilioRest, str], monkeypatch: pytest.MonkeyPatch, seeded_url: str
) -> None:
    twilio, url = fake
    settings = _settings(monkeypatch, url, RESVOICE_TEXT_TIMEOUT="60")
    async with await Runtime.open(settings, seeded_url) as runtime:
        twilio.message_faults.append("hang")  # the first send hangs, then answers 500
        session, reply = await _book_by_phone(runtime)
        assert "all set" in reply.lower()
        await asyncio.wait_for(twilio.hanging.wait(), 10)  # the text is with Twilio...
        [queued] = await runtime.storage.texts(conversation_id=session.conversation_id)
        assert queued.status == "queued"  # ...while the booking turn has long answered
        twilio.release()
        await session.end()
        [stored] = await runtime.storage.texts(conversation_id=session.conversation_id)
    assert (stored.status, stored.attempts) == ("sent", 2)
    assert len(twilio.messages) == 1


@pytest.mark.parametrize(
    ("caller", "env", "reason"),
    [
        ("4155550122", {}, "E.164"),
        (CALLER, {"RESVOICE_TEXTS": "off"}, "RESVOICE_TEXTS=off"),
    ],
    ids=["not-e164", "texts-off"],
)
async def test_no_text_goes_to_a_number_not_e164_nor_when_texts_are_off(
    fake: tuple[FakeTwilioRest, str],
    monkeypatch: pytest.MonkeyPatch,
    seeded_url: str,
    caller: str,
    env: dict[str, str],
    reason: str,
) -> None:
    twilio, url = fake
    async with await Runtime.open(_settings(monkeypatch, url, **env), seeded_url) as runtime:
        outbox = runtime.outbox(conversation_id="call-x")
        result = await outbox.send(caller, "Your table is booked.")
        [stored] = await outbox.drain()
    assert not result.sent and result.error is not None and reason in result.error
    assert stored.status == "skipped" and reason in (stored.error or "")
    assert twilio.message_requests == 0
