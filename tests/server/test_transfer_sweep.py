"""A transfer whose outcome never comes is recovered by the sweep; a late outcome still counts.

The real `twilio` client redirects the call against the fake REST API; the clock is injected,
so the deadline and the sweep never read the wall clock; waits are on the storage's watch.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from contextlib import aclosing

import pytest
from starlette.testclient import TestClient

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.compose import ServeOptions, builder, close_context
from resvoice.server.context import ServerContext
from resvoice.server.sweep import OVERDUE_DETAIL, sweep_overdue_transfers
from resvoice.server.transfer import TransferSettings, twilio_client
from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord
from tests.fakes.servers import serving
from tests.fakes.twilio_rest import FakeTwilioRest
from tests.server.conftest import ACCOUNT_SID, AGENT_NUMBER, AUTH_TOKEN, post_signed

CALL_SID = "CA" + "5" * 32
T0 = dt.datetime(2031, 6, 3, 19, 0, tzinfo=dt.UTC)
HANG_GUARD_S = 30  # only stops a broken sweep from hanging the run; nothing is timed


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


async def _escalate(storage: Storage, call_sid: str = CALL_SID) -> EscalationRecord:
    return await storage.create_escalation(
        EscalationRecord(conversation_id=call_sid, reason="user_requested")
    )


async def test_a_dial_whose_outcome_never_comes_is_failed_and_a_late_answer_still_counts(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    clock = Clock(T0)
    fake = FakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN)
    storage = runtime.storage
    async with serving(fake.app()) as api:
        client = twilio_client(ACCOUNT_SID, AUTH_TOKEN, api)
        ctx = make_ctx(
            twilio=client,
            clock=clock,
            transfer_settings=TransferSettings(
                agent_number=AGENT_NUMBER, timeout_s=20, outcome_margin_s=60
            ),
        )
        transfer = ctx.call_transfer(CALL_SID, "https://restaurant.example.com")
        escalation = await _escalate(storage)
        assert escalation.id is not None
        assert await transfer.transfer(escalation) is True
        await storage.update_escalation(escalation.id, "transferred")  # what the core does
        clock.advance(10)  # the hold line plays; the dial starts, so the deadline moves
        assert await transfer.redirect() is True
        await client.http_client.close()
    assert len(fake.updates) == 1
    # the process that started the dial dies here: no `<Dial action>` callback ever lands

    due = T0 + dt.timedelta(seconds=10 + 20 + 60)
    early = due - dt.timedelta(seconds=1)
    assert await sweep_overdue_transfers(storage, ctx.metrics, early) == []
    [swept] = await sweep_overdue_transfers(storage, ctx.metrics, due + dt.timedelta(seconds=1))
    assert (swept.id, swept.status, swept.detail) == (escalation.id, "failed", OVERDUE_DETAIL)
    assert 'resvoice_transfers_total{outcome="lost"} 1.0' in ctx.metrics.render().decode()

    # Twilio's callback turns up after all (a retry, a slow proxy): a human did answer
    path = f"/twilio/dial?escalation={escalation.id}"
    params = {"CallSid": CALL_SID, "DialCallStatus": "completed"}
    with TestClient(create_app(ctx)) as http:
        response = post_signed(http, path, params)
    assert response.status_code == 200
    [row] = await storage.escalations(CALL_SID)
    assert (row.status, row.detail) == ("transferred", "answered by staff")
    assert await sweep_overdue_transfers(storage, ctx.metrics, due + dt.timedelta(days=1)) == []


async def test_an_answered_dial_is_never_swept(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    # able to transfer; the dial itself is not made here, so the client is never used
    unused = twilio_client(ACCOUNT_SID, AUTH_TOKEN, "http://127.0.0.1:9")
    ctx = make_ctx(twilio=unused, clock=Clock(T0))
    transfer = ctx.call_transfer(CALL_SID, "https://restaurant.example.com")
    escalation = await _escalate(runtime.storage)
    assert escalation.id is not None
    assert await transfer.transfer(escalation) is True
    await runtime.storage.update_escalation(escalation.id, "transferred")
    path = f"/twilio/dial?escalation={escalation.id}"
    params = {"CallSid": CALL_SID, "DialCallStatus": "completed"}
    with TestClient(create_app(ctx)) as http:
        post_signed(http, path, params)
    later = T0 + dt.timedelta(days=1)
    assert await sweep_overdue_transfers(runtime.storage, ctx.metrics, later) == []
    [row] = await runtime.storage.escalations(CALL_SID)
    assert (row.status, row.detail) == ("transferred", "answered by staff")


async def test_serve_sweeps_at_startup_and_then_periodically(
    make_ctx: Callable[..., ServerContext], any_runtime: Runtime
) -> None:
    storage = any_runtime.storage
    # left behind by a server that died mid-transfer, before this one started
    orphan = await _escalate(storage, "CA-orphan")
    assert orphan.id is not None
    await storage.set_transfer_deadline(orphan.id, T0)
    await storage.update_escalation(orphan.id, "transferred")
    ctx = make_ctx(
        runtime=any_runtime,
        clock=Clock(T0 + dt.timedelta(minutes=5)),
        sweep_interval_s=0.05,
    )

    async with (
        aclosing(storage.watch_escalations(after_id=orphan.id - 1)) as feed,
        serving(create_app(ctx)),
    ):
        failed: set[int] = set()
        later: EscalationRecord | None = None
        while later is None or later.id not in failed:
            row = await asyncio.wait_for(anext(feed), HANG_GUARD_S)
            if row.status == "failed" and row.id is not None:
                failed.add(row.id)
            if row.id == orphan.id and row.status == "failed" and later is None:
                # swept at startup; a transfer lost while this server runs is swept later
                later = await _escalate(storage, "CA-later")
                assert later.id is not None
                await storage.set_transfer_deadline(later.id, T0)
                await storage.update_escalation(later.id, "transferred")
    rows = {row.conversation_id: row for row in await storage.escalations()}
    assert rows["CA-orphan"].status == rows["CA-later"].status == "failed"
    assert rows["CA-later"].detail == OVERDUE_DETAIL


async def test_the_sweep_interval_and_the_margin_come_from_the_settings(
    settings: Settings, seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("espeakng_loader")  # `serve` warms its voice up before serving
    monkeypatch.setenv("RESVOICE_TRANSFER_SWEEP_INTERVAL", "5")
    monkeypatch.setenv("RESVOICE_TRANSFER_OUTCOME_MARGIN", "30")
    options = ServeOptions(database_url=seeded_url, insecure=True, stt="none", tts="espeak")
    ctx = await builder(Settings(), options)()
    try:
        assert ctx.sweep_interval_s == 5
        assert ctx.transfer_settings.outcome_margin_s == 30
    finally:
        await close_context(ctx)
