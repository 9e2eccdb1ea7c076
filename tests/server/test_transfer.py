"""Transfer to a human: the real `twilio` client against a local fake of Twilio's REST API."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from starlette.testclient import TestClient

from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ServerContext
from resvoice.server.transfer import TransferSettings, twilio_client
from resvoice.storage.records import EscalationRecord
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest
from tests.server.conftest import ACCOUNT_SID, AGENT_NUMBER, AUTH_TOKEN, TWILIO_NUMBER, sign

CALL_SID = "CA" + "7" * 32


async def _escalation(runtime: Runtime) -> EscalationRecord:
    return await runtime.storage.create_escalation(
        EscalationRecord(conversation_id=CALL_SID, reason="user_requested", detail="[dtmf 0]")
    )


async def test_redirect_sends_exactly_the_dial_twiml(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    fake = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN)
    async with serving(fake.app()) as api:
        client = twilio_client(ACCOUNT_SID, AUTH_TOKEN, api)
        ctx = make_ctx(twilio=client)
        transfer = ctx.call_transfer(CALL_SID, "https://restaurant.example.com")
        escalation = await _escalation(runtime)
        assert await transfer.transfer(escalation) is True
        assert await transfer.transfer(escalation) is False  # one transfer per call
        assert await transfer.redirect() is True
        assert await transfer.redirect() is False
        await client.http_client.close()
    assert len(fake.updates) == 1
    update = fake.updates[0]
    assert update.call_sid == CALL_SID
    assert update.params == {
        "Twiml": (
            '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Connecting you now.</Say>'
            f'<Dial action="https://restaurant.example.com/twilio/dial?escalation={escalation.id}"'
            f' callerId="{TWILIO_NUMBER}" method="POST" timeout="20">'
            f"<Number>{AGENT_NUMBER}</Number></Dial></Response>"
        )
    }


async def test_twilio_refusing_the_update_marks_the_escalation_failed(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    fake = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN, missing_calls={CALL_SID})
    async with serving(fake.app()) as api:
        client = twilio_client(ACCOUNT_SID, AUTH_TOKEN, api)
        ctx = make_ctx(twilio=client)
        transfer = ctx.call_transfer(CALL_SID, "https://restaurant.example.com")
        escalation = await _escalation(runtime)
        assert await transfer.transfer(escalation) is True
        assert await transfer.redirect() is False
        await client.http_client.close()
    [row] = await runtime.storage.escalations(CALL_SID)
    assert row.status == "failed"
    assert "call the guest back" in row.detail
    assert 'resvoice_transfers_total{outcome="failed"} 1.0' in ctx.metrics.render().decode()


async def test_no_human_available_means_callback_without_rest_call(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    ctx = make_ctx(
        transfer_settings=TransferSettings(agent_number=AGENT_NUMBER, humans_available=False)
    )
    transfer = ctx.call_transfer(CALL_SID, "https://restaurant.example.com")
    assert await transfer.transfer(await _escalation(runtime)) is False
    assert transfer.pending is None
    unconfigured = make_ctx(transfer_settings=TransferSettings(agent_number=None))
    other = unconfigured.call_transfer(CALL_SID, "https://x")
    assert await other.transfer(await _escalation(runtime)) is False


async def test_unanswered_dial_takes_a_voicemail_and_records_a_callback(
    ctx: ServerContext, runtime: Runtime
) -> None:
    escalation = await _escalation(runtime)
    assert escalation.id is not None
    path = f"/twilio/dial?escalation={escalation.id}"
    params = {"CallSid": CALL_SID, "DialCallStatus": "no-answer", "AccountSid": ACCOUNT_SID}
    with TestClient(create_app(ctx)) as client:
        response = client.post(
            path,
            data=params,
            headers={"X-Twilio-Signature": sign(f"http://testserver{path}", params)},
        )
        vm_path = f"/twilio/voicemail?escalation={escalation.id}"
        vm = {"CallSid": CALL_SID, "RecordingUrl": "https://api.twilio.com/rec/RE1"}
        saved = client.post(
            vm_path,
            data=vm,
            headers={"X-Twilio-Signature": sign(f"http://testserver{vm_path}", vm)},
        )
    root = ET.fromstring(response.text)
    record = root.find("Record")
    assert record is not None
    assert record.get("action") == f"http://testserver/twilio/voicemail?escalation={escalation.id}"
    assert "leave your name" in (root.findtext("Say") or "")
    assert saved.status_code == 200 and "<Hangup" in saved.text
    [row] = await runtime.storage.escalations(CALL_SID)
    assert row.status == "callback"
    assert "https://api.twilio.com/rec/RE1" in row.detail


async def test_answered_dial_hangs_up_and_records_the_transfer(
    ctx: ServerContext, runtime: Runtime
) -> None:
    escalation = await _escalation(runtime)
    path = f"/twilio/dial?escalation={escalation.id}"
    params = {"CallSid": CALL_SID, "DialCallStatus": "completed"}
    with TestClient(create_app(ctx)) as client:
        response = client.post(
            path,
            data=params,
            headers={"X-Twilio-Signature": sign(f"http://testserver{path}", params)},
        )
    assert ET.fromstring(response.text).find("Hangup") is not None
    [row] = await runtime.storage.escalations(CALL_SID)
    assert (row.status, row.detail) == ("transferred", "answered by staff")
