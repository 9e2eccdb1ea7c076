"""Two `resvoice serve` processes on one database behave as one console.

Each "process" is its own app with its own `Runtime` (its own Storage: a pool on Postgres, its
own connections on SQLite) on one database, run on both backends: an escalation made through
one shows up in the other's SSE feed by itself, and concurrent claims through both have exactly
one winner; the loser gets a 409 that says who has it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest

from resvoice.config import Settings
from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.server.signature import SignatureCheck
from resvoice.server.transfer import TransferSettings
from resvoice.storage.records import EscalationRecord
from tests.fakes.servers import serving
from tests.server.conftest import AGENT_NUMBER, AUTH_TOKEN, no_voice
from tests.server.harness import sse_events

HANG_GUARD_S = 30  # only stops a broken feed from hanging the run; nothing is timed
PASSWORD = "s3cret"
T0 = dt.datetime(2031, 6, 3, 19, 0, tzinfo=dt.UTC)  # a transfer deadline; the sweep is told


def _ctx(runtime: Runtime, user: str) -> ServerContext:
    return ServerContext(
        runtime=runtime,
        voice_factory=no_voice,
        signatures=SignatureCheck(AUTH_TOKEN, None),
        console_auth=ConsoleAuth(user=user, password=PASSWORD),
        transfer_settings=TransferSettings(agent_number=AGENT_NUMBER),
    )


def _auth(user: str, origin: str) -> dict[str, str]:
    """Basic credentials, and the Origin a browser on the console page sends with a claim."""
    basic = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {basic}", "Origin": origin}


@pytest.fixture
async def two_servers(
    settings: Settings, seeded_database_url: str
) -> AsyncIterator[tuple[tuple[Runtime, str], tuple[Runtime, str]]]:
    """(runtime, base URL) of two servers on one database: "ann" logs into the first, "ben"
    into the second."""
    async with contextlib.AsyncExitStack() as stack:
        servers = []
        for user in ("ann", "ben"):
            runtime = await Runtime.open(settings, seeded_database_url)
            stack.push_async_callback(runtime.close)
            base = await stack.enter_async_context(serving(create_app(_ctx(runtime, user))))
            servers.append((runtime, base))
        yield servers[0], servers[1]


async def test_an_escalation_made_by_one_server_reaches_the_others_console(
    two_servers: tuple[tuple[Runtime, str], tuple[Runtime, str]],
) -> None:
    (first, _), (_, second_url) = two_servers
    async with (
        httpx.AsyncClient(base_url=second_url, headers=_auth("ben", second_url)) as client,
        client.stream("GET", "/console/events") as response,
    ):
        events = sse_events(response)
        kind, snapshot = await asyncio.wait_for(anext(events), HANG_GUARD_S)
        assert kind == "snapshot" and snapshot["escalations"] == []

        # a call on the first server escalates (what its EscalationManager writes)
        made = await first.storage.create_escalation(
            EscalationRecord(
                conversation_id="CA-elsewhere",
                reason="user_requested",
                notepad={"name": "Ada"},
                missing_fields=("phone",),
            )
        )
        kind, pushed = await asyncio.wait_for(anext(events), HANG_GUARD_S)
    assert kind == "escalation"
    assert (pushed["id"], pushed["call"], pushed["status"]) == (made.id, "CA-elsewhere", "queued")
    assert pushed["notepad"] == {"name": "Ada"} and pushed["missing"] == ["phone"]
    assert pushed["claimable"] is True


@pytest.mark.parametrize("status", ["queued", "callback", "failed"])
async def test_concurrent_claims_through_two_servers_have_one_winner(
    two_servers: tuple[tuple[Runtime, str], tuple[Runtime, str]], status: str
) -> None:
    (first, first_url), (_, second_url) = two_servers
    made = []
    for n in range(5):
        row = await first.storage.create_escalation(
            EscalationRecord(conversation_id=f"CA-{n}", reason="frustrated")
        )
        assert row.id is not None
        if status != "queued":
            await first.storage.update_escalation(row.id, status)  # type: ignore[arg-type]
        made.append(row.id)

    async with (
        httpx.AsyncClient(base_url=first_url, headers=_auth("ann", first_url)) as ann,
        httpx.AsyncClient(base_url=second_url, headers=_auth("ben", second_url)) as ben,
    ):
        for escalation_id in made:
            path = f"/console/escalations/{escalation_id}/claim"
            answers = await asyncio.gather(ann.post(path), ben.post(path))

            codes = sorted(answer.status_code for answer in answers)
            assert codes == [200, 409], [a.text for a in answers]
            won = next(a for a in answers if a.status_code == 200).json()
            lost = next(a for a in answers if a.status_code == 409).json()
            assert won["status"] == "claimed" and won["claimed_by"] in ("ann", "ben")
            assert lost["error"] == f"already claimed by {won['claimed_by']}"
            assert lost["escalation"]["claimed_by"] == won["claimed_by"]
            assert lost["escalation"]["claimable"] is False
            [stored] = [e for e in await first.storage.escalations() if e.id == escalation_id]
            assert (stored.status, stored.claimed_by) == ("claimed", won["claimed_by"])


async def test_a_transferred_call_cannot_be_claimed(
    two_servers: tuple[tuple[Runtime, str], tuple[Runtime, str]],
) -> None:
    (first, first_url), _ = two_servers
    row = await first.storage.create_escalation(
        EscalationRecord(conversation_id="CA-t", reason="user_requested")
    )
    assert row.id is not None
    await first.storage.update_escalation(row.id, "transferred", "answered by staff")
    async with httpx.AsyncClient(base_url=first_url, headers=_auth("ann", first_url)) as ann:
        refused = await ann.post(f"/console/escalations/{row.id}/claim")
    assert refused.status_code == 409
    assert "transferred" in refused.json()["error"]
    [stored] = await first.storage.escalations("CA-t")
    assert (stored.status, stored.claimed_by) == ("transferred", None)


async def test_status_changes_made_by_one_server_reach_the_others_console(
    two_servers: tuple[tuple[Runtime, str], tuple[Runtime, str]],
) -> None:
    """Claims, transfer sweeps and resolutions made through the first server show up on a
    console of the second by themselves (not only new escalations)."""
    (first, first_url), (_, second_url) = two_servers
    waiting = await first.storage.create_escalation(
        EscalationRecord(conversation_id="CA-wait", reason="frustrated")
    )
    lost = await first.storage.create_escalation(
        EscalationRecord(conversation_id="CA-lost", reason="user_requested")
    )
    assert waiting.id is not None and lost.id is not None
    await first.storage.set_transfer_deadline(lost.id, T0)
    await first.storage.update_escalation(lost.id, "transferred")
    async with (
        httpx.AsyncClient(base_url=second_url, headers=_auth("ben", second_url)) as ben,
        httpx.AsyncClient(base_url=first_url, headers=_auth("ann", first_url)) as ann,
        ben.stream("GET", "/console/events") as response,
    ):
        events = sse_events(response)
        kind, snapshot = await asyncio.wait_for(anext(events), HANG_GUARD_S)
        assert kind == "snapshot"
        shown = {row["id"]: row["status"] for row in snapshot["escalations"]}
        assert shown == {waiting.id: "queued", lost.id: "transferred"}

        async def next_of(escalation_id: int, status: str) -> dict[str, object]:
            """The first update of that escalation in that status (the relay may still pass on
            the creations above, made before this console connected)."""
            while True:
                kind, data = await asyncio.wait_for(anext(events), HANG_GUARD_S)
                if kind == "escalation" and (data["id"], data["status"]) == (escalation_id, status):
                    return data

        assert (await ann.post(f"/console/escalations/{waiting.id}/claim")).status_code == 200
        claimed = await next_of(waiting.id, "claimed")
        assert (claimed["claimed_by"], claimed["claimable"]) == ("ann", False)

        overdue = T0 + dt.timedelta(minutes=5)
        assert len(await first.storage.fail_overdue_transfers(overdue, "lost")) == 1
        failed = await next_of(lost.id, "failed")
        assert (failed["detail"], failed["claimable"]) == ("lost", True)

        await first.storage.update_escalation(waiting.id, "resolved", "called back")
        resolved = await next_of(waiting.id, "resolved")
        assert resolved["detail"] == "called back"
